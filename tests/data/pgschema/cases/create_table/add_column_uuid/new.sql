CREATE TABLE public.sessions (
    id integer NOT NULL,
    user_id integer,
    token uuid
);