CREATE TABLE items (
  item_id integer NOT NULL,
  item_name varchar(100) DEFAULT NULL,
  PRIMARY KEY (item_id)
);
CREATE TABLE users (
  user_id integer NOT NULL,
  family_name varchar(100) NOT NULL,
  given_name varchar(100) NOT NULL,
  email_address varchar(254) NOT NULL,
  PRIMARY KEY (user_id),
  UNIQUE (email_address)
);
CREATE TABLE sales (
  sales_id integer NOT NULL,
  user_id integer NOT NULL,
  item_id integer NOT NULL,
  sales_qty integer NOT NULL,
  sales_amt integer NOT NULL,
  PRIMARY KEY (sales_id),
  CONSTRAINT fk_item_id FOREIGN KEY (item_id) REFERENCES items (item_id),
  CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES users (user_id)
);
