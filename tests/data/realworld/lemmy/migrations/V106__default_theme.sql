ALTER TABLE site
    ADD COLUMN default_theme text NOT NULL DEFAULT 'browser';

