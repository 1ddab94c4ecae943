-- Initial state: table without vector columns
CREATE TABLE public.activity (
    id bigserial PRIMARY KEY
);
