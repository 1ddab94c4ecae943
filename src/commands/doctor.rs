//! `neonops doctor`: one report, as a table, JSON, GitHub annotations or
//! Prometheus metrics.

use crate::annotation::{Annotation, Level};
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{DoctorArgs, Format, GlobalArgs};
use crate::doctor::{self, Report, Status};
use crate::exit::{Exit, usage};
use crate::output::{Printer, table};
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
    let mut o = String::new();
    let env = |r: &Report| label(r.environment.as_deref().unwrap_or(""));
    let _ = writeln!(
        o,
        "# HELP neonops_doctor_status Worst finding: 0 pass, 1 warn, 2 fail."
    );
    let _ = writeln!(o, "# TYPE neonops_doctor_status gauge");
    for r in reports {
        let v = match r.worst() {
            Status::Fail => 2,
            Status::Warn => 1,
            _ => 0,
        };
        let _ = writeln!(o, "neonops_doctor_status{{environment=\"{}\"}} {v}", env(r));
    }
    let _ = writeln!(
        o,
        "# HELP neonops_check_status Each check: 0 pass or info, 1 warn, 2 fail."
    );
    let _ = writeln!(o, "# TYPE neonops_check_status gauge");
    for r in reports {
        let mut seen = std::collections::BTreeMap::new();
        for f in &r.findings {
            let v = match f.status {
                Status::Fail => 2,
                Status::Warn => 1,
                _ => 0,
            };
            let key = (f.check.clone(), f.endpoint.clone().unwrap_or_default());
            let e = seen.entry(key).or_insert(0);
            *e = (*e).max(v);
        }
        for ((check, ep), v) in seen {
            let _ = writeln!(
                o,
                "neonops_check_status{{environment=\"{}\",check=\"{}\",endpoint=\"{}\"}} {v}",
                env(r),
                label(&check),
                label(&ep)
            );
        }
    }
    let _ = writeln!(
        o,
        "# HELP neonops_endpoint_up Whether neonops could log in to the endpoint."
    );
    let _ = writeln!(o, "# TYPE neonops_endpoint_up gauge");
    for r in reports {
        for p in &r.endpoints {
            let _ = writeln!(
                o,
                "neonops_endpoint_up{{environment=\"{}\",endpoint=\"{}\"}} {}",
                env(r),
                p.endpoint,
                u8::from(p.error.is_none())
            );
        }
    }
    let _ = writeln!(
        o,
        "# HELP neonops_connect_stage_seconds Time spent in each connection stage."
    );
    let _ = writeln!(o, "# TYPE neonops_connect_stage_seconds gauge");
    for r in reports {
        for p in &r.endpoints {
            if let Some(t) = &p.timings {
                for (stage, d) in [
                    ("dns", t.dns),
                    ("tcp", t.tcp),
                    ("tls", t.tls),
                    ("auth", t.auth),
                ] {
                    if let Some(d) = d {
                        let _ = writeln!(
                            o,
                            "neonops_connect_stage_seconds{{environment=\"{}\",endpoint=\"{}\",stage=\"{stage}\"}} {:.6}",
                            env(r),
                            p.endpoint,
                            d.as_secs_f64()
                        );
                    }
                }
            }
        }
    }
    let _ = writeln!(
        o,
        "# HELP neonops_query_latency_seconds Median round trip of SELECT 1."
    );
    let _ = writeln!(o, "# TYPE neonops_query_latency_seconds gauge");
    for r in reports {
        for p in &r.endpoints {
            if let Some(l) = p.latency_ms {
                let _ = writeln!(
                    o,
                    "neonops_query_latency_seconds{{environment=\"{}\",endpoint=\"{}\"}} {:.6}",
                    env(r),
                    p.endpoint,
                    l / 1000.0
                );
            }
        }
    }
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
        let _ = writeln!(o, "# HELP {name} {help}");
        let _ = writeln!(o, "# TYPE {name} gauge");
        for r in reports {
            if let Some(l) = &r.limits {
                let _ = writeln!(o, "{name}{{environment=\"{}\"}} {}", env(r), get(l));
            }
        }
    }
    o
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
            .map(|s| scope.spawn(move || doctor::run(s)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect::<Result<_>>()
    })?;
    // --format json is --json for this command.
    let p = Printer::new(format == Format::Json, g.is_quiet());
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
