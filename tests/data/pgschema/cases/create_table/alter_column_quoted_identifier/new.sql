CREATE TABLE public.ex (
    "ID" bigint NOT NULL
);
