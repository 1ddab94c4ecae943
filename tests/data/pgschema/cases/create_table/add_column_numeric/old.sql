CREATE TABLE public.transactions (
    id integer NOT NULL,
    description text
);