CREATE TYPE level AS ENUM (
  'minor' /* @renamed from=low */,
  'normal' /* @renamed from=medium */,
  'critical' /* @renamed from=high */
);
