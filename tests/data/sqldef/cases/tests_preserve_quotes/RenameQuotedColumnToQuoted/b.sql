CREATE TABLE users (
  id int,
  "NewName" text -- @renamed from="OldName"
);
