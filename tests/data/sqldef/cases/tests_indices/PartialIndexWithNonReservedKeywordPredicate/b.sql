CREATE TABLE rooms (id integer, mode text);
CREATE INDEX i ON rooms USING btree (id) WHERE (((mode)::text = 'story'::text));
