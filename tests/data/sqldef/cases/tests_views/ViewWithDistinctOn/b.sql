CREATE TABLE carrier (carrier text);
CREATE VIEW carrier_current AS
SELECT DISTINCT ON (c.carrier) c.carrier
FROM carrier c;
