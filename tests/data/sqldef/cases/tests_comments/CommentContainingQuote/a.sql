CREATE TABLE public.test (
  email text
);
