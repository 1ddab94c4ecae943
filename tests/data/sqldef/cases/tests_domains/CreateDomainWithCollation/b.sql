CREATE DOMAIN case_insensitive_text AS text COLLATE "en_US";
