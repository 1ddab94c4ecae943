CREATE FUNCTION generate_series_custom(n integer)
  RETURNS SETOF integer AS
$$
BEGIN
  FOR i IN 1..n LOOP
    RETURN NEXT i;
  END LOOP;
END;
$$ LANGUAGE plpgsql ROWS 100;
