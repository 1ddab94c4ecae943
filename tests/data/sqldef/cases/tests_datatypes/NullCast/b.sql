CREATE TABLE public.test (
  "item" character varying(16) DEFAULT NULL
);
