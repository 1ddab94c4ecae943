//! `neonops doctor`: URLs, both endpoints stage by stage, limits, the pool
//! budget and migrations, in one report whose exit code follows from it.

pub mod budget;
pub mod diagnose;

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_postgres::{Client, SimpleQueryMessage};

use crate::connect::{self, ConnectError, Timings, tls::TlsInfo};
use crate::endpoint::advice::Severity;
use crate::endpoint::spec::{RootCert, SslMode};
use crate::endpoint::{ConnectSpec, DatabaseUrl, EndpointKind};
use crate::migrate::{self, run as mrun};
use crate::settings::{Endpoints, Settings, Sourced};
pub use diagnose::{Diagnosis, diagnose};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Info,
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub status: Status,
    pub check: String,
    pub endpoint: Option<String>,
    pub detail: String,
    pub fix: Option<String>,
}

impl Finding {
    pub fn new(
        status: Status,
        check: &str,
        endpoint: Option<&str>,
        detail: String,
        fix: Option<String>,
    ) -> Finding {
        Finding {
            status,
            check: check.to_string(),
            endpoint: endpoint.map(str::to_string),
            detail,
            fix,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub endpoint: &'static str,
    pub url: String,
    pub source: String,
    pub kind: String,
    pub addresses: Vec<String>,
    pub timings: Option<Timings>,
    pub tls: Option<TlsInfo>,
    pub encrypted: Option<bool>,
    /// TLS version and cipher as the server saw them (direct endpoint only:
    /// behind a pooler the server sees the pooler's connection).
    pub tls_version: Option<String>,
    /// Median of a few `SELECT 1` round trips, in ms.
    pub latency_ms: Option<f64>,
    pub samples_ms: Vec<f64>,
    pub server_version: Option<String>,
    pub error: Option<ConnectError>,
    pub diagnosis: Option<Diagnosis>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Limits {
    pub server_version: String,
    pub max_connections: u64,
    pub superuser_reserved_connections: u64,
    pub reserved_connections: u64,
    pub role: String,
    pub role_connection_limit: i64,
    pub database: String,
    pub database_connection_limit: i64,
    /// Whether this role sees every session's details (pg_read_all_stats).
    pub sees_all_sessions: bool,
    pub in_use: u64,
    pub hidden_sessions: u64,
    /// Sessions idle in a transaction past `[doctor] idle_in_transaction`.
    pub idle_in_transaction: u64,
    /// Queries running past `[doctor] long_running`.
    pub long_running: u64,
    pub blocked: u64,
    pub invalid_indexes: Vec<String>,
    /// The Neon compute size these limits imply.
    pub compute_size: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Connections {
    pub state: String,
    pub application_name: String,
    pub role: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub info: usize,
}

/// The `--json` report (documented in the README).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ok: bool,
    pub environment: Option<String>,
    pub elapsed_ms: u64,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub endpoints: Vec<Probe>,
    pub limits: Option<Limits>,
    pub connections: Vec<Connections>,
    pub budget: Option<budget::Budget>,
}

impl Report {
    pub fn worst(&self) -> Status {
        self.findings
            .iter()
            .map(|f| f.status)
            .max()
            .unwrap_or(Status::Pass)
    }

    pub fn unreachable(&self) -> bool {
        self.endpoints.iter().any(|p| p.error.is_some())
    }
}

/// Neon's compute size for a max_connections value, when it is one of Neon's.
pub fn compute_size_for(max_connections: u64) -> Option<String> {
    const SIZES: [f64; 12] = [0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 56.0];
    for cu in SIZES {
        if crate::sandbox::max_connections_for(cu) as u64 == max_connections {
            return Some(if max_connections == 4000 {
                "9–56 CU".into()
            } else {
                format!("{cu} CU")
            });
        }
    }
    None
}

fn rows(m: &[SimpleQueryMessage]) -> Vec<Vec<String>> {
    m.iter()
        .filter_map(|x| match x {
            SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("").to_string())
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

const LIMITS_SQL: &str = "SELECT current_setting('server_version'), current_setting('max_connections'), current_setting('superuser_reserved_connections'), coalesce(current_setting('reserved_connections', true), '0'), current_user, (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user)::text, current_database(), (SELECT datconnlimit FROM pg_database WHERE datname = current_database())::text, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')::text";
/// Client backends; another role's sessions have no backend_type without pg_read_all_stats.
fn activity_sql(idle: Duration, long: Duration) -> String {
    format!(
        "SELECT count(*)::text, count(*) FILTER (WHERE state IS NULL)::text, count(*) FILTER (WHERE state = 'idle in transaction' AND now() - state_change > interval '{} milliseconds')::text, count(*) FILTER (WHERE state = 'active' AND now() - query_start > interval '{} milliseconds' AND pid <> pg_backend_pid())::text, count(*) FILTER (WHERE cardinality(pg_blocking_pids(pid)) > 0)::text FROM pg_stat_activity WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL)",
        idle.as_millis(),
        long.as_millis()
    )
}
const GROUPS_SQL: &str = "SELECT coalesce(state, '(not visible)'), coalesce(nullif(application_name, ''), '(none)'), coalesce(usename, ''), count(*)::text FROM pg_stat_activity WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL) GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2";
const INVALID_SQL: &str =
    "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid ORDER BY 1";

async fn sample(client: &Client) -> Result<f64, tokio_postgres::Error> {
    let t = Instant::now();
    client.simple_query("SELECT 1").await?;
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some((v[v.len() / 2] * 100.0).round() / 100.0)
}

struct DirectFacts {
    limits: Limits,
    groups: Vec<Connections>,
}

async fn read_limits(client: &Client, thresholds: &crate::config::Doctor) -> Option<DirectFacts> {
    let activity = activity_sql(thresholds.idle_in_transaction, thresholds.long_running);
    let (l, a, g, i) = tokio::join!(
        client.simple_query(LIMITS_SQL),
        client.simple_query(&activity),
        client.simple_query(GROUPS_SQL),
        client.simple_query(INVALID_SQL)
    );
    let l = rows(&l.ok()?).pop()?;
    let a = rows(&a.ok()?).pop()?;
    let n = |s: &str| s.parse::<u64>().unwrap_or(0);
    let max_connections = n(&l[1]);
    Some(DirectFacts {
        limits: Limits {
            server_version: l[0].clone(),
            max_connections,
            superuser_reserved_connections: n(&l[2]),
            reserved_connections: n(&l[3]),
            role: l[4].clone(),
            role_connection_limit: l[5].parse().unwrap_or(-1),
            database: l[6].clone(),
            database_connection_limit: l[7].parse().unwrap_or(-1),
            sees_all_sessions: l[8] == "true",
            in_use: n(&a[0]),
            hidden_sessions: n(&a[1]),
            idle_in_transaction: n(&a[2]),
            long_running: n(&a[3]),
            blocked: n(&a[4]),
            invalid_indexes: i
                .map(|m| rows(&m).into_iter().map(|r| r[0].clone()).collect())
                .unwrap_or_default(),
            compute_size: compute_size_for(max_connections),
        },
        groups: g
            .map(|m| {
                rows(&m)
                    .into_iter()
                    .map(|r| Connections {
                        state: r[0].clone(),
                        application_name: r[1].clone(),
                        role: r[2].clone(),
                        count: n(&r[3]),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

struct Probed {
    probe: Probe,
    facts: Option<DirectFacts>,
    migrations: Vec<Finding>,
}

async fn probe(
    settings: &Settings,
    name: &'static str,
    url: &Sourced<DatabaseUrl>,
    direct: bool,
) -> Probed {
    let mut p = Probe {
        endpoint: name,
        url: url.value.redacted(),
        source: url.source.clone(),
        kind: url.value.kind(settings.poolers()).label().to_string(),
        addresses: Vec::new(),
        timings: None,
        tls: None,
        encrypted: None,
        tls_version: None,
        latency_ms: None,
        samples_ms: Vec::new(),
        server_version: None,
        error: None,
        diagnosis: None,
    };
    let spec = match ConnectSpec::resolve(&url.value, &settings.pg_env) {
        Ok(s) => s,
        Err(e) => {
            let ce = ConnectError {
                stage: connect::Stage::Config,
                target: url
                    .value
                    .hosts()
                    .first()
                    .map(|h| h.name.clone())
                    .unwrap_or_default(),
                address: None,
                sqlstate: None,
                message: e.to_string(),
                timed_out: false,
                retryable: false,
                attempts: 0,
                elapsed: Duration::ZERO,
            };
            p.diagnosis = Some(diagnose(&ce));
            p.error = Some(ce);
            return Probed {
                probe: p,
                facts: None,
                migrations: Vec::new(),
            };
        }
    };
    let opts = settings.diagnostic_options(&url.value);
    let c = match connect::connect(&spec, &opts).await {
        Ok(c) => c,
        Err(e) => {
            // Name resolution worked: show where it pointed (one more lookup,
            // only on failure).
            if e.stage != connect::Stage::Dns
                && let Some(t) = spec.targets.first()
            {
                let timeout = opts
                    .connect_timeout_override
                    .or(spec.connect_timeout)
                    .unwrap_or(opts.connect_timeout);
                if let Ok(addrs) = connect::resolve_addresses(t, &opts, timeout).await {
                    p.addresses = addrs.iter().map(|a| a.ip().to_string()).collect();
                }
            }
            p.diagnosis = Some(diagnose(&e));
            p.error = Some(e);
            return Probed {
                probe: p,
                facts: None,
                migrations: Vec::new(),
            };
        }
    };
    p.addresses = c.addresses.iter().map(|a| a.ip().to_string()).collect();
    p.timings = Some(c.timings.clone());
    p.tls = c.tls_info.clone();
    p.encrypted = Some(c.tls);
    // The first sample travels with the limit queries (pipelined).
    let (first, facts, ssl) = tokio::join!(
        sample(&c.client),
        async {
            if direct {
                read_limits(&c.client, &settings.config.doctor).await
            } else {
                None
            }
        },
        async {
            if direct && c.tls {
                c.client
                    .simple_query("SELECT version || ' ' || cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                    .await
                    .ok()
                    .and_then(|m| rows(&m).pop())
                    .and_then(|r| r.into_iter().next())
            } else {
                None
            }
        }
    );
    p.tls_version = ssl;
    let mut samples = Vec::new();
    match first {
        Ok(s) => samples.push(s),
        Err(e) => {
            // Logged in, but the first query failed (a pooler's queue, a limit…).
            let ce = c.query_error("the first query failed", &e);
            p.diagnosis = Some(diagnose(&ce));
            p.error = Some(ce);
            return Probed {
                probe: p,
                facts: None,
                migrations: Vec::new(),
            };
        }
    }
    for _ in 0..2 {
        if let Ok(s) = sample(&c.client).await {
            samples.push(s);
        }
    }
    p.samples_ms = samples
        .iter()
        .map(|s| (s * 100.0).round() / 100.0)
        .collect();
    p.latency_ms = median(&mut samples);
    p.server_version = facts.as_ref().map(|f| f.limits.server_version.clone());
    let migrations = if direct {
        migration_findings(settings, &c.client).await
    } else {
        Vec::new()
    };
    Probed {
        probe: p,
        facts,
        migrations,
    }
}

async fn migration_findings(settings: &Settings, client: &Client) -> Vec<Finding> {
    let dir = &settings.config.migrations.dir;
    if !dir.is_dir() {
        return vec![Finding::new(
            Status::Info,
            "migrations",
            Some("direct"),
            format!("no migrations directory at {}", dir.display()),
            None,
        )];
    }
    let files = match migrate::files::load(dir) {
        Ok(f) => f,
        Err(problems) => {
            return problems
                .into_iter()
                .map(|p| {
                    Finding::new(
                        Status::Fail,
                        "migration files",
                        None,
                        p.to_string(),
                        Some("fix the file (see `neonops validate`)".into()),
                    )
                })
                .collect();
        }
    };
    let Ok(table) = migrate::Table::new(&settings.config.migrations.table) else {
        return Vec::new();
    };
    match mrun::plan(client, &files, table).await {
        Err(e) => vec![Finding::new(
            Status::Fail,
            "migrations",
            Some("direct"),
            e.to_string(),
            None,
        )],
        Ok(out) => {
            let mut f: Vec<Finding> = out
                .comparison
                .problems
                .iter()
                .map(|p| {
                    Finding::new(
                        Status::Fail,
                        "migrations",
                        Some("direct"),
                        p.to_string(),
                        Some("see `neonops status`".into()),
                    )
                })
                .collect();
            let pending = out.comparison.pending.len();
            f.push(Finding::new(
                if pending > 0 {
                    Status::Warn
                } else {
                    Status::Pass
                },
                "migrations",
                Some("direct"),
                format!(
                    "{} applied, {pending} pending",
                    out.comparison
                        .entries
                        .iter()
                        .filter(|e| e.state == migrate::State::Applied)
                        .count()
                ),
                (pending > 0).then(|| "run `neonops migrate`".to_string()),
            ));
            f
        }
    }
}

/// Checks on the URLs themselves: no network.
pub fn url_findings(settings: &Settings, eps: &Endpoints) -> Vec<Finding> {
    let mut f = Vec::new();
    let poolers = settings.poolers();
    for (name, url) in [("pooled", &eps.pooled), ("direct", &eps.direct)] {
        let Some(url) = url else { continue };
        let kind = url.value.kind(poolers);
        f.push(Finding::new(
            Status::Info,
            "classification",
            Some(name),
            format!("{} ({})", kind.label(), url.source),
            None,
        ));
        let Ok(spec) = ConnectSpec::resolve(&url.value, &settings.pg_env) else {
            continue;
        };
        for n in spec
            .notes
            .iter()
            .filter(|n| n.handling != crate::endpoint::Handling::Used)
        {
            f.push(Finding::new(
                Status::Info,
                "url parameter",
                Some(name),
                format!("{}={}: {:?}: {}", n.key, n.value, n.handling, n.why).to_lowercase(),
                None,
            ));
        }
        let (status, detail) = match (spec.sslmode, &spec.rootcert) {
            (SslMode::VerifyFull, _) => (
                Status::Pass,
                "sslmode=verify-full: encrypted, server verified".to_string(),
            ),
            (SslMode::VerifyCa, _) => (
                Status::Warn,
                "sslmode=verify-ca: the host name is not checked".into(),
            ),
            (SslMode::Require, RootCert::None) => (
                Status::Warn,
                "sslmode=require encrypts but does not verify the server".into(),
            ),
            (SslMode::Require, _) => (
                Status::Warn,
                "sslmode=require with a root certificate verifies the chain, not the host name"
                    .into(),
            ),
            (m, _) => (
                Status::Fail,
                format!(
                    "sslmode={} may send the password and data unencrypted",
                    m.as_str()
                ),
            ),
        };
        f.push(Finding::new(
            status,
            "tls mode",
            Some(name),
            detail,
            (status != Status::Pass).then(|| "use sslmode=verify-full&sslrootcert=system (Neon's certificates chain to ISRG Root X1)".to_string()),
        ));
        for a in crate::endpoint::advice::for_endpoint(&url.value, &spec, &kind) {
            let status = match a.severity {
                Severity::Warn => Status::Warn,
                Severity::Fail => Status::Fail,
            };
            f.push(Finding::new(
                status,
                a.check,
                Some(name),
                a.message,
                Some(a.fix),
            ));
        }
    }
    // The pooled URL and the direct URL must name the same endpoint, role and database.
    if let (Some(p), Some(d)) = (&eps.pooled, &eps.direct) {
        let pk = p.value.kind(poolers);
        let dk = d.value.kind(poolers);
        if let (EndpointKind::NeonPooled { neon: pn }, EndpointKind::NeonDirect { neon: dn }) =
            (&pk, &dk)
        {
            let same = pn.endpoint_id == dn.endpoint_id;
            f.push(Finding::new(
                if same { Status::Pass } else { Status::Fail },
                "pooled url",
                Some("pooled"),
                if same {
                    format!(
                        "the pooled host is the -pooler of endpoint {}",
                        pn.endpoint_id
                    )
                } else {
                    format!(
                        "the pooled URL is endpoint {} but the direct URL is {}",
                        pn.endpoint_id, dn.endpoint_id
                    )
                },
                (!same).then(|| {
                    "use the pooled and direct URLs of the same branch and compute".to_string()
                }),
            ));
        } else if matches!(dk, EndpointKind::NeonPooled { .. }) {
            f.push(Finding::new(
                Status::Fail,
                "direct url",
                Some("direct"),
                "the direct URL is a pooled (-pooler) endpoint".into(),
                Some("drop -pooler from the host of the direct URL".into()),
            ));
        }
        let get = |u: &DatabaseUrl, k: &str| u.get(k).map(|s| s.value.clone());
        for key in ["user", "dbname"] {
            let (a, b) = (get(&p.value, key), get(&d.value, key));
            if a != b {
                f.push(Finding::new(
                    Status::Fail,
                    "pooled url",
                    Some("pooled"),
                    format!(
                        "{key} differs: pooled {:?}, direct {:?}",
                        a.unwrap_or_default(),
                        b.unwrap_or_default()
                    ),
                    Some("the two URLs should name the same role and database".into()),
                ));
            }
        }
    }
    if eps.pooled.is_none() {
        let serverless = settings
            .config
            .pools
            .iter()
            .any(|p| p.kind == crate::config::ConsumerKind::Serverless);
        if serverless {
            f.push(Finding::new(
                Status::Warn,
                "application url",
                None,
                "serverless consumers are configured but the application URL is not pooled".into(),
                Some("give serverless functions the pooled (-pooler) URL".into()),
            ));
        }
    }
    if let Some(r) = &eps.no_direct_reason {
        f.push(Finding::new(
            Status::Warn,
            "direct url",
            None,
            format!("no direct endpoint: {r}"),
            Some("give --direct-url".into()),
        ));
    }
    f
}

fn endpoint_findings(p: &Probe) -> Vec<Finding> {
    let mut f = Vec::new();
    let ep = Some(p.endpoint);
    match (&p.error, &p.diagnosis) {
        (Some(e), Some(d)) => f.push(Finding::new(
            Status::Fail,
            "connect",
            ep,
            format!("{}: {} ({})", d.cause, d.explanation, e),
            Some(d.fix.clone()),
        )),
        _ => {
            let t = p.timings.clone().unwrap_or_default();
            let ms = |d: Option<Duration>| {
                d.map(|d| format!("{:.1} ms", d.as_secs_f64() * 1000.0))
                    .unwrap_or_else(|| "-".into())
            };
            f.push(Finding::new(
                Status::Pass,
                "connect",
                ep,
                format!(
                    "dns {} ({}) · tcp {} · tls {} · auth {}",
                    ms(t.dns),
                    if p.addresses.is_empty() {
                        "-".into()
                    } else {
                        p.addresses.join(", ")
                    },
                    ms(t.tcp),
                    ms(t.tls),
                    ms(t.auth)
                ),
                None,
            ));
            match (&p.tls, p.encrypted) {
                (Some(info), _) => f.push(Finding::new(
                    Status::Info,
                    "certificate",
                    ep,
                    format!(
                        "{}subject {} · issuer {} · valid until {}",
                        p.tls_version
                            .as_ref()
                            .map(|v| format!("{v} · "))
                            .unwrap_or_default(),
                        info.subject,
                        info.issuer,
                        info.not_after
                    ),
                    None,
                )),
                (None, Some(false)) => f.push(Finding::new(
                    Status::Fail,
                    "encryption",
                    ep,
                    "the connection is not encrypted".into(),
                    Some("use sslmode=verify-full".into()),
                )),
                _ => {}
            }
            if let Some(l) = p.latency_ms {
                f.push(Finding::new(
                    Status::Pass,
                    "latency",
                    ep,
                    format!("median {l:.2} ms over {} round trips", p.samples_ms.len()),
                    None,
                ));
            }
        }
    }
    f
}

fn limit_findings(l: &Limits, thresholds: &crate::config::Doctor) -> Vec<Finding> {
    let mut f = Vec::new();
    let ep = Some("direct");
    let reserved = l.superuser_reserved_connections + l.reserved_connections;
    let usable = l.max_connections.saturating_sub(reserved);
    f.push(Finding::new(
        Status::Info,
        "server",
        ep,
        format!(
            "PostgreSQL {} · max_connections {} · reserved {} (superuser {}, reserved_connections {}){}",
            l.server_version,
            l.max_connections,
            reserved,
            l.superuser_reserved_connections,
            l.reserved_connections,
            l.compute_size.as_ref().map(|c| format!(" · Neon compute {c}")).unwrap_or_default()
        ),
        None,
    ));
    let pct = (l.in_use * 100).checked_div(usable).unwrap_or(100);
    let status = if l.in_use >= usable {
        Status::Fail
    } else if pct >= 80 {
        Status::Warn
    } else {
        Status::Pass
    };
    f.push(Finding::new(
        status,
        "connections",
        ep,
        format!("{} in use of {usable} usable ({pct}%)", l.in_use),
        (status != Status::Pass).then(|| "close idle sessions, route applications through the pooled endpoint, or use a larger compute".to_string()),
    ));
    for (what, limit) in [
        ("role", l.role_connection_limit),
        ("database", l.database_connection_limit),
    ] {
        if limit >= 0 {
            f.push(Finding::new(
                Status::Info,
                "connection limit",
                ep,
                format!("{what} connection limit {limit}"),
                None,
            ));
        }
    }
    if !l.sees_all_sessions && l.hidden_sessions > 0 {
        f.push(Finding::new(
            Status::Warn,
            "visibility",
            ep,
            format!(
                "role {} cannot see the state of {} other session(s): counts below are partial",
                l.role, l.hidden_sessions
            ),
            Some("grant pg_read_all_stats (or pg_monitor) to the role that runs doctor".into()),
        ));
    }
    let t = |d: Duration| humantime::format_duration(d).to_string();
    let idle = format!(
        "idle in transaction for over {}",
        t(thresholds.idle_in_transaction)
    );
    let long = format!("active for over {}", t(thresholds.long_running));
    let sessions = [
        (
            l.idle_in_transaction,
            idle.as_str(),
            "commit or roll back sooner; set idle_in_transaction_session_timeout",
        ),
        (
            l.long_running,
            long.as_str(),
            "check for runaway queries (pg_stat_activity) and set statement_timeout",
        ),
        (
            l.blocked,
            "waiting on locks held by other sessions",
            "find the blockers with pg_blocking_pids()",
        ),
    ];
    for (n, what, fix) in sessions {
        f.push(Finding::new(
            if n > 0 { Status::Warn } else { Status::Pass },
            "sessions",
            ep,
            format!("{n} session(s) {what}"),
            (n > 0).then(|| fix.to_string()),
        ));
    }
    f.push(Finding::new(
        if l.invalid_indexes.is_empty() {
            Status::Pass
        } else {
            Status::Warn
        },
        "indexes",
        ep,
        if l.invalid_indexes.is_empty() {
            "no invalid indexes".into()
        } else {
            format!("INVALID: {}", l.invalid_indexes.join(", "))
        },
        (!l.invalid_indexes.is_empty()).then(|| {
            format!(
                "DROP INDEX CONCURRENTLY {}; and build it again",
                l.invalid_indexes.join(", ")
            )
        }),
    ));
    f
}

/// Run every check for one environment (its settings).
/// Run a future on a runtime of its own (on the calling thread).
fn on_own_runtime<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

/// Run every check for one environment (its settings). Each endpoint is
/// probed on a thread of its own, so one probe's work never delays the
/// other's clock.
pub fn run(settings: &Settings) -> anyhow::Result<Report> {
    let started = Instant::now();
    let eps = settings.endpoints()?;
    let mut findings = url_findings(settings, &eps);
    let (pooled, direct) = std::thread::scope(|scope| {
        let pooled = eps
            .pooled
            .as_ref()
            .map(|u| scope.spawn(move || on_own_runtime(probe(settings, "pooled", u, false))));
        let direct = eps
            .direct
            .as_ref()
            .map(|u| scope.spawn(move || on_own_runtime(probe(settings, "direct", u, true))));
        let join = |h: Option<std::thread::ScopedJoinHandle<'_, Probed>>| {
            h.map(|h| h.join().expect("probe thread"))
        };
        (join(pooled), join(direct))
    });
    let mut endpoints = Vec::new();
    let mut limits = None;
    let mut connections = Vec::new();
    let mut budget = None;
    let mut migration = Vec::new();
    for p in [pooled, direct].into_iter().flatten() {
        findings.extend(endpoint_findings(&p.probe));
        if let Some(facts) = p.facts {
            findings.extend(limit_findings(&facts.limits, &settings.config.doctor));
            if !settings.config.pools.is_empty() {
                let (b, bf) = budget::evaluate(&settings.config.pools, &facts.limits);
                findings.extend(bf);
                budget = Some(b);
            }
            limits = Some(facts.limits);
            connections = facts.groups;
        }
        migration.extend(p.migrations);
        endpoints.push(p.probe);
    }
    if budget.is_none() && !settings.config.pools.is_empty() {
        findings.push(Finding::new(
            Status::Warn,
            "pool budget",
            None,
            "not computed: the direct endpoint's limits could not be read".into(),
            None,
        ));
    }
    findings.extend(migration);
    let mut summary = Summary::default();
    for f in &findings {
        match f.status {
            Status::Pass => summary.pass += 1,
            Status::Warn => summary.warn += 1,
            Status::Fail => summary.fail += 1,
            Status::Info => summary.info += 1,
        }
    }
    Ok(Report {
        ok: summary.fail == 0,
        environment: settings.env_name.clone(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        summary,
        findings,
        endpoints,
        limits,
        connections,
        budget,
    })
}
