//! The one integration-test binary: the real `neonops` against the real
//! sandbox (PostgreSQL 15 with TLS behind PgBouncer in transaction mode).

mod harness;
mod json;

mod campaign;
mod ci;
mod cli;
mod conformance;
mod connect;
mod diff;
mod docs;
mod doctor;
mod first_hour;
mod fleet;
mod fuzz;
mod libpq;
mod lint;
mod local;
mod messages;
mod migrate;
mod neon_proxy;
mod newcomer;
mod no_transaction;
mod others;
mod pooler;
mod quiet;
mod realworld;
mod rehearse;
mod review;
mod schema;
mod secrets;
mod snapshots;
mod suite;
mod tls;
mod url;
