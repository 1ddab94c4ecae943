CREATE TABLE "public"."hoge" (
  "amount" text
);
CREATE VIEW public.hoge_view AS SELECT (hoge.amount)::numeric(10,2) AS amount_num FROM hoge;
