//! Every command and option, defined once. Help, completions and the man
//! page are generated from these definitions.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, builder::FalseyValueParser};

use crate::connect::ResolveRule;

#[derive(Debug, Parser)]
#[command(
    name = "neonops",
    version,
    about = "Schema migrations and database operations for Neon serverless PostgreSQL (and any PostgreSQL behind a PgBouncer-style pooler)",
    long_about = "Schema migrations and database operations for Neon serverless PostgreSQL, and for any PostgreSQL behind a PgBouncer-style pooler.\n\nWork that needs session state always runs on the direct endpoint: given a pooled Neon URL, neonops derives the direct one.",
    after_help = "Exit codes: 0 success, 1 a check or migration failed, 2 usage/configuration/input error, 3 could not connect, 4 internal error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The variables that stand for `--database-url` and `--direct-url`
/// (internal: how `neonops ci` passes them to its steps).
pub const FLAG_DATABASE_URL: &str = "NEONOPS_FLAG_DATABASE_URL";
pub const FLAG_DIRECT_URL: &str = "NEONOPS_FLAG_DIRECT_URL";

/// Options every command takes (under a heading of their own in each
/// command's help, after the command's own).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The application's database URL, usually the pooled endpoint [env: DATABASE_URL]
    // The hidden variable is how `neonops ci` hands a URL given as this
    // flag to its steps: as the flag (same precedence), never on their
    // command line, which `ps` shows.
    #[arg(long, global = true, value_name = "URL", env = FLAG_DATABASE_URL, hide_env = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// The direct (unpooled) URL [env: DATABASE_URL_DIRECT, DATABASE_URL_UNPOOLED, DIRECT_URL]
    #[arg(long, global = true, value_name = "URL", env = FLAG_DIRECT_URL, hide_env = true, hide_env_values = true)]
    pub direct_url: Option<String>,

    /// Use this environment from neonops.toml
    #[arg(
        long = "env",
        global = true,
        value_name = "NAME",
        env = "NEONOPS_ENV",
        hide_env_values = true
    )]
    pub env_name: Option<String>,

    /// Configuration file [default: ./neonops.toml]
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "NEONOPS_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,

    /// Machine-readable output on stdout
    #[arg(long, global = true)]
    pub json: bool,

    /// More log output on stderr (-v info, -vv debug, -vvv trace)
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Only errors on stderr; -qq nothing at all on stderr (the exit code and stdout say it)
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,

    /// Do not load a .env file from the current directory
    #[arg(long, global = true, env = "NEONOPS_NO_DOTENV", value_parser = FalseyValueParser::new(), hide_env_values = true)]
    pub no_dotenv: bool,

    /// Seconds to wait for each connection attempt [default: 10, or the URL's connect_timeout]
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        env = "NEONOPS_CONNECT_TIMEOUT",
        hide_env_values = true
    )]
    pub connect_timeout: Option<u64>,

    /// Pin a host name to addresses, as curl does: HOST:PORT:ADDR[,ADDR…] (PORT may be *) [env: NEONOPS_RESOLVE]
    #[arg(long, global = true, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<ResolveRule>,

    /// Answer yes to confirmations (required for protected environments without a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations on the direct endpoint
    Migrate(MigrateArgs),
    /// Applied, pending, divergent and missing migrations
    Status(StatusArgs),
    /// Create the next migration file
    New(NewArgs),
    /// Check the files against the history without changing anything
    Validate(StatusArgs),
    /// End the idle session that holds the migration lock (after confirmation; never an active one)
    Unlock,
    /// The locks, rewrites and scans of the migrations, with the safe way for each risky statement
    Lint(LintArgs),
    /// The SQL that turns one schema into another, read from their catalogs
    Diff(DiffArgs),
    /// Compare the live schema with what its applied migrations build
    Drift(DriftArgs),
    /// Diagnose both endpoints, limits, pool budget and migrations in one report
    Doctor(DoctorArgs),
    /// Migrate, inspect or check many tenant databases within each server's connection budget
    #[command(subcommand)]
    Fleet(FleetCommand),
    /// Convert and explain connection strings
    #[command(subcommand)]
    Url(UrlCommand),
    /// Connect to the pooled and the direct endpoint and run a query on each
    Check(CheckArgs),
    /// A pull request's checks in one report and one exit code: validate, lint the changed files, plan, rehearse, drift, diff the preview branch (and comment on the pull request)
    Ci(CiArgs),
    /// A local Neon-shaped stack: PostgreSQL 15 with TLS behind PgBouncer in transaction mode
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Write a commented neonops.toml
    Init(InitArgs),
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// Where the migration files are.
#[derive(Debug, Args, Clone, Default)]
pub struct MigrationsDir {
    /// The migrations directory [default: [migrations] dir, else ./migrations]
    #[arg(long, value_name = "PATH")]
    pub dir: Option<PathBuf>,
}

/// A report's format (commands that have a report).
#[derive(Debug, Args, Clone, Default)]
pub struct ReportArgs {
    /// Output format [default: table; json with --json]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ReportFormat>,
}

impl ReportArgs {
    /// The CI document asked for, if one was.
    pub fn document(&self) -> Option<crate::ci::Format> {
        self.format.and_then(ReportFormat::document)
    }

    /// `--format json` is `--json`.
    pub fn json(&self, g: &GlobalArgs) -> bool {
        g.json || self.format == Some(ReportFormat::Json)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    /// GitHub-flavoured Markdown (a PR comment, $GITHUB_STEP_SUMMARY)
    Markdown,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JUnit XML (GitLab, Jenkins, CircleCI)
    Junit,
}

impl ReportFormat {
    pub fn document(self) -> Option<crate::ci::Format> {
        match self {
            ReportFormat::Markdown => Some(crate::ci::Format::Markdown),
            ReportFormat::Sarif => Some(crate::ci::Format::Sarif),
            ReportFormat::Junit => Some(crate::ci::Format::Junit),
            ReportFormat::Table | ReportFormat::Json => None,
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub out: ReportArgs,
    /// Apply up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub target: Option<i32>,
    /// Print exactly what would run; change nothing
    #[arg(long, visible_alias = "dry-run")]
    pub plan: bool,
    /// Record pending migrations as applied without running them (baseline)
    #[arg(long, conflicts_with_all = ["plan", "grouped"])]
    pub fake: bool,
    /// Apply all pending migrations in one transaction
    #[arg(long, conflicts_with = "plan")]
    pub grouped: bool,
    /// How long to wait for another runner's migration lock [default: 120s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub lock_wait: Option<std::time::Duration>,
    /// lock_timeout for each migration's statements [default: 5s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// statement_timeout for each statement [default: 10min]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub statement_timeout: Option<std::time::Duration>,
    /// Retries of a migration that hit lock_timeout [default: 3]
    #[arg(long, value_name = "N")]
    pub lock_retries: Option<u32>,
    /// Continue the interrupted no-transaction migration VERSION at its statement STATEMENT (neonops says when this is needed)
    #[arg(long, value_name = "VERSION:STATEMENT", value_parser = parse_resume)]
    pub resume_from: Option<(i32, usize)>,
    /// On a protected environment, apply even when the safety analysis finds
    /// statements at [lint] fail_on (default error) without an allow comment
    #[arg(long)]
    pub allow_risky: bool,
    /// Rehearse the pending migrations on a Neon branch of the environment
    /// (deleted afterwards): each statement's real duration and lock holds.
    /// Changes nothing on the environment
    #[arg(long, conflicts_with_all = ["plan", "fake", "grouped", "resume_from"])]
    pub rehearse: bool,
    /// With --rehearse: then apply for real, if the rehearsal passed
    #[arg(long, requires = "rehearse")]
    pub apply: bool,
    /// With --rehearse: fail when a statement held a lock that blocks writes longer than this
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "rehearse")]
    pub max_lock: Option<std::time::Duration>,
    /// With --plan or --rehearse: say which pending migrations were added or edited since this git ref (a pull request's base, e.g. origin/main); an edited applied migration stops it
    #[arg(long, value_name = "REF", conflicts_with_all = ["fake", "grouped", "resume_from", "apply"])]
    pub changed_since: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Apply pending migrations to every target (canary first, then the rest)
    Migrate(FleetMigrateArgs),
    /// Each target's version and pending migrations; --exit-code finds the stragglers
    Status(FleetStatusArgs),
    /// The pre-deploy gate: every target logs in and answers a query
    Check(FleetCheckArgs),
}

/// Which databases, and how many at once.
#[derive(Debug, Args, Clone)]
pub struct FleetTargets {
    /// A file of database URLs, one per line ($VAR references, # comments) [default: [fleet] targets]
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Every database on the environment's server whose name matches (* any characters, ? one) [default: [fleet] match]
    #[arg(long = "match", value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// Databases worked on at once, at most; each server's free connections may allow fewer [default: [fleet] concurrency, else 32]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: Option<u32>,
    /// Connection slots left free on each server [default: [fleet] headroom, else 10% of max_connections, at least 3]
    #[arg(long, value_name = "N")]
    pub headroom: Option<u32>,
    /// Work on shard I of N only (1-based): a deterministic split, so N CI jobs cover the fleet once
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
}

#[derive(Debug, Args)]
pub struct FleetMigrateArgs {
    #[command(flatten)]
    pub fleet: FleetTargets,
    #[command(flatten)]
    pub dir: MigrationsDir,
    /// Apply up to and including this version
    #[arg(long, value_name = "VERSION")]
    pub target: Option<i32>,
    /// Show what would be applied to each target; change nothing
    #[arg(long, visible_alias = "dry-run")]
    pub plan: bool,
    /// Migrate K targets first and stop if any of them fails
    #[arg(long, value_name = "K")]
    pub canary: Option<usize>,
    /// After the canary, migrate every target and report every failure [default: stop at the first]
    #[arg(long)]
    pub keep_going: bool,
    /// lock_timeout for each migration's statements [default: 5s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// How long to wait for another runner's migration lock [default: 120s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub lock_wait: Option<std::time::Duration>,
    /// On a protected environment, apply even when the safety analysis finds statements at [lint] fail_on
    #[arg(long)]
    pub allow_risky: bool,
}

#[derive(Debug, Args)]
pub struct FleetStatusArgs {
    #[command(flatten)]
    pub fleet: FleetTargets,
    #[command(flatten)]
    pub dir: MigrationsDir,
    /// Exit 1 when any target has pending, divergent or missing migrations
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Args)]
pub struct FleetCheckArgs {
    #[command(flatten)]
    pub fleet: FleetTargets,
    #[command(flatten)]
    pub dir: MigrationsDir,
    /// Also fail when a target has migrations to apply
    #[arg(long)]
    pub require_no_pending: bool,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?}: write I/N with 1 <= I <= N, e.g. 2/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

fn parse_resume(s: &str) -> Result<(i32, usize), String> {
    let bad = || format!("{s:?}: write VERSION:STATEMENT, e.g. 5:2 (statements count from 1)");
    let (v, k) = s.split_once(':').ok_or_else(bad)?;
    let v: i32 = v
        .trim()
        .trim_start_matches(['V', 'v'])
        .parse()
        .map_err(|_| bad())?;
    let k: usize = k.trim().parse().map_err(|_| bad())?;
    if k == 0 {
        return Err(bad());
    }
    Ok((v, k))
}

pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (write e.g. 5s, 500ms, 2min)"))
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub out: ReportArgs,
    /// Exit 1 when anything is pending, divergent or missing (for CI gates)
    #[arg(long)]
    pub exit_code: bool,
}

/// Where a schema comes from (`diff --from/--to`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// The environment's direct endpoint.
    Live,
    /// The migrations directory replayed on a scratch database, up to a version.
    Migrations(Option<i32>),
    /// A database URL (a pooled Neon URL is read through its direct endpoint).
    Url(String),
}

impl std::str::FromStr for SchemaSource {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "live" => SchemaSource::Live,
            "migrations" => SchemaSource::Migrations(None),
            _ => match s.strip_prefix("migrations@") {
                Some(v) => SchemaSource::Migrations(Some(v.parse().map_err(|_| {
                    format!("migrations@{v}: the version after @ is a number (migrations@12)")
                })?)),
                None if s.contains("://") || s.contains('=') => SchemaSource::Url(s.to_string()),
                None if s.starts_with("env:") => {
                    // A URL kept out of the command line (ps, shell history).
                    let name = &s[4..];
                    match std::env::var(name) {
                        Ok(v) if !v.is_empty() => SchemaSource::Url(v),
                        _ => {
                            return Err(format!(
                                "{s}: the environment variable {name} is not set (env:NAME reads a database URL from $NAME)"
                            ));
                        }
                    }
                }
                None => {
                    return Err(format!(
                        "{s:?} is not a schema source: give live, migrations, migrations@VERSION or a database URL"
                    ));
                }
            },
        })
    }
}

/// The scratch server, for `migrations` sources and drift.
#[derive(Debug, Args, Clone, Default)]
pub struct ScratchArgs {
    /// A server where neonops creates (and drops) a scratch database to replay migrations on; the role needs CREATEDB; a Neon branch works [default: the local sandbox]
    #[arg(
        long,
        value_name = "URL",
        env = "NEONOPS_SCRATCH_URL",
        hide_env_values = true
    )]
    pub scratch_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub out: ReportArgs,
    #[command(flatten)]
    pub scratch: ScratchArgs,
    /// The schema as it is: live, migrations, migrations@VERSION, a database URL or env:NAME (the URL in $NAME)
    #[arg(long, value_name = "SRC")]
    pub from: SchemaSource,
    /// The schema it should become (same forms as --from)
    #[arg(long, value_name = "SRC")]
    pub to: SchemaSource,
    /// Exit 1 when the schemas differ (for CI gates)
    #[arg(long)]
    pub exit_code: bool,
    /// Write the plan as the next migration file(s) named NAME (split where a step cannot run in a transaction)
    #[arg(long, value_name = "NAME")]
    pub write: Option<String>,
    /// Let --write include statements that lose data (dropped tables and columns)
    #[arg(long)]
    pub allow_data_loss: bool,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub out: ReportArgs,
    #[command(flatten)]
    pub scratch: ScratchArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    /// SQL files to analyse, in this order [default: the migrations; with a database, the pending ones]
    pub files: Vec<PathBuf>,
    /// No database even if one is configured: no sizes, and --pg-version's rules
    #[arg(long)]
    pub offline: bool,
    /// PostgreSQL major version for the version-dependent rules without a database [default: 17, the newest Neon offers]
    #[arg(long, value_name = "N")]
    pub pg_version: Option<u32>,
    /// With a database: every migration, applied ones too
    #[arg(long, conflicts_with = "changed_since")]
    pub all: bool,
    /// Only the migrations added or edited since this git ref (a pull request's base, e.g. origin/main), applied or not; says when an applied one was edited
    #[arg(long, value_name = "REF", conflicts_with = "files")]
    pub changed_since: Option<String>,
    /// Output format [default: table; json with --json; github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<LintFormat>,
    /// The lowest severity that fails (exit 1) [default: [lint] fail_on, else error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// List the rules and exit
    #[arg(long)]
    pub rules: bool,
    /// Run the migrations statement by statement on a throwaway database, read the locks they take from pg_locks and the rewrites from relfilenode, then roll back
    #[arg(long)]
    pub trace: bool,
    /// The scratch database to trace on (a Neon branch, say) [default: a fresh database in the local sandbox]
    #[arg(long, value_name = "URL")]
    pub trace_url: Option<String>,
    /// Allow --trace-url to name the configured database itself (never a protected environment)
    #[arg(long)]
    pub trace_on_target: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Table,
    Json,
    Github,
    /// GitHub-flavoured Markdown (a PR comment, $GITHUB_STEP_SUMMARY)
    Markdown,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JUnit XML (GitLab, Jenkins, CircleCI)
    Junit,
}

impl LintFormat {
    pub fn document(self) -> Option<crate::ci::Format> {
        match self {
            LintFormat::Markdown => Some(crate::ci::Format::Markdown),
            LintFormat::Sarif => Some(crate::ci::Format::Sarif),
            LintFormat::Junit => Some(crate::ci::Format::Junit),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    /// What the migration does, e.g. "add users email index"
    pub name: String,
    /// Use this version instead of the next one
    #[arg(long, value_name = "N")]
    pub version: Option<i32>,
    /// Run this migration outside a transaction (CREATE INDEX CONCURRENTLY…)
    #[arg(long)]
    pub no_transaction: bool,
}

#[derive(Debug, Subcommand)]
pub enum UrlCommand {
    /// Print the direct endpoint's URL for a (pooled) URL
    Direct(UrlConvertArgs),
    /// Print the pooled endpoint's URL for a (direct) URL
    Pooled(UrlConvertArgs),
    /// Explain a URL: its parts, parameters, classification and warnings
    Explain(UrlArg),
}

#[derive(Debug, Args)]
pub struct UrlArg {
    /// The URL [default: the resolved database URL]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct UrlConvertArgs {
    #[command(flatten)]
    pub url: UrlArg,
    /// Print the password (the only place neonops ever does): for feeding other tools
    #[arg(long)]
    pub show_password: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check only one endpoint
    #[arg(long, value_enum, value_name = "ENDPOINT")]
    pub only: Option<EndpointChoice>,
    /// Fail when a query round trip takes longer than this
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_latency: Option<std::time::Duration>,
    /// Fail when migrations are pending, divergent or missing
    #[arg(long)]
    pub require_no_pending: bool,
    /// Keep trying with backoff until healthy or this much time has passed (a waking compute, a fresh branch)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub wait: Option<std::time::Duration>,
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub out: ReportArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Github,
    Prometheus,
    /// GitHub-flavoured Markdown (a PR comment, $GITHUB_STEP_SUMMARY)
    Markdown,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JUnit XML (GitLab, Jenkins, CircleCI)
    Junit,
}

impl Format {
    pub fn document(self) -> Option<crate::ci::Format> {
        match self {
            Format::Markdown => Some(crate::ci::Format::Markdown),
            Format::Sarif => Some(crate::ci::Format::Sarif),
            Format::Junit => Some(crate::ci::Format::Junit),
            _ => None,
        }
    }
}

/// A severity on the command line (`lint --fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for crate::lint::Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Info => Self::Info,
            SeverityArg::Warning => Self::Warning,
            SeverityArg::Error => Self::Error,
        }
    }
}

/// The lowest severity that fails `ci`, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    /// Report only: exit 0 unless a step could not run
    Never,
}

#[derive(Debug, Args)]
pub struct CiArgs {
    #[command(flatten)]
    pub dir: MigrationsDir,
    #[command(flatten)]
    pub scratch: ScratchArgs,
    /// Lint only the migrations added or edited since this git ref (a pull request's base, e.g. origin/main), and say them in the plan and the rehearsal [default: lint the pending ones]
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// The lowest severity of a finding that fails (exit 1); drift, a failed rehearsal and a lock over --max-lock fail unless never [default: [lint] fail_on, else error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Fail when a rehearsed statement held a lock that blocks writes longer than this
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_lock: Option<std::time::Duration>,
    /// Do not rehearse on a Neon branch, even with NEON_API_KEY set
    #[arg(long)]
    pub no_rehearse: bool,
    /// The preview branch's database URL: its schema is diffed against --main-url's
    #[arg(
        long,
        value_name = "URL",
        env = "NEONOPS_PREVIEW_URL",
        hide_env_values = true,
        requires = "main_url"
    )]
    pub preview_url: Option<String>,
    /// The main branch's database URL, for the preview diff
    #[arg(
        long,
        value_name = "URL",
        env = "NEONOPS_MAIN_URL",
        hide_env_values = true,
        requires = "preview_url"
    )]
    pub main_url: Option<String>,
    /// After every check passed, apply the pending migrations (the job that runs on merge)
    #[arg(long)]
    pub apply: bool,
    /// Create the pull request's neonops comment, or update it (GitHub Actions: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)
    #[arg(long)]
    pub comment: bool,
    #[command(flatten)]
    pub out: ReportArgs,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Warnings fail too (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Check every environment of neonops.toml, concurrently
    #[arg(long)]
    pub all_envs: bool,
    /// Output format [default: table; json with --json; github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EndpointChoice {
    Pooled,
    Direct,
}

#[derive(Debug, Args, Clone)]
pub struct SandboxDir {
    /// Where the sandbox keeps its data [default: $TMPDIR/neonops-sandbox-<user>]
    #[arg(
        long,
        value_name = "DIR",
        env = "NEONOPS_SANDBOX_DIR",
        hide_env_values = true
    )]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Start PostgreSQL 15 (TLS, scram-sha-256) and PgBouncer (transaction mode) on loopback
    Up {
        #[command(flatten)]
        dir: SandboxDir,
        /// Neon compute size in CU; sets max_connections as Neon does
        #[arg(long, default_value = "0.25", value_name = "CU")]
        compute_size: f64,
        /// PgBouncer's max_client_conn
        #[arg(long, default_value_t = 10000, value_name = "N")]
        max_client_conn: u32,
        /// PgBouncer's query_wait_timeout in seconds
        #[arg(long, default_value_t = 120, value_name = "SECONDS")]
        query_wait_timeout: u32,
        /// PgBouncer's default_pool_size [default: 0.9 × max_connections, as Neon]
        #[arg(long, value_name = "N")]
        pool_size: Option<u32>,
        /// PostgreSQL's max_connections, instead of the compute size's (a
        /// smaller server than any Neon compute, for connection-budget tests)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(10..))]
        max_connections: Option<u32>,
        /// Branches the control-plane stand-in allows, main included (Neon's Free plan: 10)
        #[arg(long, default_value_t = 10, value_name = "N")]
        branch_limit: usize,
    },
    /// Serve the control-plane stand-in (started by `up`)
    #[command(hide = true)]
    Api {
        #[command(flatten)]
        dir: SandboxDir,
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 10)]
        branch_limit: usize,
    },
    /// Stop what `up` started, and remove its data
    Down {
        #[command(flatten)]
        dir: SandboxDir,
        /// Keep the data directory
        #[arg(long)]
        keep: bool,
    },
    /// Restart PostgreSQL as a Neon compute restarts: every session is cut
    Restart {
        #[command(flatten)]
        dir: SandboxDir,
        /// Stop as a crash would (no shutdown checkpoint), not a fast shutdown
        #[arg(long)]
        immediate: bool,
    },
    /// Whether the sandbox is running, with its endpoints
    Status {
        #[command(flatten)]
        dir: SandboxDir,
    },
    /// Print the variables to export: eval "$(neonops sandbox env)"
    Env {
        #[command(flatten)]
        dir: SandboxDir,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write [default: ./neonops.toml, or --config]
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
    /// Name of the environment to declare
    #[arg(long, default_value = "production", value_name = "NAME")]
    pub environment: String,
    /// Variable that holds the application (pooled) URL
    #[arg(long, default_value = "DATABASE_URL", value_name = "VAR")]
    pub database_url_var: String,
    /// Variable that holds the direct URL
    #[arg(long, default_value = "DATABASE_URL_DIRECT", value_name = "VAR")]
    pub direct_url_var: String,
    /// Mark the environment protected (migrate asks before changing it)
    #[arg(long)]
    pub protected: bool,
    /// The migrations directory
    #[arg(long, default_value = "migrations", value_name = "DIR")]
    pub migrations_dir: PathBuf,
    /// Never prompt, even on a terminal
    #[arg(long)]
    pub no_input: bool,
}
