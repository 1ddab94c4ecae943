//! Migration safety analysis with PostgreSQL's own parser: for every
//! statement, the lock it takes (mode and table), what that lock blocks,
//! whether it rewrites or scans the table, and, when the statement is risky
//! for a live database, a finding with the safe alternative as SQL.
//!
//! What no standalone linter knows is used here: neonops sets lock_timeout
//! and statement_timeout itself (never a finding); a table created earlier in
//! the same file (or, with a database, by a pending migration of the same
//! run) is new and empty; with a database, live sizes grade the severity and
//! the server version decides the version-dependent rules.

pub mod context;
pub mod locks;
mod quick;
mod rules;

/// Whether changing a column's type from `old` to `new` (as format_type
/// prints them) rewrites the table: the lint's own rule, for the diff's
/// hazards (PostgreSQL 15, no session time zone assumed).
pub fn type_change_rewrites(old: &str, new: &str) -> bool {
    !rules::binary_coercible(old, new, &Context::offline(15))
}
#[cfg(test)]
mod tests;
pub mod trace;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

pub use context::{Context, Wanted};
pub use locks::LockMode;
pub use quick::quick_files;

use crate::sql::{self, Statement};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A lock a statement takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Claim {
    /// The table (or index, materialized view) as written, lower-cased when unquoted.
    pub table: String,
    pub mode: LockMode,
}

/// What a statement does to the tables it touches.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Effect {
    /// Locks on relations that exist before the statement.
    pub locks: Vec<Claim>,
    /// Tables rewritten (every row copied, under the lock).
    pub rewrites: Vec<String>,
    /// Tables emptied into a new file (TRUNCATE: instant, but a new relfilenode).
    pub truncates: Vec<String>,
    /// Tables read in full under the lock (validation).
    pub scans: Vec<String>,
    /// Tables an index is built on, under the lock.
    pub index_builds: Vec<String>,
    /// Tables whose rows it changes (a backfill).
    pub writes_rows: Vec<String>,
    /// Tables it creates (new and empty).
    pub creates: Vec<String>,
    /// Why it cannot run inside a transaction block, when it cannot.
    pub outside_transaction: Option<&'static str>,
    /// CASCADE: what depends on the objects (views, foreign keys, tables
    /// that reference them) is dropped or emptied too, each under ACCESS
    /// EXCLUSIVE; which ones only the database knows.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cascades: bool,
}

impl Effect {
    /// The strongest lock, the one the statement is known by.
    /// The first of the strongest: the statement's own table comes first.
    pub fn strongest(&self) -> Option<&Claim> {
        self.locks
            .iter()
            .fold(None, |best: Option<&Claim>, c| match best {
                Some(b) if b.mode >= c.mode => Some(b),
                _ => Some(c),
            })
    }

    /// How long the strongest lock may be held, in words.
    pub fn duration(&self) -> &'static str {
        if !self.rewrites.is_empty() {
            "for a rewrite of every row"
        } else if !self.index_builds.is_empty() {
            "for the index build"
        } else if !self.scans.is_empty() {
            "for a scan of every row"
        } else if !self.writes_rows.is_empty() {
            "while the rows are written"
        } else {
            "briefly (catalog change only)"
        }
    }
}

/// A risky statement, and what to do instead.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The statement's first words.
    pub statement: String,
    /// The lock it takes, and on what.
    pub lock: Option<Claim>,
    /// Every lock it takes (a foreign key locks both tables).
    pub locks: Vec<Claim>,
    pub blocks_reads: bool,
    pub blocks_writes: bool,
    pub rewrite: bool,
    pub scan: bool,
    /// CASCADE: what depends on it is locked (and dropped or emptied) too.
    pub cascades: bool,
    /// How long the lock may be held.
    pub held: &'static str,
    pub message: String,
    /// The safe way, as SQL (or the steps, when SQL alone cannot say it).
    pub safe_alternative: Option<String>,
    /// The reason of a `-- neonops:allow` next to the statement, when allowed.
    pub allowed: Option<String>,
}

/// A statement of a file, with its effect (for `migrate --plan` and traces).
#[derive(Debug, Clone, Serialize)]
pub struct Analyzed {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub statement: String,
    #[serde(skip)]
    pub text: String,
    pub effect: Effect,
}

/// One file to analyse.
pub struct LintFile<'a> {
    /// As shown in reports (a path).
    pub name: String,
    pub sql: &'a str,
    /// Runs outside a transaction (`-- neonops:no-transaction`).
    pub no_transaction: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// The server's major version, or --pg-version offline.
    pub pg_version: u32,
    pub files: usize,
    pub statements: usize,
    pub findings: Vec<Finding>,
    pub statements_analyzed: Vec<Analyzed>,
    /// Files the parser rejected (file, line, column, message).
    pub parse_errors: Vec<sql::ParseError>,
    #[serde(skip)]
    pub parse_error_files: Vec<String>,
}

impl Analysis {
    /// Findings that count (not allowed), at or above `level`.
    pub fn failing(&self, level: Severity) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.allowed.is_none() && f.severity >= level)
    }

    /// Findings per rule.
    pub fn by_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry(f.rule.id()).or_insert(0) += 1;
        }
        m
    }
}

/// A system catalog (`pg_index`, `pg_catalog.pg_class`): not user data,
/// and not traced.
pub fn is_catalog(t: &str) -> bool {
    t.starts_with("pg_catalog.") || (!t.contains('.') && t.starts_with("pg_"))
}

/// Settings from `[lint]` and flags.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Rules allowed everywhere (`[lint] allow`).
    pub allow: HashSet<String>,
}

/// Analyse files in order (a table created by an earlier one is known).
/// Each file is parsed, analysed and let go before the next.
pub fn analyze(files: &[LintFile<'_>], ctx: &mut Context, settings: &Settings) -> Analysis {
    analyze_with(files, |f| sql::parse(f.sql).map(Cow::Owned), ctx, settings)
}

/// Each file's statements, or its parse error.
pub type Parsed = Vec<Result<Vec<Statement>, sql::ParseError>>;

pub fn parse_all(files: &[LintFile<'_>]) -> Parsed {
    sql::parse_many(&files.iter().map(|f| f.sql).collect::<Vec<_>>())
}

fn analyze_parsed(
    files: &[LintFile<'_>],
    parsed: &Parsed,
    ctx: &mut Context,
    settings: &Settings,
) -> Analysis {
    let mut next = parsed.iter();
    analyze_with(
        files,
        |_| match next.next().expect("one per file") {
            Ok(statements) => Ok(Cow::Borrowed(statements.as_slice())),
            Err(e) => Err(e.clone()),
        },
        ctx,
        settings,
    )
}

fn analyze_with<'p>(
    files: &[LintFile<'_>],
    mut parse: impl FnMut(&LintFile<'_>) -> Result<Cow<'p, [Statement]>, sql::ParseError>,
    ctx: &mut Context,
    settings: &Settings,
) -> Analysis {
    let mut out = Analysis {
        pg_version: ctx.pg_version,
        files: files.len(),
        ..Analysis::default()
    };
    for f in files {
        let statements = match parse(f) {
            Ok(s) => s,
            Err(e) => {
                out.parse_errors.push(e);
                out.parse_error_files.push(f.name.clone());
                continue;
            }
        };
        out.statements += statements.len();
        analyze_file(f, &statements, ctx, settings, &mut out);
        // Offline, a table from an earlier file is assumed to exist.
        if ctx.earlier_files_applied {
            ctx.fresh.clear();
        }
    }
    out
}

fn analyze_file(
    f: &LintFile<'_>,
    statements: &[Statement],
    ctx: &mut Context,
    settings: &Settings,
    out: &mut Analysis,
) {
    let first = out.findings.len();
    let mut txn = rules::Transaction::new(!f.no_transaction);
    // A SET in the file lasts for the file here (SET LOCAL would; a plain
    // SET lasts for the session, which later files cannot count on).
    let timezone_utc = ctx.timezone_utc;
    for s in statements {
        let Some(node) = &s.node else { continue };
        let (effect, mut findings) = rules::statement(node, s, ctx, &mut txn);
        for finding in &mut findings {
            finding.file = f.name.clone();
            finding.allowed = allowed(s, finding.rule.id(), settings);
        }
        // Allow comments without a reason suppress nothing, and say so.
        for a in s.allows.iter().filter(|a| a.reason.is_empty()) {
            findings.push(rules::bare_allow(s, a, &f.name));
        }
        out.findings.extend(findings);
        for c in &effect.creates {
            ctx.fresh.insert(c.clone());
        }
        out.statements_analyzed.push(Analyzed {
            file: f.name.clone(),
            line: s.line,
            column: s.column,
            statement: s.head(),
            text: s.text.clone(),
            effect,
        });
    }
    ctx.timezone_utc = timezone_utc;
    let mut tail = txn.finish();
    for finding in &mut tail {
        finding.file = f.name.clone();
    }
    out.findings.extend(tail);
    // A file's findings in the order of its lines (the transaction's come last otherwise).
    out.findings[first..].sort_by_key(|f| (f.line, f.column));
}

/// The reason this rule is allowed here, if it is.
fn allowed(s: &Statement, rule: &str, settings: &Settings) -> Option<String> {
    if settings.allow.contains(rule) {
        return Some("allowed in [lint] of neonops.toml".into());
    }
    s.allows
        .iter()
        .find(|a| !a.reason.is_empty() && a.rules.iter().any(|r| r == rule || r == "all"))
        .map(|a| a.reason.clone())
}

pub fn wanted(files: &[LintFile<'_>]) -> Wanted {
    wanted_parsed(files, &parse_all(files))
}

fn wanted_parsed(files: &[LintFile<'_>], parsed: &Parsed) -> Wanted {
    // The analysis itself knows what each statement touches: run it
    // without facts (every table assumed to exist, as a run sees tables:
    // the ones it creates stay new from file to file) and collect the names.
    let mut probe_ctx = Context::offline(context::NEWEST_NEON);
    probe_ctx.earlier_files_applied = false;
    let probe = analyze_parsed(files, parsed, &mut probe_ctx, &Settings::default());
    let mut tables = std::collections::BTreeSet::new();
    // A table the run creates before touching it is new and empty whatever
    // the database says: nothing to ask (a fresh tenant asks nothing).
    let mut created = HashSet::new();
    for a in &probe.statements_analyzed {
        let e = &a.effect;
        created.extend(e.creates.iter().cloned());
        let touched = e.locks.iter().map(|c| &c.table).chain(
            [
                &e.rewrites,
                &e.truncates,
                &e.scans,
                &e.index_builds,
                &e.writes_rows,
            ]
            .into_iter()
            .flatten(),
        );
        tables.extend(touched.filter(|t| !created.contains(*t)).cloned());
    }
    Wanted {
        tables: tables.into_iter().collect(),
        functions: probe_ctx.asked_functions.take().into_iter().collect(),
    }
}

/// Analyse with a database's facts: its version, live sizes, column types
/// and validated checks.
pub async fn analyze_with_database(
    client: &tokio_postgres::Client,
    files: &[LintFile<'_>],
    settings: &Settings,
) -> Result<Analysis, tokio_postgres::Error> {
    Prepared::new(files).analyze(client, files, settings).await
}

/// The files parsed and what to ask the database, so that the question can
/// travel with other messages (a run sends it ahead of its migrations).
pub struct Prepared {
    parsed: Parsed,
    wanted: Wanted,
}

impl Prepared {
    pub fn new(files: &[LintFile<'_>]) -> Prepared {
        Prepared::from_parsed(files, parse_all(files))
    }

    /// With the files already parsed (`parse_all`).
    pub fn from_parsed(files: &[LintFile<'_>], parsed: Parsed) -> Prepared {
        let wanted = wanted_parsed(files, &parsed);
        Prepared { parsed, wanted }
    }

    /// The one query (several statements) that reads the facts.
    pub fn facts_sql(&self) -> String {
        Context::facts_sql(&self.wanted)
    }

    /// Ask the database its facts (one round trip), then analyse.
    pub async fn analyze(
        &self,
        client: &tokio_postgres::Client,
        files: &[LintFile<'_>],
        settings: &Settings,
    ) -> Result<Analysis, tokio_postgres::Error> {
        let facts = client.simple_query(&self.facts_sql()).await?;
        Ok(self.finish(files, facts, settings))
    }

    /// The analysis, with the facts query's answer.
    pub fn finish(
        &self,
        files: &[LintFile<'_>],
        facts: Vec<tokio_postgres::SimpleQueryMessage>,
        settings: &Settings,
    ) -> Analysis {
        let mut ctx = Context::from_facts(&self.wanted, facts);
        analyze_parsed(files, &self.parsed, &mut ctx, settings)
    }

    /// `finish`, with the answer as the rows of each statement (text).
    pub fn finish_sets(
        &self,
        files: &[LintFile<'_>],
        sets: Vec<Vec<Vec<String>>>,
        settings: &Settings,
    ) -> Analysis {
        let mut ctx = Context::from_fact_sets(&self.wanted, sets);
        analyze_parsed(files, &self.parsed, &mut ctx, settings)
    }
}

/// Every rule, with what it is about (for `lint --rules` and the README).
/// A rule of the analysis: its id (what findings, `--rules`, allow comments
/// and `[lint] allow` name) and what it is about, tied by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// CREATE INDEX on an existing table: SHARE lock, writes wait for the whole build
    IndexWithoutConcurrently,
    /// DROP INDEX: ACCESS EXCLUSIVE on the table
    DropIndexWithoutConcurrently,
    /// REINDEX: writes (and reads through the index) wait for the rebuild
    ReindexWithoutConcurrently,
    /// ADD FOREIGN KEY validates every row while both tables block writes
    ForeignKeyWithoutNotValid,
    /// ADD CHECK validates every row under ACCESS EXCLUSIVE
    CheckWithoutNotValid,
    /// ADD UNIQUE builds its index under ACCESS EXCLUSIVE
    UniqueWithoutUsingIndex,
    /// ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE
    PrimaryKeyWithoutUsingIndex,
    /// SET NOT NULL scans every row under ACCESS EXCLUSIVE (12+: not with a validated CHECK)
    SetNotNullWithoutCheck,
    /// ALTER COLUMN TYPE rewrites the table under ACCESS EXCLUSIVE
    ColumnTypeRewrite,
    /// ALTER COLUMN TYPE that is binary-coercible: no rewrite (information)
    ColumnTypeNoRewrite,
    /// ADD COLUMN with a volatile default rewrites the table
    AddColumnVolatileDefault,
    /// ADD COLUMN serial or identity rewrites the table
    AddColumnSerial,
    /// ADD COLUMN … GENERATED … STORED rewrites the table
    AddColumnGeneratedStored,
    /// ADD COLUMN with any default rewrites the table before PostgreSQL 11
    AddColumnDefaultBefore11,
    /// RENAME COLUMN breaks running application code
    RenameColumn,
    /// RENAME TABLE breaks running application code
    RenameTable,
    /// DROP COLUMN breaks running application code
    DropColumn,
    /// DROP TABLE breaks running application code
    DropTable,
    /// VACUUM FULL rewrites the table under ACCESS EXCLUSIVE
    VacuumFull,
    /// CLUSTER rewrites the table under ACCESS EXCLUSIVE
    Cluster,
    /// LOCK TABLE holds a lock for the rest of the transaction
    LockTable,
    /// REFRESH MATERIALIZED VIEW blocks reads of the view
    RefreshMatviewWithoutConcurrently,
    /// UPDATE/DELETE in the transaction of strong-lock DDL: the lock is held for the whole backfill
    BackfillWithDdl,
    /// strong locks on several existing tables in one transaction
    SeveralStrongLocks,
    /// DISCARD ALL or pg_advisory_unlock_all() releases the runner's migration lock (it is taken back after the migration)
    ReleasesMigrationLock,
    /// RESET ALL, or RESET, SET … TO DEFAULT or SET … = 0 of lock_timeout/statement_timeout: the rest of the migration runs without it
    DisablesTimeouts,
    /// a statement that cannot run in a transaction, in a transactional file: it fails at run time
    NeedsNoTransaction,
    /// a -- neonops:allow comment without a reason suppresses nothing
    AllowWithoutReason,
}

impl Rule {
    /// Every rule, in the order `--rules` lists them.
    pub const ALL: &[Rule] = &[
        Rule::IndexWithoutConcurrently,
        Rule::DropIndexWithoutConcurrently,
        Rule::ReindexWithoutConcurrently,
        Rule::ForeignKeyWithoutNotValid,
        Rule::CheckWithoutNotValid,
        Rule::UniqueWithoutUsingIndex,
        Rule::PrimaryKeyWithoutUsingIndex,
        Rule::SetNotNullWithoutCheck,
        Rule::ColumnTypeRewrite,
        Rule::ColumnTypeNoRewrite,
        Rule::AddColumnVolatileDefault,
        Rule::AddColumnSerial,
        Rule::AddColumnGeneratedStored,
        Rule::AddColumnDefaultBefore11,
        Rule::RenameColumn,
        Rule::RenameTable,
        Rule::DropColumn,
        Rule::DropTable,
        Rule::VacuumFull,
        Rule::Cluster,
        Rule::LockTable,
        Rule::RefreshMatviewWithoutConcurrently,
        Rule::BackfillWithDdl,
        Rule::SeveralStrongLocks,
        Rule::ReleasesMigrationLock,
        Rule::DisablesTimeouts,
        Rule::NeedsNoTransaction,
        Rule::AllowWithoutReason,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::IndexWithoutConcurrently => "index-without-concurrently",
            Rule::DropIndexWithoutConcurrently => "drop-index-without-concurrently",
            Rule::ReindexWithoutConcurrently => "reindex-without-concurrently",
            Rule::ForeignKeyWithoutNotValid => "foreign-key-without-not-valid",
            Rule::CheckWithoutNotValid => "check-without-not-valid",
            Rule::UniqueWithoutUsingIndex => "unique-without-using-index",
            Rule::PrimaryKeyWithoutUsingIndex => "primary-key-without-using-index",
            Rule::SetNotNullWithoutCheck => "set-not-null-without-check",
            Rule::ColumnTypeRewrite => "column-type-rewrite",
            Rule::ColumnTypeNoRewrite => "column-type-no-rewrite",
            Rule::AddColumnVolatileDefault => "add-column-volatile-default",
            Rule::AddColumnSerial => "add-column-serial",
            Rule::AddColumnGeneratedStored => "add-column-generated-stored",
            Rule::AddColumnDefaultBefore11 => "add-column-default-before-11",
            Rule::RenameColumn => "rename-column",
            Rule::RenameTable => "rename-table",
            Rule::DropColumn => "drop-column",
            Rule::DropTable => "drop-table",
            Rule::VacuumFull => "vacuum-full",
            Rule::Cluster => "cluster",
            Rule::LockTable => "lock-table",
            Rule::RefreshMatviewWithoutConcurrently => "refresh-matview-without-concurrently",
            Rule::BackfillWithDdl => "backfill-with-ddl",
            Rule::SeveralStrongLocks => "several-strong-locks",
            Rule::ReleasesMigrationLock => "releases-migration-lock",
            Rule::DisablesTimeouts => "disables-timeouts",
            Rule::NeedsNoTransaction => "needs-no-transaction",
            Rule::AllowWithoutReason => "allow-without-reason",
        }
    }

    /// What it is about, for `--rules`.
    pub fn what(self) -> &'static str {
        match self {
            Rule::IndexWithoutConcurrently => {
                "CREATE INDEX on an existing table: SHARE lock, writes wait for the whole build"
            }
            Rule::DropIndexWithoutConcurrently => "DROP INDEX: ACCESS EXCLUSIVE on the table",
            Rule::ReindexWithoutConcurrently => {
                "REINDEX: writes (and reads through the index) wait for the rebuild"
            }
            Rule::ForeignKeyWithoutNotValid => {
                "ADD FOREIGN KEY validates every row while both tables block writes"
            }
            Rule::CheckWithoutNotValid => "ADD CHECK validates every row under ACCESS EXCLUSIVE",
            Rule::UniqueWithoutUsingIndex => "ADD UNIQUE builds its index under ACCESS EXCLUSIVE",
            Rule::PrimaryKeyWithoutUsingIndex => {
                "ADD PRIMARY KEY builds its index under ACCESS EXCLUSIVE"
            }
            Rule::SetNotNullWithoutCheck => {
                "SET NOT NULL scans every row under ACCESS EXCLUSIVE (12+: not with a validated CHECK)"
            }
            Rule::ColumnTypeRewrite => {
                "ALTER COLUMN TYPE rewrites the table under ACCESS EXCLUSIVE"
            }
            Rule::ColumnTypeNoRewrite => {
                "ALTER COLUMN TYPE that is binary-coercible: no rewrite (information)"
            }
            Rule::AddColumnVolatileDefault => {
                "ADD COLUMN with a volatile default rewrites the table"
            }
            Rule::AddColumnSerial => "ADD COLUMN serial or identity rewrites the table",
            Rule::AddColumnGeneratedStored => "ADD COLUMN … GENERATED … STORED rewrites the table",
            Rule::AddColumnDefaultBefore11 => {
                "ADD COLUMN with any default rewrites the table before PostgreSQL 11"
            }
            Rule::RenameColumn => "RENAME COLUMN breaks running application code",
            Rule::RenameTable => "RENAME TABLE breaks running application code",
            Rule::DropColumn => "DROP COLUMN breaks running application code",
            Rule::DropTable => "DROP TABLE breaks running application code",
            Rule::VacuumFull => "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE",
            Rule::Cluster => "CLUSTER rewrites the table under ACCESS EXCLUSIVE",
            Rule::LockTable => "LOCK TABLE holds a lock for the rest of the transaction",
            Rule::RefreshMatviewWithoutConcurrently => {
                "REFRESH MATERIALIZED VIEW blocks reads of the view"
            }
            Rule::BackfillWithDdl => {
                "UPDATE/DELETE in the transaction of strong-lock DDL: the lock is held for the whole backfill"
            }
            Rule::SeveralStrongLocks => {
                "strong locks on several existing tables in one transaction"
            }
            Rule::ReleasesMigrationLock => {
                "DISCARD ALL or pg_advisory_unlock_all() releases the runner's migration lock (it is taken back after the migration)"
            }
            Rule::DisablesTimeouts => {
                "RESET ALL, or RESET, SET … TO DEFAULT or SET … = 0 of lock_timeout/statement_timeout: the rest of the migration runs without it"
            }
            Rule::NeedsNoTransaction => {
                "a statement that cannot run in a transaction, in a transactional file: it fails at run time"
            }
            Rule::AllowWithoutReason => {
                "a -- neonops:allow comment without a reason suppresses nothing"
            }
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}
