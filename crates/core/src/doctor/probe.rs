//! Each endpoint, stage by stage: connect (one attempt), a few round trips,
//! and on the direct endpoint the limits, TLS as the server sees it, and the
//! migrations. Every query after login has connect_timeout to answer.

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_postgres::Client;

use super::limits::{DirectFacts, read_limits};
use super::migrations::migration_findings;
use super::{Diagnosis, Finding, Status, diagnose, rows};
use crate::connect::{self, ConnectError, Timings, tls::TlsInfo};
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::schema::scratch::Server;
use crate::target::{Sourced, Target};

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
    /// Reached through a Unix-domain socket.
    pub unix_socket: bool,
    /// TLS version and cipher as the server saw them (direct endpoint only:
    /// behind a pooler the server sees the pooler's connection).
    pub tls_version: Option<String>,
    /// Median of a few `SELECT 1` round trips, in ms.
    pub latency_ms: Option<f64>,
    pub samples_ms: Vec<f64>,
    pub server_version: Option<String>,
    pub error: Option<ConnectError>,
    pub diagnosis: Option<Diagnosis>,
    /// What the session proved to be at run time (connect::proof).
    pub session: Option<SessionSeen>,
}

/// The session as measured, whatever the URL says.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SessionSeen {
    /// The cancel key names the backend: PostgreSQL's own session.
    Direct { pid: i32 },
    /// A pooler or proxy in between keeps one server session per client.
    Kept { pid: i32 },
    /// A transaction or statement pooler: what showed it.
    Pooled { evidence: String },
}

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

pub(super) struct Probed {
    pub probe: Probe,
    pub facts: Option<DirectFacts>,
    pub migrations: Vec<Finding>,
}

pub(super) async fn probe(
    target: &Target,
    name: &'static str,
    url: &Sourced<DatabaseUrl>,
    direct: bool,
    scratch: Option<&Server>,
) -> Probed {
    let mut p = Probe {
        endpoint: name,
        url: url.value.redacted(),
        source: url.source.clone(),
        kind: url.value.kind(target.poolers()).label().to_string(),
        addresses: Vec::new(),
        timings: None,
        tls: None,
        encrypted: None,
        unix_socket: false,
        tls_version: None,
        latency_ms: None,
        samples_ms: Vec::new(),
        server_version: None,
        error: None,
        diagnosis: None,
        session: None,
    };
    let spec = match ConnectSpec::resolve(&url.value, &target.pg_env) {
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
    let opts = target.diagnostic_options(&url.value);
    let c = match connect::connect(&spec, &opts).await {
        Ok(c) => c,
        Err(e) => {
            // Name resolution worked: show where it pointed (one more lookup,
            // only on failure).
            if e.stage != connect::Stage::Dns
                && let Some(t) = spec.targets.first()
                && !t.is_unix_socket()
            {
                let timeout = opts.per_attempt(&spec);
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
    p.unix_socket = c.unix_socket;
    // A paused pooler accepts the login and then never answers: every query
    // after login shares one deadline.
    let limit = opts.per_attempt(&spec);
    let outcome = tokio::time::timeout(
        limit,
        logged_in(target, &c, (&spec, &opts), direct, scratch, &mut p),
    )
    .await;
    let error = match outcome {
        Ok(Ok((facts, migrations))) => {
            return Probed {
                probe: p,
                facts,
                migrations,
            };
        }
        // Logged in, but the first query failed (a pooler's queue, a limit…).
        Ok(Err(e)) => c.query_error("the first query failed", &e),
        Err(_) => c.query_timeout("doctor's queries", limit),
    };
    p.diagnosis = Some(diagnose(&error));
    p.error = Some(error);
    Probed {
        probe: p,
        facts: None,
        migrations: Vec::new(),
    }
}

/// Round trips, and on the direct endpoint limits, TLS and migrations.
async fn logged_in(
    target: &Target,
    c: &connect::Connected,
    again: (&ConnectSpec, &connect::ConnectOptions),
    direct: bool,
    scratch: Option<&Server>,
    p: &mut Probe,
) -> Result<(Option<DirectFacts>, Vec<Finding>), tokio_postgres::Error> {
    // The first sample travels with the limit queries (pipelined).
    let (first, facts, ssl) = tokio::join!(
        sample(&c.client),
        async {
            if direct {
                read_limits(&c.client, &target.config.doctor).await
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
    let mut samples = vec![first?];
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
    p.session = Some(session(c, again).await?);
    p.server_version = facts.as_ref().map(|f| f.limits.server_version.clone());
    let migrations = if direct {
        migration_findings(target, &c.client, scratch).await
    } else {
        Vec::new()
    };
    Ok((facts, migrations))
}

/// Prove the session (connect::proof): what it is, whatever the URL says.
async fn session(
    c: &connect::Connected,
    (spec, opts): (&ConnectSpec, &connect::ConnectOptions),
) -> Result<SessionSeen, tokio_postgres::Error> {
    use crate::connect::proof::{self, Proven};
    let second = async { connect::connect(spec, opts).await.ok().map(|c| c.client) };
    Ok(
        match proof::prove(&c.client, c.key_pid, &c.target, second).await? {
            Ok(Proven::Direct { pid }) => SessionSeen::Direct { pid },
            Ok(Proven::Kept { pid }) => SessionSeen::Kept { pid },
            Err(e) => SessionSeen::Pooled {
                evidence: e.pooled.evidence,
            },
        },
    )
}

/// The session finding: the direct endpoint must be a session of its own.
fn session_finding(p: &Probe) -> Option<Finding> {
    let ep = Some(p.endpoint);
    let direct = p.endpoint == "direct";
    Some(match p.session.as_ref()? {
        SessionSeen::Direct { pid } => Finding::new(
            if direct { Status::Pass } else { Status::Warn },
            "session",
            ep,
            format!("PostgreSQL's own session: the cancel key names the backend (pid {pid})"),
            (!direct).then(|| {
                "no pooler answered on this endpoint: the application's connections here each hold a server connection".to_string()
            }),
        ),
        SessionSeen::Kept { pid } => Finding::new(
            if direct { Status::Pass } else { Status::Info },
            "session",
            ep,
            format!(
                "a pooler or proxy in between keeps one server session per client (backend pid {pid}): session work runs through it"
            ),
            None,
        ),
        SessionSeen::Pooled { evidence } => Finding::new(
            if direct { Status::Fail } else { Status::Info },
            "session",
            ep,
            format!("a transaction pooler: {evidence}"),
            direct.then(|| {
                "migrations need a session on PostgreSQL itself: give the server's own URL (DATABASE_URL_DIRECT or --direct-url), or declare the pooler under [[pooler]] in neonops.toml with direct_host".to_string()
            }),
        ),
    })
}

pub(super) fn endpoint_findings(p: &Probe) -> Vec<Finding> {
    let mut f = Vec::new();
    let ep = Some(p.endpoint);
    match (&p.error, &p.diagnosis) {
        (Some(e), Some(d)) => f.push(Finding::new(
            Status::Fail,
            "connect",
            ep,
            d.detail(&e.to_string()),
            Some(d.fix.clone()),
        )),
        _ => {
            let t = p.timings.clone().unwrap_or_default();
            let ms = |d: Option<Duration>| {
                d.map(|d| format!("{:.1} ms", d.as_secs_f64() * 1000.0))
                    .unwrap_or_else(|| "-".into())
            };
            let stages = match t.socket {
                Some(socket) => format!("socket {} · auth {}", ms(Some(socket)), ms(t.auth)),
                None => format!(
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
            };
            f.push(Finding::new(Status::Pass, "connect", ep, stages, None));
            f.extend(session_finding(p));
            // An unencrypted connection is judged in `tls`, by where the server is.
            if let Some(info) = &p.tls {
                f.push(Finding::new(
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
                ));
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
