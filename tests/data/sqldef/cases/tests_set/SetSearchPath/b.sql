SET search_path = public;
CREATE TABLE items (id bigint NOT NULL);
