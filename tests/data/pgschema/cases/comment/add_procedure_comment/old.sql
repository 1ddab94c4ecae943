CREATE PROCEDURE public.process_order(IN order_id integer)
LANGUAGE sql
AS $$SELECT 1$$;
