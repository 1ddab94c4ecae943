CREATE TABLE points (id bigint);
CREATE VIEW points_view AS SELECT id FROM points;
