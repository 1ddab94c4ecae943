ALTER TABLE local_user
    ADD COLUMN show_read_posts boolean DEFAULT TRUE NOT NULL;

