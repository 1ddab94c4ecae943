CREATE TABLE public.employees (
    name text NOT NULL,
    department text
);