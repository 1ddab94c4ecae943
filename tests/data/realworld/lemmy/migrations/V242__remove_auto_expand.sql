ALTER TABLE local_user
    DROP COLUMN auto_expand;

