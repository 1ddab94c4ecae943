CREATE TYPE eventtype AS ENUM (
  'example',
  'send_message',
  'send_meeting_options',
  'update_reactionslot'
);

CREATE TABLE events (
  id UUID NOT NULL PRIMARY KEY,
  event_type eventtype NOT NULL
);
