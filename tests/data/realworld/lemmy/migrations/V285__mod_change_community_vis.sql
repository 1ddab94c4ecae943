ALTER TABLE mod_change_community_visibility
    DROP COLUMN reason;

