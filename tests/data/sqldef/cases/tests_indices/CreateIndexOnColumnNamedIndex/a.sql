CREATE TABLE ai_statements (
  user_id bigint NOT NULL,
  reply_id bigint NOT NULL,
  index integer NOT NULL
);
