CREATE TABLE multi_check_test (
  id INTEGER PRIMARY KEY,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL,
  CONSTRAINT valid_state_priority CHECK (
    (state = ANY (ARRAY['active', 'pending']) AND priority >= ALL (ARRAY[1, 2])) OR
    (state = ALL (ARRAY['inactive']) AND priority = ANY (ARRAY[0]))
  )
);
