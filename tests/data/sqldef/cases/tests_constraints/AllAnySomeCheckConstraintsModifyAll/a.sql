CREATE TABLE test_all_any (
  id INTEGER PRIMARY KEY,
  state TEXT CHECK (state = ANY (ARRAY['active', 'pending'])),
  all_positive INTEGER CHECK (all_positive = ALL (ARRAY[1, 2, 3])),
  some_text TEXT CHECK (some_text = SOME (ARRAY['valid', 'allowed'])),
  score INTEGER CHECK (score > ALL (ARRAY[0, 10, 20]))
);
