CREATE TABLE public.test_table (
  "item" numeric
);
CREATE VIEW public.test_view AS SELECT t.item FROM test_table t WHERE (t.item = (0)::numeric);
