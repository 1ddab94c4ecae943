CREATE TABLE public.test (
  col interval
);
