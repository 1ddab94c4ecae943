CREATE TABLE permissions (
  name TEXT NOT NULL,
  admin BOOLEAN NOT NULL,
  CONSTRAINT admin_name CHECK (
    CASE
      WHEN admin THEN name LIKE 'admin%'
      ELSE true
    END
  )
);
