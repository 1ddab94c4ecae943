CREATE TABLE test_all_any (
  id INTEGER PRIMARY KEY,
  state TEXT CHECK (state = ANY (ARRAY['active', 'pending'])),
  all_positive INTEGER CHECK (all_positive = ALL (ARRAY[2, 3, 4])),
  some_text TEXT CHECK (some_text = SOME (ARRAY['updated', 'modified', 'changed'])),
  score INTEGER CHECK (score > ALL (ARRAY[0, 10, 20]))
);
