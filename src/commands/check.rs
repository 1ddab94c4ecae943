//! `neonops check`: log in to both endpoints and answer a query on each.

use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use crate::cli::{CheckArgs, EndpointChoice, GlobalArgs};
use crate::connect::{self, ConnectError};
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, usage};
use crate::output::{print_json, table};
use crate::settings::{Settings, Sourced};

/// One endpoint's result (part of the `--json` schema).
#[derive(Debug, Serialize)]
pub struct EndpointCheck {
    pub endpoint: &'static str,
    pub url: String,
    pub source: String,
    pub ok: bool,
    pub connect_ms: Option<u64>,
    pub query_ms: Option<u64>,
    pub tls: Option<bool>,
    pub server_version: Option<String>,
    pub error: Option<ConnectError>,
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub endpoints: Vec<EndpointCheck>,
    pub notes: Vec<String>,
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

async fn check_one(
    settings: &Settings,
    name: &'static str,
    url: &Sourced<DatabaseUrl>,
) -> Result<EndpointCheck> {
    let spec = ConnectSpec::resolve(&url.value, &settings.pg_env)?;
    let opts = settings.connect_options(&url.value);
    let mut out = EndpointCheck {
        endpoint: name,
        url: url.value.redacted(),
        source: url.source.clone(),
        ok: false,
        connect_ms: None,
        query_ms: None,
        tls: None,
        server_version: None,
        error: None,
    };
    match connect::connect(&spec, &opts).await {
        Ok(c) => {
            out.connect_ms = Some(ms(c.elapsed));
            out.tls = Some(c.tls);
            let t = Instant::now();
            match c
                .client
                .simple_query("select current_setting('server_version')")
                .await
            {
                Ok(rows) => {
                    out.query_ms = Some(ms(t.elapsed()));
                    out.server_version = rows.iter().find_map(|m| match m {
                        tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                        _ => None,
                    });
                    out.ok = true;
                }
                Err(e) => {
                    out.error = Some(ConnectError {
                        stage: connect::Stage::Server,
                        target: c.target.clone(),
                        address: c.address.map(|a| a.to_string()),
                        sqlstate: e.code().map(|c| c.code().to_string()),
                        message: format!("the first query failed: {e}"),
                        timed_out: false,
                        retryable: false,
                        attempts: c.attempts,
                        elapsed: c.elapsed,
                    })
                }
            }
        }
        Err(e) => out.error = Some(e),
    }
    Ok(out)
}

pub async fn run(g: &GlobalArgs, args: CheckArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let mut eps = settings.endpoints()?;
    match args.only {
        Some(EndpointChoice::Pooled) => {
            if eps.pooled.is_none() && args.only.is_none() {
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
    let mut notes = Vec::new();
    if eps.pooled.is_none() && args.only.is_none() {
        notes.push("no pooled endpoint: only the direct one is checked".to_string());
    }
    if let Some(r) = &eps.no_direct_reason {
        notes.push(format!("no direct endpoint: {r}"));
    }
    let (pooled, direct) = tokio::join!(
        async {
            match &eps.pooled {
                Some(u) => Some(check_one(&settings, "pooled", u).await),
                None => None,
            }
        },
        async {
            match &eps.direct {
                Some(u) => Some(check_one(&settings, "direct", u).await),
                None => None,
            }
        }
    );
    let endpoints: Vec<EndpointCheck> = [pooled, direct]
        .into_iter()
        .flatten()
        .collect::<Result<_>>()?;
    let report = CheckReport {
        ok: endpoints.iter().all(|e| e.ok),
        endpoints,
        notes,
    };
    if settings.json {
        print_json(&report);
    } else {
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
                Some(err) => err.to_string(),
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
        println!("{t}");
        for n in &report.notes {
            println!("note: {n}");
        }
    }
    Ok(if report.ok {
        Exit::Success
    } else if report.endpoints.iter().any(|e| e.connect_ms.is_none()) {
        Exit::Connect
    } else {
        Exit::Failure
    })
}
