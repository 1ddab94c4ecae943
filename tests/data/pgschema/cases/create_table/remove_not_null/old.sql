CREATE TABLE public.employees (
    id integer NOT NULL,
    name text NOT NULL,
    email text
);