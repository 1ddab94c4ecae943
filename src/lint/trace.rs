//! Tracing: what the statements really lock.
