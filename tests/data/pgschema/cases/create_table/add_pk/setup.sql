-- btree_gist is required for WITHOUT OVERLAPS on non-range/multirange types
CREATE EXTENSION IF NOT EXISTS btree_gist;
