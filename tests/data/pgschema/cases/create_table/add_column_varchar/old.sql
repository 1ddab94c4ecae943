CREATE TABLE public.customers (
    id integer NOT NULL,
    name text
);