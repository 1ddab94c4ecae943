ALTER TABLE local_user
    DROP COLUMN enable_keyboard_navigation;

