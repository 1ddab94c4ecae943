CREATE TYPE "public"."country" AS ENUM ('us', 'jp');
CREATE TABLE users (
  id SERIAL PRIMARY KEY,
  country "public"."country" NOT NULL DEFAULT 'jp'::country
);
