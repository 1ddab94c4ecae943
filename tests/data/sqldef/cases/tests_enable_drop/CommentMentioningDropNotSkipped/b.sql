CREATE TABLE audit_log (id bigint);
COMMENT ON TABLE audit_log IS 'rows written when a DROP TABLE happens';
