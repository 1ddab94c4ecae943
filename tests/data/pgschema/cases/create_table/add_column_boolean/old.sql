CREATE TABLE public.orders (
    id integer NOT NULL,
    total numeric(12,2)
);