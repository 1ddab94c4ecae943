CREATE TABLE json_data (id integer, data jsonb);
CREATE VIEW json_view AS
SELECT id, data -> 'name' AS name, data ->> 'email' AS email
FROM json_data;
