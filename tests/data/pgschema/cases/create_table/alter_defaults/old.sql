CREATE TABLE public.users (
    id integer NOT NULL,
    name text,
    created_at timestamp without time zone
);