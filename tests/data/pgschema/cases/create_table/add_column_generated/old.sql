CREATE TABLE public.merge_request (
    data jsonb NOT NULL
);