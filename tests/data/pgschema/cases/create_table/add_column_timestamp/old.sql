CREATE TABLE public.events (
    id integer NOT NULL,
    name text
);