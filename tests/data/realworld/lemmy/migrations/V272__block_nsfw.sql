ALTER TABLE local_site
    ADD COLUMN disallow_nsfw_content boolean DEFAULT FALSE NOT NULL;

