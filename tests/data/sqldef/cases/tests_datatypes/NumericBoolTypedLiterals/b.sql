CREATE TABLE events (
  id serial PRIMARY KEY,
  ratio numeric DEFAULT numeric '1.5',
  count_i int DEFAULT int '1',
  big_count bigint DEFAULT bigint '2',
  active boolean DEFAULT boolean 'true'
);
