CREATE TABLE public.users (
  id BIGINT PRIMARY KEY,
  name character varying(100)
);
CREATE TABLE public.posts (
  id BIGINT PRIMARY KEY,
  name character varying(100),
  user_id BIGINT,
  is_deleted boolean
);
