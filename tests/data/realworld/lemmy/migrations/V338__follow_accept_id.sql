ALTER TABLE community_actions
    ADD COLUMN follow_activity_id text;

