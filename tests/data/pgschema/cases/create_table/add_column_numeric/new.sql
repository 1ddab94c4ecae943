CREATE TABLE public.transactions (
    id integer NOT NULL,
    description text,
    amount numeric(15,4)
);