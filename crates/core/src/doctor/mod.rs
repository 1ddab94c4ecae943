//! `neonops doctor`: URLs, both endpoints stage by stage, limits, the pool
//! budget and migrations, in one report whose exit code follows from it.
//!
//! One module per concern: `urls` (no network), `probe` (each endpoint,
//! stage by stage), `limits` (connection limits and sessions on the direct
//! endpoint), `migrations`, `budget` (the application pools), `diagnose`
//! (naming a failure); this file puts the report together.

pub mod budget;
pub mod diagnose;
pub mod limits;
mod migrations;
mod probe;
mod tls;
mod urls;

use std::time::Instant;

use serde::Serialize;

use crate::runtime::{block_on, side_by_side};
use crate::schema::scratch::Server;
use crate::target::Target;
pub use diagnose::{Diagnosis, diagnose};
pub use limits::{Connections, Limits, compute_size_for};
pub use probe::Probe;
pub use urls::url_findings;

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

pub(crate) use crate::rows::text as rows;

/// Run every check for one environment (its target). Each endpoint is
/// probed on a thread of its own, so one probe's work never delays the
/// other's clock.
/// With a Neon API key: the branches rehearsals left behind (a rehearsal
/// killed with kill -9 never deletes its own); none without a key, or when
/// the project cannot be told.
fn rehearsal_branches(target: &Target, eps: &crate::target::Endpoints) -> Option<Finding> {
    let api = crate::neon_api::NeonApi::from_env(&|k| std::env::var(k).ok()).ok()?;
    let project = match target.config.neon.project_id.clone() {
        Some(p) => p,
        None => {
            let url = eps.direct.as_ref().or(eps.pooled.as_ref())?;
            let host = url.value.hosts().into_iter().next()?;
            let id = crate::endpoint::neon::parse_host(&host.name)?.endpoint_id;
            api.locate_endpoint(&id).ok()?.0
        }
    };
    let branches = match api.branches(&project) {
        Ok(b) => b,
        Err(e) => {
            return Some(Finding::new(
                Status::Warn,
                "rehearsal branches",
                None,
                format!("not checked: {e}"),
                None,
            ));
        }
    };
    let now = std::time::SystemTime::now();
    let left: Vec<String> = branches
        .iter()
        .filter(|b| b.name.starts_with("neonops-rehearsal-"))
        .map(|b| {
            let past = b
                .expires_at
                .as_deref()
                .and_then(|e| humantime::parse_rfc3339_weak(e).ok())
                .is_some_and(|e| e <= now);
            format!(
                "{} ({}, {} {})",
                b.name,
                b.id,
                if past { "expired at" } else { "expires at" },
                b.expires_at.as_deref().unwrap_or("?")
            )
        })
        .collect();
    Some(if left.is_empty() {
        Finding::new(
            Status::Pass,
            "rehearsal branches",
            None,
            format!("none left in project {project}"),
            None,
        )
    } else {
        Finding::new(
            Status::Warn,
            "rehearsal branches",
            None,
            format!(
                "{} left by rehearsals (each counts against the branch limit): {}",
                left.len(),
                left.join(", ")
            ),
            Some("if no rehearsal is running, delete them in the Neon console or with `neon branches delete <id>`; the next rehearsal deletes those past their expiry".into()),
        )
    })
}

/// `scratch`: where the schema-drift check replays the applied migrations
/// (none: no such check).
pub fn run(target: &Target, scratch: Option<&Server>) -> anyhow::Result<Report> {
    let started = Instant::now();
    let eps = target.endpoints()?;
    let mut findings = url_findings(target, &eps);
    let (mut pooled, direct) = side_by_side(
        || {
            eps.pooled
                .as_ref()
                .map(|u| block_on(probe::probe(target, "pooled", u, false, None)))
        },
        || {
            eps.direct
                .as_ref()
                .map(|u| block_on(probe::probe(target, "direct", u, true, scratch)))
        },
    );
    if let (Some(p), Some(d)) = (&mut pooled, &direct)
        && let (Some(pd), Some(dd)) = (&p.probe.diagnosis, &d.probe.diagnosis)
        && let Some(named) = diagnose::pooled_given_direct(pd, dd)
    {
        p.probe.diagnosis = Some(named);
    }
    let mut endpoints = Vec::new();
    let mut limits = None;
    let mut connections = Vec::new();
    let mut budget = None;
    let mut migration = Vec::new();
    for (p, url) in [(pooled, &eps.pooled), (direct, &eps.direct)] {
        let (Some(p), Some(url)) = (p, url) else {
            continue;
        };
        findings.extend(tls::for_url(target, &url.value, &p.probe));
        findings.extend(probe::endpoint_findings(&p.probe));
        if let Some(facts) = p.facts {
            findings.extend(limits::limit_findings(&facts.limits, &target.config.doctor));
            if !target.config.pools.is_empty() {
                let (b, bf) = budget::evaluate(&target.config.pools, &facts.limits);
                findings.extend(bf);
                budget = Some(b);
            }
            limits = Some(facts.limits);
            connections = facts.groups;
        }
        migration.extend(p.migrations);
        endpoints.push(p.probe);
    }
    if budget.is_none() && !target.config.pools.is_empty() {
        findings.push(Finding::new(
            Status::Warn,
            "pool budget",
            None,
            "not computed: the direct endpoint's limits could not be read".into(),
            None,
        ));
    }
    findings.extend(migration);
    findings.extend(rehearsal_branches(target, &eps));
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
        environment: target.env_name.clone(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        summary,
        findings,
        endpoints,
        limits,
        connections,
        budget,
    })
}
