CREATE TABLE public (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL
);

COMMENT ON COLUMN public.public.id IS 'Primary key';
COMMENT ON COLUMN public.public.name IS 'Display name';
