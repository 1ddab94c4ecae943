CREATE TABLE public.customers (
    id integer NOT NULL,
    name text,
    phone varchar(20)
);