CREATE TABLE test (
  posix_regex        text NOT NULL CHECK (posix_regex        ~   '[a-z]'),
  posix_regex_ci     text NOT NULL CHECK (posix_regex_ci     ~*  '[a-z]'),
  posix_not_regex    text NOT NULL CHECK (posix_not_regex    !~  '[a-z]'),
  posix_not_regex_ci text NOT NULL CHECK (posix_not_regex_ci !~* '[a-z]')
);
