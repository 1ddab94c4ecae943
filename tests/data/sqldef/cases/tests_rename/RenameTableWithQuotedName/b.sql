CREATE TABLE "user_profiles" ( -- @renamed from="user accounts"
  id bigint NOT NULL,
  name text
);
