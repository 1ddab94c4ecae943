//! neonops' library: what the `neonops` binary does, with typed options in
//! and typed results out. It parses and derives endpoints, connects (and
//! names every failure), applies and checks migrations, analyses their
//! locks, reads and compares schemas, and runs doctor's and fleet's checks.
//!
//! It knows nothing of the command line: no argument parsing, no printing
//! (logs through `tracing` only), no exit codes. The binary turns arguments
//! into a [`target::Target`], calls in, and prints what comes back; errors
//! carry their kind ([`error`], and each module's own types) for the binary
//! to map to an exit code.

pub mod backoff;
pub mod classify;
pub mod config;
pub mod connect;
pub mod doctor;
pub mod endpoint;
pub mod error;
pub mod fleet;
pub mod lint;
pub mod migrate;
pub mod neon_api;
pub mod quote;
pub mod rows;
pub mod runtime;
pub mod schema;
pub mod sql;
pub mod target;
