CREATE INDEX idx_person_local_instance ON person (local DESC, instance_id);

