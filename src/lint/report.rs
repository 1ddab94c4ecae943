//! Reports: a table, JSON and GitHub annotations.
