CREATE TABLE x (
  u uuid CONSTRAINT cu CHECK (u = uuid '00000000-0000-0000-0000-000000000000'),
  j jsonb CONSTRAINT cj CHECK (j = jsonb '{}')
);
