CREATE FUNCTION expensive_set_function(n integer)
  RETURNS SETOF integer AS
$$
BEGIN
  FOR i IN 1..n LOOP
    RETURN NEXT i;
  END LOOP;
END;
$$ LANGUAGE plpgsql COST 500 ROWS 50;
