CREATE INDEX idx_community_title ON community (title);

