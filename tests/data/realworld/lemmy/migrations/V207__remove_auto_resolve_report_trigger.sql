DROP TRIGGER IF EXISTS post_removed_resolve_reports ON mod_remove_post;

DROP FUNCTION IF EXISTS post_removed_resolve_reports;

DROP TRIGGER IF EXISTS comment_removed_resolve_reports ON mod_remove_comment;

DROP FUNCTION IF EXISTS comment_removed_resolve_reports;

