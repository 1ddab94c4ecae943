ALTER TABLE local_user
    DROP COLUMN show_scores;

