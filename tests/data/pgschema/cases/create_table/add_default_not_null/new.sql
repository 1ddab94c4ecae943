CREATE TABLE public.people (
    id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    created_at timestamp with time zone DEFAULT NOW() NOT NULL
);
