//! `neonops migrate`, `status`, `validate` and `new`: always on the direct
//! endpoint.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::cli::{GlobalArgs, MigrateArgs, MigrationsDir, NewArgs, StatusArgs};
use crate::connect;
use crate::endpoint::{ConnectSpec, DatabaseUrl};
use crate::exit::{Exit, Failure, reported, usage};
use crate::migrate::run::{self, Event, MigrationFailure, Mode, Options, Step};
use crate::migrate::{Entry, MigrationFile, Problem, State, Table, files};
use crate::output::{print_json, table};
use crate::settings::{Settings, Sourced};

fn migrations_dir(settings: &Settings, dir: &MigrationsDir) -> PathBuf {
    dir.dir
        .clone()
        .unwrap_or_else(|| settings.config.migrations.dir.clone())
}

fn github() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// A workflow annotation (stderr, so that --json stays clean).
fn annotate(file: Option<&str>, message: &str) {
    annotate_at(file, None, None, message);
}

/// A workflow annotation at a line (and column) of a file.
fn annotate_at(file: Option<&str>, line: Option<usize>, column: Option<usize>, message: &str) {
    if github() {
        let message = message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let mut at = String::new();
        if let Some(f) = file {
            at.push_str(&format!("file={f},"));
        }
        if let Some(l) = line {
            at.push_str(&format!("line={l},"));
        }
        if let Some(c) = column {
            at.push_str(&format!("col={c},"));
        }
        eprintln!("::error {at}title=neonops::{message}");
    }
}

#[derive(Serialize)]
struct ProblemReport<'a> {
    ok: bool,
    exit_code: u8,
    problems: &'a [Problem],
}

/// Report every problem at once; the error maps to exit 2.
fn problems_error(json: bool, what: &str, problems: &[Problem]) -> anyhow::Error {
    for p in problems {
        annotate_at(Some(&p.subject), p.line, p.column, &p.message);
    }
    let message = format!("{what}: {} problem(s), nothing was changed", problems.len());
    if json {
        print_json(&ProblemReport {
            ok: false,
            exit_code: Exit::Usage.code(),
            problems,
        });
        return reported(Exit::Usage, message);
    } else {
        let mut t = table(&["input", "problem"]);
        for p in problems {
            let at = match (p.line, p.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", p.subject),
                (Some(l), None) => format!("{}:{l}", p.subject),
                _ => p.subject.clone(),
            };
            t.add_row(vec![at, p.message.clone()]);
        }
        eprintln!("{t}");
    }
    usage(format!(
        "{what}: {} problem(s), nothing was changed",
        problems.len()
    ))
}

fn load_files(settings: &Settings, dir: &MigrationsDir) -> Result<(PathBuf, Vec<MigrationFile>)> {
    let dir = migrations_dir(settings, dir);
    match files::load(&dir) {
        Ok(f) => Ok((dir, f)),
        Err(p) => Err(problems_error(
            settings.json,
            &format!("the migrations in {}", dir.display()),
            &p,
        )),
    }
}

/// The direct endpoint, or a refusal that says which URL to give.
pub fn direct_endpoint(settings: &Settings) -> Result<Sourced<DatabaseUrl>> {
    let eps = settings.endpoints()?;
    match eps.direct {
        Some(d) => {
            if d.value.kind(settings.poolers()).is_pooled() {
                return Err(usage(format!(
                    "the direct URL from {} points at a pooler ({}): migrations need a session on PostgreSQL itself; give the server's own URL with --direct-url",
                    d.source,
                    d.value.kind(settings.poolers()).label()
                )));
            }
            Ok(d)
        }
        None => Err(usage(format!(
            "migrations need the direct endpoint, and neonops cannot get around the pooler: {}. Give the direct URL with --direct-url or DATABASE_URL_DIRECT",
            eps.no_direct_reason
                .unwrap_or_else(|| "no direct URL".into())
        ))),
    }
}

pub(crate) async fn connect_direct(
    settings: &Settings,
    url: &Sourced<DatabaseUrl>,
) -> Result<tokio_postgres::Client> {
    let spec = ConnectSpec::resolve(&url.value, &settings.pg_env)?;
    let c = connect::connect(&spec, &settings.connect_options(&url.value))
        .await
        .with_context(|| format!("connecting to the direct endpoint ({})", url.source))?;
    Ok(c.client)
}

fn options(settings: &Settings, args: &MigrateArgs, mode: Mode) -> Result<Options> {
    let m = &settings.config.migrations;
    Ok(Options {
        table: Table::new(&m.table).map_err(usage)?,
        lock_timeout: args
            .lock_timeout
            .or(m.lock_timeout)
            .unwrap_or(Duration::from_secs(5)),
        statement_timeout: args
            .statement_timeout
            .or(m.statement_timeout)
            .unwrap_or(Duration::from_secs(600)),
        idle_in_transaction_timeout: Duration::from_secs(60),
        lock_wait: args
            .lock_wait
            .or(m.lock_wait)
            .unwrap_or(Duration::from_secs(120)),
        lock_retries: args.lock_retries.or(m.lock_retries).unwrap_or(3),
        target: args.target,
        mode,
        resume_from: args.resume_from,
    })
}

#[derive(Serialize)]
struct Planned<'a> {
    version: i32,
    name: &'a str,
    file: String,
    transaction: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sql: Option<&'a str>,
}

/// `migrate --json` (documented in the README).
#[derive(Serialize)]
struct MigrateReport<'a> {
    ok: bool,
    mode: Mode,
    database: String,
    target: Option<i32>,
    lock_waited_ms: u64,
    elapsed_ms: u64,
    planned: Vec<Planned<'a>>,
    applied: &'a [Step],
    failure: Option<&'a MigrationFailure>,
    version: Option<i32>,
}

pub async fn migrate(g: &GlobalArgs, args: MigrateArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let (_, files) = load_files(&settings, &args.dir)?;
    let direct = direct_endpoint(&settings)?;
    let mode = if args.plan {
        Mode::Plan
    } else if args.fake {
        Mode::Fake
    } else if args.grouped {
        Mode::Grouped
    } else {
        Mode::Apply
    };
    let json = settings.json;
    let opts = options(&settings, &args, mode)?;
    let client = connect_direct(&settings, &direct).await?;

    if settings.protected && mode != Mode::Plan && !settings.yes {
        let name = settings.env_name.clone().unwrap_or_default();
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !terminal {
            return Err(usage(format!(
                "environment \"{name}\" is protected: pass --yes to migrate it without a terminal (see the plan with --plan)"
            )));
        }
        let plan = run::plan(&client, &files, opts.table.clone()).await?;
        if plan.planned.is_empty() && plan.history_problems.is_empty() {
            println!("nothing to apply");
            return Ok(Exit::Success);
        }
        eprintln!(
            "environment \"{name}\" is protected; this would be applied to {}:",
            direct.value
        );
        for &i in &plan.planned {
            eprintln!("  {}", files[i].label());
        }
        let go = tokio::task::spawn_blocking(|| {
            dialoguer::Confirm::new()
                .with_prompt("Apply?")
                .default(false)
                .interact()
        })
        .await??;
        if !go {
            return Err(usage("not confirmed: nothing was changed"));
        }
    }

    let started = Instant::now();
    let settings_ref = &settings;
    let direct_ref = &direct;
    let monitor =
        move || -> futures_util::future::LocalBoxFuture<'static, Option<tokio_postgres::Client>> {
            let spec = ConnectSpec::resolve(&direct_ref.value, &settings_ref.pg_env).ok();
            let mut opts = settings_ref.connect_options(&direct_ref.value);
            opts.progress = connect::Progress::Silent;
            Box::pin(async move { connect::connect(&spec?, &opts).await.ok().map(|c| c.client) })
        };
    let mut events = |e: Event| {
        if json {
            return;
        }
        match e {
            Event::Waiting(holder) => eprintln!(
                "waiting for the migration lock, held by {}",
                holder
                    .map(|h| h.to_string())
                    .unwrap_or_else(|| "another session".into())
            ),
            Event::Applied(s) => println!(
                "applied  V{}__{}  {} ms{}",
                s.version,
                s.name,
                s.duration.as_millis(),
                if s.transaction {
                    ""
                } else {
                    "  (no transaction)"
                }
            ),
            Event::Retrying {
                version,
                attempt,
                pause,
            } => eprintln!(
                "V{version} hit lock_timeout: nothing of it was committed; retry {attempt} in {} ms",
                pause.as_millis()
            ),
            Event::Resuming {
                version,
                statement,
                statements,
            } => eprintln!(
                "V{version} (no transaction) stopped part way in an earlier run: continuing at statement {statement} of {statements}"
            ),
        }
    };
    let out = match run::run(&client, &monitor, &files, &opts, &mut events).await {
        Ok(o) => o,
        Err(e @ run::RunError::Refused(_)) => return Err(usage(e.to_string())),
        Err(e) => {
            annotate(None, &e.to_string());
            return Err(Failure(e.to_string()).into());
        }
    };
    if !out.history_problems.is_empty() {
        return Err(problems_error(
            json,
            "the history and the files disagree",
            &out.history_problems,
        ));
    }
    if !out.file_problems.is_empty() {
        return Err(problems_error(
            json,
            "the migrations to apply",
            &out.file_problems,
        ));
    }
    let version = out
        .comparison
        .entries
        .iter()
        .filter(|e| e.state == State::Applied)
        .map(|e| e.version)
        .chain(out.applied.iter().map(|s| s.version))
        .max();
    let planned: Vec<Planned> = out
        .planned
        .iter()
        .map(|&i| Planned {
            version: files[i].version,
            name: &files[i].name,
            file: files[i].path.display().to_string(),
            transaction: !files[i].no_transaction,
            sql: (mode == Mode::Plan).then_some(files[i].sql.as_str()),
        })
        .collect();
    let ok = out.failure.is_none();
    if let Some(f) = &out.failure {
        annotate(
            Some(&f.file),
            &format!(
                "V{}__{} failed: {}. {}",
                f.version, f.name, f.message, f.fix
            ),
        );
    }
    if json {
        print_json(&MigrateReport {
            ok,
            mode,
            database: direct.value.redacted(),
            target: opts.target,
            lock_waited_ms: out.lock_waited.as_millis() as u64,
            elapsed_ms: started.elapsed().as_millis() as u64,
            planned,
            applied: &out.applied,
            failure: out.failure.as_ref(),
            version,
        });
    } else if mode == Mode::Plan {
        if planned.is_empty() {
            println!(
                "nothing to apply: the database is at version {}",
                version.map_or("none".into(), |v| v.to_string())
            );
        }
        for p in &planned {
            println!(
                "-- would apply V{}__{} ({}) from {}",
                p.version,
                p.name,
                if p.transaction {
                    "in its own transaction, with its history row"
                } else {
                    "outside a transaction, statement by statement"
                },
                p.file
            );
            println!("{}\n", p.sql.unwrap_or("").trim_end());
        }
    } else if ok {
        let at = version.map_or("none".into(), |v| v.to_string());
        if out.applied.is_empty() {
            println!("nothing to apply: the database is at version {at}");
        } else {
            println!(
                "{} migration(s) {} in {} ms; the database is at version {at}",
                out.applied.len(),
                if mode == Mode::Fake {
                    "recorded (not run)"
                } else {
                    "applied"
                },
                started.elapsed().as_millis()
            );
        }
    }
    match out.failure {
        None => Ok(Exit::Success),
        Some(f) => {
            let mut msg = format!(
                "V{}__{} failed{}{}: {}",
                f.version,
                f.name,
                f.sqlstate
                    .as_ref()
                    .map(|c| format!(" (SQLSTATE {c})"))
                    .unwrap_or_default(),
                if f.attempts > 1 {
                    format!(" after {} attempts", f.attempts)
                } else {
                    String::new()
                },
                f.message
            );
            for b in &f.blockers {
                msg.push_str(&format!("; blocked by {b}"));
            }
            msg.push_str(&format!(". {}", f.fix));
            if !out.applied.is_empty() {
                msg.push_str(&format!(
                    " ({} migration(s) before it were applied and committed)",
                    out.applied.len()
                ));
            }
            // A lost connection exits 3, as one that could not be made.
            let exit = if f.connection_lost {
                Exit::Connect
            } else {
                Exit::Failure
            };
            if json || exit != Exit::Failure {
                Err(reported(exit, msg))
            } else {
                Err(Failure(msg).into())
            }
        }
    }
}

#[derive(Serialize)]
struct StatusReport<'a> {
    ok: bool,
    database: String,
    entries: &'a [Entry],
    problems: &'a [Problem],
}

/// `status` (or `validate`): read only, no lock.
pub async fn status(g: &GlobalArgs, args: StatusArgs, validate: bool) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let (_, files) = load_files(&settings, &args.dir)?;
    let direct = direct_endpoint(&settings)?;
    let history = Table::new(&settings.config.migrations.table).map_err(usage)?;
    let client = connect_direct(&settings, &direct).await?;
    let out = match run::plan(&client, &files, history).await {
        Ok(o) => o,
        Err(e @ run::RunError::Refused(_)) => return Err(usage(e.to_string())),
        Err(e) => return Err(Failure(e.to_string()).into()),
    };
    let entries = &out.comparison.entries;
    let mut all = out.comparison.problems.clone();
    all.extend(out.file_problems.iter().cloned());
    let problems = &all;
    if validate && !problems.is_empty() {
        return Err(problems_error(
            settings.json,
            "the history and the files disagree",
            problems,
        ));
    }
    let clean = entries.iter().all(|e| e.state == State::Applied);
    if settings.json {
        print_json(&StatusReport {
            ok: problems.is_empty(),
            database: direct.value.redacted(),
            entries,
            problems,
        });
    } else if validate {
        let pending = entries.iter().filter(|e| e.state == State::Pending).count();
        println!(
            "valid: {} file(s) agree with the history of {}; {pending} pending",
            files.len(),
            direct.value
        );
    } else {
        let mut t = table(&["version", "name", "state", "applied on", "file"]);
        for e in entries {
            t.add_row(vec![
                e.version.to_string(),
                e.name.clone(),
                format!("{:?}", e.state)
                    .to_lowercase()
                    .replace("outoforder", "out of order"),
                e.applied_on.clone().unwrap_or_default(),
                e.file.clone().unwrap_or_else(|| "(missing)".into()),
            ]);
        }
        println!("{t}");
        for p in problems {
            println!("problem: {p}");
        }
    }
    Ok(if args.exit_code && !clean {
        Exit::Failure
    } else {
        Exit::Success
    })
}

pub fn new(g: &GlobalArgs, args: NewArgs) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    let dir = migrations_dir(&settings, &args.dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let (_, files) = load_files(&settings, &args.dir)?;
    let name = files::next_file_name(&files, &args.name, args.version).map_err(usage)?;
    let path = dir.join(&name);
    let mut body = String::new();
    if args.no_transaction {
        body.push_str(files::NO_TRANSACTION);
        body.push_str("\n-- Runs outside a transaction, one statement at a time (e.g. CREATE INDEX CONCURRENTLY).\n");
    } else {
        body.push_str("-- Runs in a transaction of its own, recorded with it.\n");
    }
    body.push_str(&format!("-- {}\n", args.name.trim()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, body.as_bytes()))
        .with_context(|| format!("creating {}", path.display()))?;
    if settings.json {
        print_json(&serde_json::json!({ "file": path }));
    } else {
        println!("{}", path.display());
    }
    Ok(Exit::Success)
}
