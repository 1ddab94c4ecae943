CREATE TABLE users (user_id uuid PRIMARY KEY);
CREATE TABLE user_profiles (
  profile_id uuid PRIMARY KEY,
  user_id uuid,
  status VARCHAR(255)
);
CREATE INDEX IF NOT EXISTS idx_user_profiles_status ON user_profiles (status);
