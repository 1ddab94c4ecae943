CREATE TABLE public.test (
  col JSONB
);
CREATE UNIQUE INDEX function_index ON public.test (jsonb_extract_path_text(col, 'foo', 'bar'));
