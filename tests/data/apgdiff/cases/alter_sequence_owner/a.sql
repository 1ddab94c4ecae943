create sequence items_sequence start 1;
alter sequence items_sequence owner to admin;
