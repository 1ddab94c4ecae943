//! `neonops check`: log in to both endpoints and answer a query on each.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use crate::cli::{CheckArgs, EndpointChoice, GlobalArgs};
use crate::connect::{self, ConnectError, Timings};
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, usage};
use crate::output::table;
use crate::runtime::{block_on, side_by_side};
use crate::settings::{Endpoints, Settings, Sourced};

/// One endpoint's result (part of the `--json` schema).
#[derive(Debug, Serialize)]
pub struct EndpointCheck {
    pub endpoint: &'static str,
    pub url: String,
    pub source: String,
    pub ok: bool,
    pub connect_ms: Option<u64>,
    pub query_ms: Option<u64>,
    /// Stage by stage (dns, tcp or socket, tls, auth), as doctor shows them.
    pub timings: Option<Timings>,
    pub tls: Option<bool>,
    pub server_version: Option<String>,
    pub error: Option<ConnectError>,
    pub diagnosis: Option<crate::doctor::Diagnosis>,
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub endpoints: Vec<EndpointCheck>,
    /// Pending migrations, with --require-no-pending.
    pub pending: Option<usize>,
    /// Why the check failed (latency, migrations…), besides connection errors.
    pub problems: Vec<String>,
    /// Rounds run (more than one with --wait).
    pub rounds: u32,
    pub notes: Vec<String>,
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// Connect to one endpoint and answer a query; with `pending`, also compare
/// the migrations (direct endpoint). Every query has connect_timeout to answer.
async fn check_one(
    settings: &Settings,
    name: &'static str,
    url: &Sourced<DatabaseUrl>,
    pending: Option<&CheckArgs>,
) -> Result<(EndpointCheck, Option<Result<(usize, Vec<String>)>>)> {
    let spec = ConnectSpec::resolve(&url.value, &settings.pg_env)?;
    let opts = settings.diagnostic_options(&url.value);
    let limit = opts.per_attempt(&spec);
    let mut out = EndpointCheck {
        endpoint: name,
        url: url.value.redacted(),
        source: url.source.clone(),
        ok: false,
        connect_ms: None,
        query_ms: None,
        timings: None,
        tls: None,
        server_version: None,
        error: None,
        diagnosis: None,
    };
    let mut migrations = None;
    match connect::connect(&spec, &opts).await {
        Ok(c) => {
            out.connect_ms = Some(ms(c.elapsed));
            out.timings = Some(c.timings.clone());
            out.tls = Some(c.tls);
            let t = Instant::now();
            let query = c
                .client
                .simple_query("select current_setting('server_version')");
            match tokio::time::timeout(limit, query).await {
                Ok(Ok(rows)) => {
                    out.query_ms = Some(ms(t.elapsed()));
                    out.server_version = rows.iter().find_map(|m| match m {
                        tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                        _ => None,
                    });
                    out.ok = true;
                }
                Ok(Err(e)) => out.error = Some(c.query_error("the first query failed", &e)),
                Err(_) => out.error = Some(c.query_timeout("the first query", limit)),
            }
            if out.ok
                && let Some(args) = pending
            {
                migrations = match tokio::time::timeout(
                    limit,
                    pending_of(settings, args, &c.client),
                )
                .await
                {
                    Ok(r) => Some(r),
                    Err(_) => {
                        out.ok = false;
                        out.error = Some(c.query_timeout("reading the migration history", limit));
                        None
                    }
                };
            }
        }
        Err(e) => out.error = Some(e),
    }
    out.diagnosis = out.error.as_ref().map(crate::doctor::diagnose);
    Ok((out, migrations))
}

/// Pending, divergent or missing migrations on the direct endpoint.
async fn pending_of(
    settings: &Settings,
    args: &CheckArgs,
    client: &tokio_postgres::Client,
) -> Result<(usize, Vec<String>)> {
    let files = super::migrate::load_or_refuse(settings, &args.dir)?;
    let table = crate::migrate::Table::new(&settings.config.migrations.table).map_err(usage)?;
    let out = crate::migrate::run::plan(client, &files, table)
        .await
        .map_err(super::migrate::run_error)?;
    Ok((
        out.comparison.pending.len(),
        out.comparison
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect(),
    ))
}

/// The pooled endpoint's failure named again from the direct endpoint's (a
/// login stalled at the pooler on a database the direct one says is not).
fn named_in_light_of_direct(endpoints: &mut [EndpointCheck]) {
    let direct = endpoints
        .iter()
        .find(|e| e.endpoint == "direct")
        .and_then(|e| e.diagnosis.clone());
    if let Some(d) = direct
        && let Some(p) = endpoints.iter_mut().find(|e| e.endpoint == "pooled")
        && let Some(named) = p
            .diagnosis
            .as_ref()
            .and_then(|pd| crate::doctor::diagnose::pooled_given_direct(pd, &d))
    {
        p.diagnosis = Some(named);
    }
}

/// The endpoints `--only` keeps: the one it names must be known.
fn only(mut eps: Endpoints, only: Option<EndpointChoice>) -> Result<Endpoints> {
    match only {
        Some(EndpointChoice::Pooled) => {
            if eps.pooled.is_none() {
                return Err(usage(
                    "--only pooled: no pooled endpoint is known (give a pooled URL, or a Neon direct URL)",
                ));
            }
            eps.direct = None;
            eps.no_direct_reason = None;
        }
        Some(EndpointChoice::Direct) => {
            if eps.direct.is_none() {
                return Err(usage(format!(
                    "--only direct: no direct endpoint: {}",
                    eps.no_direct_reason
                        .as_deref()
                        .unwrap_or("give --direct-url")
                )));
            }
            eps.pooled = None;
        }
        None => {}
    }
    Ok(eps)
}

/// The report as a table, then its problems and notes.
fn table_text(report: &CheckReport) -> String {
    let mut t = table(&["endpoint", "status", "host", "connect", "query", "detail"]);
    for e in &report.endpoints {
        let host = DatabaseUrl::parse(&e.url)
            .ok()
            .and_then(|u| u.hosts().first().map(|h| h.name.clone()))
            .unwrap_or_default();
        let ms = |v: Option<u64>| v.map(|v| format!("{v} ms")).unwrap_or_else(|| "-".into());
        let detail = match &e.error {
            None => format!(
                "TLS {} · PostgreSQL {}",
                if e.tls == Some(true) { "on" } else { "off" },
                e.server_version
                    .as_deref()
                    .and_then(|v| v.split_whitespace().next())
                    .unwrap_or("?")
            ),
            Some(err) => match &e.diagnosis {
                Some(d) => crate::exit::with_fix(&d.detail(&err.to_string()), &d.fix),
                None => err.to_string(),
            },
        };
        t.add_row(vec![
            e.endpoint.to_string(),
            if e.ok { "ok" } else { "FAIL" }.into(),
            host,
            ms(e.connect_ms),
            ms(e.query_ms),
            detail,
        ]);
    }
    let mut out = t.to_string();
    for p in &report.problems {
        out.push_str(&format!("\nproblem: {p}"));
    }
    for n in &report.notes {
        out.push_str(&format!("\nnote: {n}"));
    }
    out
}

/// One round: both endpoints at once, each on a thread of its own.
fn round(settings: &Settings, args: &CheckArgs, eps: &Endpoints) -> Result<CheckReport> {
    let pending = args.require_no_pending.then_some(args);
    let (pooled, direct) = side_by_side(
        || {
            eps.pooled
                .as_ref()
                .map(|u| block_on(check_one(settings, "pooled", u, None)))
        },
        || {
            eps.direct
                .as_ref()
                .map(|u| block_on(check_one(settings, "direct", u, pending)))
        },
    );
    let mut endpoints = Vec::new();
    let mut migrations = None;
    for r in [pooled, direct].into_iter().flatten() {
        let (e, m) = r?;
        if m.is_some() {
            migrations = m;
        }
        endpoints.push(e);
    }
    named_in_light_of_direct(&mut endpoints);
    let mut problems = Vec::new();
    if let Some(max) = args.max_latency {
        for e in &endpoints {
            if let Some(q) = e.query_ms
                && q as u128 > max.as_millis()
            {
                problems.push(format!(
                    "{}: a query took {q} ms, over --max-latency {} ms",
                    e.endpoint,
                    max.as_millis()
                ));
            }
        }
    }
    let mut pending_count = None;
    if args.require_no_pending {
        match migrations {
            Some(m) => {
                let (n, drift) = m?;
                pending_count = Some(n);
                if n > 0 {
                    problems.push(format!("{n} migration(s) pending: run `neonops migrate`"));
                }
                problems.extend(drift);
            }
            None if eps.direct.is_none() => {
                problems.push("--require-no-pending needs the direct endpoint".into())
            }
            None => {}
        }
    }
    Ok(CheckReport {
        ok: endpoints.iter().all(|e| e.ok) && problems.is_empty(),
        endpoints,
        pending: pending_count,
        problems,
        rounds: 1,
        notes: Vec::new(),
    })
}

pub fn run(g: &GlobalArgs, args: CheckArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let eps = only(settings.endpoints()?, args.only)?;
    let mut notes = Vec::new();
    if eps.pooled.is_none() && args.only.is_none() {
        notes.push("no pooled endpoint: only the direct one is checked".to_string());
    }
    if let Some(r) = &eps.no_direct_reason {
        notes.push(format!("no direct endpoint: {r}"));
    }
    let started = Instant::now();
    let mut backoff =
        crate::backoff::Backoff::new(Duration::from_millis(500), Duration::from_secs(5));
    let mut rounds = 0;
    let mut report = loop {
        rounds += 1;
        let r = round(&settings, &args, &eps)?;
        let Some(wait) = args.wait else { break r };
        let pause = backoff.pause();
        if r.ok || started.elapsed() + pause > wait {
            break r;
        }
        tracing::info!(
            "not healthy yet ({}); trying again in {} ms",
            r.problems.join("; "),
            pause.as_millis()
        );
        std::thread::sleep(pause);
    };
    report.rounds = rounds;
    report.notes = notes;
    settings.printer.report(&report, || {
        if report.ok && g.verbose == 0 {
            // Quiet on success: one line.
            let parts: Vec<String> = report
                .endpoints
                .iter()
                .map(|e| {
                    format!(
                        "{} {} ms",
                        e.endpoint,
                        e.connect_ms.unwrap_or(0) + e.query_ms.unwrap_or(0)
                    )
                })
                .collect();
            format!("ok: {}", parts.join(", "))
        } else {
            table_text(&report)
        }
    });
    Ok(if report.ok {
        Exit::Success
    } else if report
        .endpoints
        .iter()
        .any(|e| e.error.is_some() && e.connect_ms.is_none())
    {
        Exit::Connect
    } else {
        Exit::Failure
    })
}
