CREATE TABLE public.test (
  email text
);
COMMENT ON TABLE public.test is 'World''s best table';
COMMENT ON COLUMN public.test.email is 'The user''s contact email address.';
