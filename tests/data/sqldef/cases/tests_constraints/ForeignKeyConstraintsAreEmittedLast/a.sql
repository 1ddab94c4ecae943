CREATE TABLE foos ( dummy_column text );
CREATE TABLE bars ( dummy_column text );
