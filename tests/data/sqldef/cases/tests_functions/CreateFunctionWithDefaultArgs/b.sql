CREATE OR REPLACE FUNCTION concat_with_default(
  count int DEFAULT 1,
  sep text DEFAULT '-'
) RETURNS text AS $$
BEGIN
  RETURN '';
END
$$ LANGUAGE plpgsql VOLATILE;
