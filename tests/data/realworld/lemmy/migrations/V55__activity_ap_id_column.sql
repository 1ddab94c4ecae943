ALTER TABLE activity
    ADD COLUMN ap_id text;

