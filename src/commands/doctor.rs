//! `neonops doctor`: one report, as a table, JSON, GitHub annotations or
//! Prometheus metrics.

use crate::annotation::{Annotation, Level};
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{DoctorArgs, Format, GlobalArgs};
use crate::doctor::{self, Report, Status};
use crate::exit::{Exit, usage};
use crate::output::table;
use crate::settings::Settings;

fn icon(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Info => "info",
    }
}

fn table_text(r: &Report) -> String {
    let mut out = String::new();
    if let Some(env) = &r.environment {
        let _ = writeln!(out, "environment {env}");
    }
    let mut t = table(&["status", "check", "endpoint", "detail", "fix"]);
    for f in &r.findings {
        t.add_row(vec![
            icon(f.status).to_string(),
            f.check.clone(),
            f.endpoint.clone().unwrap_or_default(),
            f.detail.clone(),
            f.fix.clone().unwrap_or_default(),
        ]);
    }
    let _ = writeln!(out, "{t}");
    if !r.connections.is_empty() {
        let mut c = table(&["state", "application_name", "role", "connections"]);
        for g in &r.connections {
            c.add_row(vec![
                g.state.clone(),
                g.application_name.clone(),
                g.role.clone(),
                g.count.to_string(),
            ]);
        }
        let _ = writeln!(out, "{c}");
    }
    if let Some(b) = &r.budget {
        let _ = writeln!(out, "pool budget:");
        for line in &b.arithmetic {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = write!(
        out,
        "{}: {} passed, {} warnings, {} failed ({} ms)",
        if r.summary.fail > 0 {
            "FAILED"
        } else if r.summary.warn > 0 {
            "ok with warnings"
        } else {
            "ok"
        },
        r.summary.pass,
        r.summary.warn,
        r.summary.fail,
        r.elapsed_ms
    );
    out
}

fn github_text(r: &Report) -> String {
    let mut out = String::new();
    for f in &r.findings {
        let kind = match f.status {
            Status::Fail => Level::Error,
            Status::Warn => Level::Warning,
            _ => continue,
        };
        let msg = format!(
            "{}{}{}",
            f.detail,
            f.fix
                .as_ref()
                .map(|x| format!(" — fix: {x}"))
                .unwrap_or_default(),
            r.environment
                .as_ref()
                .map(|e| format!(" (environment {e})"))
                .unwrap_or_default()
        );
        let title = format!(
            "neonops doctor: {}{}",
            f.check,
            f.endpoint
                .as_ref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "{}", Annotation::new(kind, &title, &msg));
    }
    let _ = write!(
        out,
        "neonops doctor: {} passed, {} warnings, {} failed",
        r.summary.pass, r.summary.warn, r.summary.fail
    );
    out
}

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The Prometheus text format, for node_exporter's textfile collector.
pub fn prometheus(reports: &[Report]) -> String {
    let mut m = Metrics::default();
    let level = |s: Status| match s {
        Status::Fail => 2,
        Status::Warn => 1,
        _ => 0,
    };
    m.gauge(
        "neonops_doctor_status",
        "Worst finding: 0 pass, 1 warn, 2 fail.",
        reports
            .iter()
            .map(|r| (vec![env_label(r)], level(r.worst()).to_string()))
            .collect(),
    );
    let mut checks = Vec::new();
    for r in reports {
        let mut seen = std::collections::BTreeMap::new();
        for f in &r.findings {
            let key = (f.check.clone(), f.endpoint.clone().unwrap_or_default());
            let e = seen.entry(key).or_insert(0);
            *e = (*e).max(level(f.status));
        }
        for ((check, ep), v) in seen {
            checks.push((
                vec![env_label(r), ("check", check), ("endpoint", ep)],
                v.to_string(),
            ));
        }
    }
    m.gauge(
        "neonops_check_status",
        "Each check: 0 pass or info, 1 warn, 2 fail.",
        checks,
    );
    let endpoints = || {
        reports
            .iter()
            .flat_map(|r| r.endpoints.iter().map(move |p| (r, p)))
    };
    let at =
        |r: &Report, p: &doctor::Probe| vec![env_label(r), ("endpoint", p.endpoint.to_string())];
    m.gauge(
        "neonops_endpoint_up",
        "Whether neonops could log in to the endpoint.",
        endpoints()
            .map(|(r, p)| (at(r, p), u8::from(p.error.is_none()).to_string()))
            .collect(),
    );
    let mut stages = Vec::new();
    for (r, p) in endpoints() {
        let Some(t) = &p.timings else { continue };
        for (stage, d) in [
            ("dns", t.dns),
            ("tcp", t.tcp),
            ("tls", t.tls),
            ("auth", t.auth),
        ] {
            if let Some(d) = d {
                let mut labels = at(r, p);
                labels.push(("stage", stage.to_string()));
                stages.push((labels, format!("{:.6}", d.as_secs_f64())));
            }
        }
    }
    m.gauge(
        "neonops_connect_stage_seconds",
        "Time spent in each connection stage.",
        stages,
    );
    m.gauge(
        "neonops_query_latency_seconds",
        "Median round trip of SELECT 1.",
        endpoints()
            .filter_map(|(r, p)| {
                p.latency_ms
                    .map(|l| (at(r, p), format!("{:.6}", l / 1000.0)))
            })
            .collect(),
    );
    for (name, help, get) in [
        (
            "neonops_max_connections",
            "max_connections of the direct endpoint.",
            (|l: &doctor::Limits| l.max_connections) as fn(&doctor::Limits) -> u64,
        ),
        (
            "neonops_reserved_connections",
            "superuser_reserved_connections + reserved_connections.",
            |l| l.superuser_reserved_connections + l.reserved_connections,
        ),
        (
            "neonops_connections_in_use",
            "Client backends connected.",
            |l| l.in_use,
        ),
    ] {
        m.gauge(
            name,
            help,
            reports
                .iter()
                .filter_map(|r| {
                    r.limits
                        .as_ref()
                        .map(|l| (vec![env_label(r)], get(l).to_string()))
                })
                .collect(),
        );
    }
    m.0
}

fn env_label(r: &Report) -> (&'static str, String) {
    ("environment", r.environment.clone().unwrap_or_default())
}

/// The Prometheus text format: a gauge's HELP and TYPE, then its samples.
#[derive(Default)]
struct Metrics(String);

type Sample = (Vec<(&'static str, String)>, String);

impl Metrics {
    fn gauge(&mut self, name: &str, help: &str, samples: Vec<Sample>) {
        let o = &mut self.0;
        let _ = writeln!(o, "# HELP {name} {help}");
        let _ = writeln!(o, "# TYPE {name} gauge");
        for (labels, value) in samples {
            let labels: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", label(v)))
                .collect();
            let _ = writeln!(o, "{name}{{{}}} {value}", labels.join(","));
        }
    }
}

#[derive(Serialize)]
struct Many<'a> {
    ok: bool,
    environments: &'a [Report],
}

pub fn run(g: &GlobalArgs, args: DoctorArgs) -> Result<Exit> {
    let vars = |k: &str| std::env::var(k).ok();
    let base = Settings::resolve(g, &vars)?;
    let format = args.format.unwrap_or(if g.json {
        Format::Json
    } else if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        Format::Github
    } else {
        Format::Table
    });
    let settings: Vec<Settings> = if args.all_envs {
        if g.env_name.is_some() {
            return Err(usage("--all-envs and --env NAME exclude each other"));
        }
        let names: Vec<String> = base.config.environments.keys().cloned().collect();
        if names.is_empty() {
            return Err(usage(format!(
                "--all-envs: {} declares no [environments]",
                base.config_path.display()
            )));
        }
        names
            .into_iter()
            .map(|n| {
                let mut a = g.clone();
                a.env_name = Some(n);
                Settings::resolve(&a, &vars)
            })
            .collect::<Result<_>>()?
    } else {
        vec![base]
    };
    // Environments in parallel, each on a thread of its own.
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = settings
            .iter()
            .map(|s| {
                // The drift check's scratch server: NEONOPS_SCRATCH_URL, else
                // the running sandbox; none, no check.
                let url = std::env::var("NEONOPS_SCRATCH_URL").ok();
                let scratch = super::scratch::choose(s, url.as_deref()).ok();
                scope.spawn(move || doctor::run(s, scratch.as_ref()))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect::<Result<_>>()
    })?;
    // --format json is --json for this command.
    let p = crate::output::printer().with_json(format == Format::Json);
    let text = || {
        let each: Vec<String> = match format {
            Format::Github => reports.iter().map(github_text).collect(),
            Format::Prometheus => vec![prometheus(&reports).trim_end().to_string()],
            _ => reports.iter().map(table_text).collect(),
        };
        each.join("\n")
    };
    if reports.len() == 1 {
        p.report(&reports[0], text);
    } else {
        p.report(
            &Many {
                ok: reports.iter().all(|r| r.ok),
                environments: &reports,
            },
            text,
        );
    }
    let worst = reports
        .iter()
        .map(Report::worst)
        .max()
        .unwrap_or(Status::Pass);
    Ok(if reports.iter().any(Report::unreachable) {
        Exit::Connect
    } else if worst == Status::Fail || (args.strict && worst == Status::Warn) {
        Exit::Failure
    } else {
        Exit::Success
    })
}
