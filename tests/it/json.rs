//! The documented `--json` schemas, as typed structs that reject unknown fields.
//! Every field is listed (so a renamed or added one fails), read or not.
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectError {
    pub stage: String,
    pub target: String,
    pub address: Option<String>,
    pub sqlstate: Option<String>,
    pub message: String,
    pub timed_out: bool,
    pub retryable: bool,
    pub attempts: u32,
    pub elapsed: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointCheck {
    pub endpoint: String,
    pub url: String,
    pub source: String,
    pub ok: bool,
    pub connect_ms: Option<u64>,
    pub query_ms: Option<u64>,
    pub timings: Option<serde_json::Value>,
    pub tls: Option<bool>,
    pub server_version: Option<String>,
    pub error: Option<ConnectError>,
    pub diagnosis: Option<Diagnosis>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    pub cause: String,
    pub explanation: String,
    pub fix: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    pub ok: bool,
    pub endpoints: Vec<EndpointCheck>,
    pub pending: Option<usize>,
    pub problems: Vec<String>,
    pub rounds: u32,
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorReport {
    pub ok: bool,
    pub exit_code: u8,
    pub error: ErrorBody,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub kind: String,
    pub message: String,
    pub connect: Option<ConnectError>,
    pub diagnosis: Option<Diagnosis>,
    pub sqlstate: Option<String>,
    pub blocker: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Converted {
    pub url: String,
    pub kind: serde_json::Value,
    pub changed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub url: String,
    pub source: String,
    pub form: String,
    pub scheme: Option<String>,
    pub driver: Option<String>,
    pub user: String,
    pub password: Option<String>,
    pub database: String,
    pub hosts: Vec<serde_json::Value>,
    pub classification: String,
    pub direct_url: Option<String>,
    pub pooled_url: Option<String>,
    pub conversion_note: Option<String>,
    pub parameters: Vec<Note>,
    pub effective: Effective,
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub key: String,
    pub value: String,
    pub handling: String,
    pub why: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effective {
    pub sslmode: String,
    pub sslrootcert: String,
    pub channel_binding: String,
    pub connect_timeout_s: Option<u64>,
    pub application_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrateReport {
    pub ok: bool,
    pub mode: String,
    pub database: String,
    pub target: Option<i32>,
    pub lock_waited_ms: u64,
    pub elapsed_ms: u64,
    pub planned: Vec<Planned>,
    pub applied: Vec<Step>,
    pub failure: Option<MigrationFailure>,
    pub refused: bool,
    pub findings: Vec<LintFinding>,
    pub version: Option<i32>,
}

/// A finding of the safety analysis (lint, migrate, validate).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintFinding {
    pub rule: String,
    pub severity: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub lock: Option<Claim>,
    pub locks: Vec<Claim>,
    pub blocks_reads: bool,
    pub blocks_writes: bool,
    pub rewrite: bool,
    pub scan: bool,
    pub cascades: bool,
    pub held: String,
    pub message: String,
    pub safe_alternative: Option<String>,
    pub allowed: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub table: String,
    pub mode: String,
}

/// A statement with what it does (the plan, lint --json).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analyzed {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub effect: Effect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    pub locks: Vec<Claim>,
    pub rewrites: Vec<String>,
    pub truncates: Vec<String>,
    pub scans: Vec<String>,
    pub index_builds: Vec<String>,
    pub writes_rows: Vec<String>,
    pub creates: Vec<String>,
    pub outside_transaction: Option<String>,
    #[serde(default)]
    pub cascades: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planned {
    pub version: i32,
    pub name: String,
    pub file: String,
    pub transaction: bool,
    pub sql: Option<String>,
    #[serde(default)]
    pub statements: Vec<Analyzed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub version: i32,
    pub name: String,
    pub duration_ms: u64,
    pub transaction: bool,
    pub attempts: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationFailure {
    pub version: i32,
    pub name: String,
    pub file: String,
    pub sqlstate: Option<String>,
    pub message: String,
    pub attempts: u32,
    pub blockers: Vec<serde_json::Value>,
    pub invalid_indexes: Vec<String>,
    pub fix: String,
    pub connection_lost: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusReport {
    pub ok: bool,
    pub database: String,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// validate: the pending files' safety analysis.
    pub findings: Option<Vec<LintFinding>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub version: i32,
    pub name: String,
    pub state: String,
    pub applied_on: Option<String>,
    pub file: Option<String>,
    pub no_transaction: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub subject: String,
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub column: Option<usize>,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemReport {
    pub ok: bool,
    pub exit_code: u8,
    pub problems: Vec<Problem>,
}

/// `lint --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintReport {
    pub ok: bool,
    pub online: bool,
    pub pg_version: u32,
    pub fail_on: String,
    pub summary: LintSummary,
    pub findings: Vec<LintFinding>,
    pub parse_errors: Vec<LintParseError>,
    pub statements: Vec<Analyzed>,
    pub trace: Option<Trace>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintSummary {
    pub files: usize,
    pub statements: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub allowed: usize,
    pub parse_errors: usize,
    pub elapsed_ms: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintParseError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    pub target: String,
    pub statements: Vec<Traced>,
    pub stopped: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traced {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub claimed: Vec<Claim>,
    pub claimed_rewrite: bool,
    pub observed: Vec<Claim>,
    pub rewritten: Vec<String>,
    pub agrees: bool,
    pub note: Option<String>,
}

/// `fleet … --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetReport {
    pub ok: bool,
    pub command: String,
    pub shard: Option<FleetShard>,
    pub summary: FleetSummary,
    pub servers: Vec<FleetServer>,
    pub targets: Vec<FleetTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetShard {
    pub index: u32,
    pub of: u32,
    pub targets: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetSummary {
    pub targets: usize,
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
    pub behind: usize,
    pub unknown: usize,
    pub applied: usize,
    pub elapsed_ms: u64,
    pub peak_connections: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetServer {
    pub server: String,
    pub targets: usize,
    pub limits: Option<FleetLimits>,
    pub budget: usize,
    pub peak: usize,
    pub rereads: usize,
    pub error: Option<FleetError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetLimits {
    pub max_connections: u32,
    pub reserved: u32,
    pub in_use: u32,
    pub headroom: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetTarget {
    pub target: String,
    pub origin: String,
    pub server: String,
    pub canary: bool,
    pub outcome: String,
    pub before: Option<i32>,
    pub after: Option<i32>,
    pub applied: usize,
    pub pending: Option<usize>,
    pub problems: Vec<String>,
    pub duration_ms: u64,
    pub error: Option<FleetError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetError {
    pub kind: String,
    pub message: String,
    pub cause: Option<String>,
    pub fix: Option<String>,
}

/// `migrate --rehearse --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RehearsalReport {
    pub ok: bool,
    pub project: String,
    pub branch: Option<RehearsalBranch>,
    pub migrations: Vec<String>,
    pub statements: Vec<Rehearsed>,
    pub findings: Vec<LintFinding>,
    pub failed: Option<RehearsalStop>,
    pub max_lock_ms: Option<u64>,
    pub longest_write_block: Option<LongestBlock>,
    pub elapsed_ms: u64,
    /// `--apply`: the run that followed.
    pub migrate: Option<MigrateReport>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RehearsalBranch {
    pub id: String,
    pub name: String,
    pub parent_id: String,
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rehearsed {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    pub transaction: bool,
    pub duration_ms: u64,
    pub locks: Vec<HeldLock>,
    pub rewrote: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldLock {
    pub relation: String,
    pub mode: String,
    pub held_ms: u64,
    pub blocks_writes: bool,
    pub blocks_reads: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RehearsalStop {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub sqlstate: Option<String>,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongestBlock {
    pub version: i32,
    pub file: String,
    pub line: usize,
    pub relation: String,
    pub mode: String,
    pub held_ms: u64,
}
