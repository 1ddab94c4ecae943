CREATE TABLE public.test ();
