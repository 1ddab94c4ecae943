ALTER TABLE comment_like
    DROP post_id;

