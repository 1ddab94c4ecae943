CREATE TABLE agent(
  id BIGINT
);