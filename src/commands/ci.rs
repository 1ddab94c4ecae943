//! `neonops ci`: a pull request's checks in one report and one exit code.
//!
//! Each step is neonops' own command, run as a child process of this
//! binary with `--json`: the step's report is the command's documented
//! JSON, a step that fails (or cannot connect) does not stop the others
//! from reporting, and each keeps the exit code it would have alone. The
//! steps that need something run only when it is there: a database for
//! validate and the plan, a Neon API key for the rehearsal, a scratch
//! server for drift, two URLs for the preview diff.

use std::ffi::OsString;
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context as _, Result};
use serde::Serialize;
use serde_json::Value;

use crate::ci::{self, github};
use crate::cli::{CiArgs, FailOn, GlobalArgs};
use crate::exit::Exit;
use crate::output::table;
use crate::settings::Settings;

/// A step of the report (`ci --json`, documented in docs/ci.md).
#[derive(Debug, Serialize)]
struct Step {
    name: &'static str,
    /// The command whose report it is.
    command: &'static str,
    /// passed, failed, error (could not run: exit 2, 3, 4) or skipped.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    elapsed_ms: u64,
    #[serde(skip_serializing_if = "Value::is_null")]
    report: Value,
}

/// The Action's outputs.
#[derive(Debug, Serialize, Default)]
struct Outputs {
    applied: usize,
    pending: Option<usize>,
    version: Option<i64>,
    findings: usize,
    longest_lock_ms: Option<u64>,
    drift: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    ok: bool,
    exit_code: u8,
    fail_on: &'static str,
    changed_since: Option<&'a str>,
    steps: &'a [Step],
    outputs: &'a Outputs,
    /// The comment written, or why it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<Comment>,
}

fn fail_on_str(f: FailOn) -> &'static str {
    match f {
        FailOn::Info => "info",
        FailOn::Warning => "warning",
        FailOn::Error => "error",
        FailOn::Never => "never",
    }
}

/// The global options a step needs: as flags (never `--json`'s siblings
/// that would change its output), and the URL flags as the variables
/// that stand for them, so that no URL is on a step's command line.
fn global_flags(g: &GlobalArgs) -> (Vec<OsString>, Vec<(&'static str, String)>) {
    let mut a: Vec<OsString> = vec!["--json".into()];
    let urls: Vec<(&'static str, String)> = [
        (crate::cli::FLAG_DATABASE_URL, &g.database_url),
        (crate::cli::FLAG_DIRECT_URL, &g.direct_url),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect();
    let mut pair = |k: &str, v: Option<OsString>| {
        if let Some(v) = v {
            a.push(k.into());
            a.push(v);
        }
    };
    pair("--env", g.env_name.clone().map(Into::into));
    pair("--config", g.config.clone().map(Into::into));
    pair(
        "--connect-timeout",
        g.connect_timeout.map(|t| t.to_string().into()),
    );
    for r in &g.resolve {
        a.push("--resolve".into());
        a.push(r.to_string().into());
    }
    if g.no_dotenv {
        a.push("--no-dotenv".into());
    }
    if g.yes {
        a.push("--yes".into());
    }
    for _ in 0..g.quiet {
        a.push("-q".into());
    }
    for _ in 0..g.verbose {
        a.push("-v".into());
    }
    (a, urls)
}

struct Runner {
    exe: std::path::PathBuf,
    globals: Vec<OsString>,
    /// The URL flags, as their variables.
    urls: Vec<(&'static str, String)>,
    dir: Vec<OsString>,
}

impl Runner {
    /// Run one step; its stderr is this process' (notes and logs as they
    /// come), its stdout the report.
    /// URLs go to the child in its environment, never on its command
    /// line (which `ps` shows).
    async fn step(
        &self,
        name: &'static str,
        command: &'static str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Step {
        let started = Instant::now();
        let mut cmd = tokio::process::Command::new(&self.exe);
        cmd.args(args)
            .args(&self.globals)
            .args(&self.dir)
            .envs(self.urls.iter().map(|(k, v)| (k, v)))
            .envs(env.iter().copied())
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let out = cmd.output().await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let (status, code, report, reason) = match out {
            Err(e) => (
                "error",
                None,
                Value::Null,
                Some(format!("could not run: {e}")),
            ),
            Ok(o) => {
                let code = o.status.code().map(|c| c as u8);
                let report: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
                let status = match code {
                    Some(0) => "passed",
                    Some(1) => "failed",
                    _ => "error",
                };
                let reason = report.is_null().then(|| {
                    format!(
                        "no report (exit {})",
                        code.map_or("by a signal".into(), |c| c.to_string())
                    )
                });
                (status, code, report, reason)
            }
        };
        Step {
            name,
            command,
            status,
            exit_code: code,
            reason,
            elapsed_ms,
            report,
        }
    }
}

fn skipped(name: &'static str, command: &'static str, reason: impl Into<String>) -> Step {
    Step {
        name,
        command,
        status: "skipped",
        exit_code: None,
        reason: Some(reason.into()),
        elapsed_ms: 0,
        report: Value::Null,
    }
}

fn has_database(settings: &Settings) -> bool {
    settings.database_url.is_some()
        || settings.direct_url.is_some()
        || !settings.pg_env.target_vars().is_empty()
}

pub async fn run(g: &GlobalArgs, args: CiArgs) -> Result<Exit> {
    let env = |k: &str| std::env::var(k).ok();
    let settings = Settings::resolve(g, &env)?;
    let fail_on = args.fail_on.unwrap_or(match settings.lint_fail_on() {
        crate::lint::Severity::Info => FailOn::Info,
        crate::lint::Severity::Warning => FailOn::Warning,
        crate::lint::Severity::Error => FailOn::Error,
    });
    let mut dir: Vec<OsString> = Vec::new();
    if let Some(d) = &args.dir.dir {
        dir.extend(["--dir".into(), d.clone().into_os_string()]);
    }
    let (globals, urls) = global_flags(g);
    let mut ci = Steps {
        runner: Runner {
            exe: std::env::current_exe().context("finding neonops' own binary")?,
            globals,
            urls,
            dir,
        },
        args: &args,
        db: has_database(&settings),
        unreachable: false,
    };
    let mut steps: Vec<Step> = Vec::new();
    steps.push(ci.validate().await);
    ci.unreachable = steps[0].exit_code == Some(3);
    steps.push(ci.lint(fail_on).await);
    steps.push(ci.plan().await);
    let has_key = env("NEON_API_KEY").is_some_and(|k| !k.is_empty());
    steps.push(ci.rehearsal(has_key).await);
    let scratch = args
        .scratch
        .scratch_url
        .clone()
        .or_else(|| env("NEONOPS_SCRATCH_URL"));
    steps.push(ci.drift(scratch.as_deref()).await);
    steps.push(ci.preview_diff().await);
    if args.apply {
        let apply = ci.apply(&steps, fail_on).await;
        steps.push(apply);
    }

    let outputs = outputs(&steps);
    let exit = exit_of(&steps, fail_on);
    let mut report = Report {
        ok: exit == Exit::Success,
        exit_code: exit.code(),
        fail_on: fail_on_str(fail_on),
        changed_since: args.changed_since.as_deref(),
        steps: &steps,
        outputs: &outputs,
        comment: None,
    };
    publish(&settings, &args, &mut report)?;
    settings.printer.report(&report, || text(&report));
    Ok(exit)
}

const NO_DATABASE: &str = "no database is configured (set DATABASE_URL, or --env)";

/// The steps, each run when what it needs is there.
struct Steps<'a> {
    runner: Runner,
    args: &'a CiArgs,
    /// A database is configured.
    db: bool,
    /// validate could not reach it (exit 3).
    unreachable: bool,
}

impl Steps<'_> {
    /// Why a step that needs the database cannot run, if it cannot.
    fn no_database(&self) -> Option<String> {
        if !self.db {
            Some(NO_DATABASE.to_string())
        } else if self.unreachable {
            Some("the database could not be reached (see validate)".to_string())
        } else {
            None
        }
    }

    /// `--changed-since REF`, for the steps that take it.
    fn changed<'b>(&'b self, a: &mut Vec<&'b str>) {
        if let Some(r) = &self.args.changed_since {
            a.extend(["--changed-since", r]);
        }
    }

    async fn validate(&self) -> Step {
        if self.db {
            self.runner
                .step("validate", "validate", &["validate"], &[])
                .await
        } else {
            skipped("validate", "validate", NO_DATABASE)
        }
    }

    /// Offline when there is no database to read sizes from.
    async fn lint(&self, fail_on: FailOn) -> Step {
        let lint_fail = match fail_on {
            FailOn::Never => "error",
            f => fail_on_str(f),
        };
        let mut a: Vec<&str> = vec!["lint", "--fail-on", lint_fail];
        self.changed(&mut a);
        if !self.db || self.unreachable {
            a.push("--offline");
        }
        self.runner.step("lint", "lint", &a, &[]).await
    }

    async fn plan(&self) -> Step {
        if let Some(r) = self.no_database() {
            return skipped("plan", "migrate", r);
        }
        let mut a = vec!["migrate", "--plan"];
        self.changed(&mut a);
        self.runner.step("plan", "migrate", &a, &[]).await
    }

    async fn rehearsal(&self, has_key: bool) -> Step {
        if let Some(r) = self.no_database() {
            return skipped("rehearsal", "migrate", r);
        }
        if self.args.no_rehearse {
            return skipped("rehearsal", "migrate", "--no-rehearse");
        }
        if !has_key {
            return skipped(
                "rehearsal",
                "migrate",
                "no Neon API key (set NEON_API_KEY to rehearse on a branch of the environment)",
            );
        }
        let max_lock = self.args.max_lock.map(|d| format!("{}ms", d.as_millis()));
        let mut a = vec!["migrate", "--rehearse"];
        self.changed(&mut a);
        if let Some(m) = &max_lock {
            a.extend(["--max-lock", m]);
        }
        self.runner.step("rehearsal", "migrate", &a, &[]).await
    }

    /// On the scratch URL given, else on the local sandbox when it runs.
    async fn drift(&self, scratch: Option<&str>) -> Step {
        if let Some(r) = self.no_database() {
            return skipped("drift", "drift", r);
        }
        match scratch {
            Some(s) => {
                self.runner
                    .step("drift", "drift", &["drift"], &[("NEONOPS_SCRATCH_URL", s)])
                    .await
            }
            None if matches!(crate::sandbox::running(), Ok((Some(_), _))) => {
                self.runner.step("drift", "drift", &["drift"], &[]).await
            }
            None => skipped(
                "drift",
                "drift",
                "no scratch database (give --scratch-url or NEONOPS_SCRATCH_URL, a server where neonops may create a database, or start the local sandbox)",
            ),
        }
    }

    async fn preview_diff(&self) -> Step {
        let (Some(main), Some(preview)) = (&self.args.main_url, &self.args.preview_url) else {
            return skipped(
                "preview diff",
                "diff",
                "no preview branch (give --preview-url and --main-url)",
            );
        };
        self.runner
            .step(
                "preview diff",
                "diff",
                &[
                    "diff",
                    "--from",
                    "env:NEONOPS_MAIN_URL",
                    "--to",
                    "env:NEONOPS_PREVIEW_URL",
                ],
                &[("NEONOPS_MAIN_URL", main), ("NEONOPS_PREVIEW_URL", preview)],
            )
            .await
    }

    /// `--apply`: only when every step before it passed (or failed under
    /// `--fail-on never`).
    async fn apply(&self, before: &[Step], fail_on: FailOn) -> Step {
        let blocking =
            |s: &Step| s.status == "error" || (s.status == "failed" && fail_on != FailOn::Never);
        if let Some(r) = self.no_database() {
            skipped("apply", "migrate", r)
        } else if let Some(s) = before.iter().find(|s| blocking(s)) {
            skipped(
                "apply",
                "migrate",
                format!("the {} step did not pass", s.name),
            )
        } else {
            self.runner
                .step("apply", "migrate", &["migrate"], &[])
                .await
        }
    }
}

/// The worst step decides: a step that could not run (its own code: a
/// bug 4, no connection 3, bad input 2), else one that failed (1, unless
/// `--fail-on never`).
fn exit_of(steps: &[Step], fail_on: FailOn) -> Exit {
    let code = |c: u8| match c {
        4 => Exit::Internal,
        3 => Exit::Connect,
        _ => Exit::Usage,
    };
    for worst in [4, 3, 2] {
        if steps
            .iter()
            .any(|s| s.status == "error" && s.exit_code.unwrap_or(4) == worst)
        {
            return code(worst);
        }
    }
    if fail_on != FailOn::Never && steps.iter().any(|s| s.status == "failed") {
        return Exit::Failure;
    }
    Exit::Success
}

fn outputs(steps: &[Step]) -> Outputs {
    let report = |name: &str| {
        steps
            .iter()
            .find(|s| s.name == name && !s.report.is_null())
            .map(|s| &s.report)
    };
    let mut o = Outputs::default();
    if let Some(v) = report("validate") {
        let entries = v["entries"].as_array().map_or(&[][..], Vec::as_slice);
        o.pending = Some(entries.iter().filter(|e| e["state"] == "pending").count());
        o.version = entries
            .iter()
            .filter(|e| e["state"] == "applied")
            .filter_map(|e| e["version"].as_i64())
            .max();
    }
    if let Some(v) = report("lint") {
        o.findings = v["findings"]
            .as_array()
            .map_or(0, |f| f.iter().filter(|f| f["allowed"].is_null()).count());
    }
    if let Some(v) = report("rehearsal") {
        o.longest_lock_ms = v["longest_write_block"]["held_ms"].as_u64();
    }
    if let Some(v) = report("drift") {
        o.drift = Some(v["ok"] != Value::Bool(true));
    }
    if let Some(v) = report("apply") {
        o.applied = v["applied"].as_array().map_or(0, Vec::len);
        if let Some(version) = v["version"].as_i64() {
            o.version = Some(version);
        }
        if v["ok"] == Value::Bool(true) {
            o.pending = Some(0);
        }
    }
    o
}

/// What became of the pull request's comment.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Comment {
    Written(github::Commented),
    NotWritten { error: String },
}

/// The step summary, the outputs and the comment, where GitHub Actions
/// asks for them.
fn publish(settings: &Settings, args: &CiArgs, report: &mut Report) -> Result<()> {
    let env = |k: &str| std::env::var(k).ok();
    let value = serde_json::to_value(&*report)?;
    let markdown = ci::render(ci::Kind::Ci, &value, ci::Format::Markdown);
    github::write_summary(&env, &markdown)?;
    let o = report.outputs;
    let opt = |v: Option<String>| v.unwrap_or_default();
    github::write_outputs(
        &env,
        &[
            ("ok", report.ok.to_string()),
            ("exit-code", report.exit_code.to_string()),
            ("applied", o.applied.to_string()),
            ("pending", opt(o.pending.map(|p| p.to_string()))),
            ("version", opt(o.version.map(|v| v.to_string()))),
            ("findings", o.findings.to_string()),
            (
                "longest-lock-ms",
                opt(o.longest_lock_ms.map(|v| v.to_string())),
            ),
            ("drift", opt(o.drift.map(|d| d.to_string()))),
        ],
    )?;
    if args.comment {
        // The checks have run: a comment that cannot be written (a pull
        // request from a fork gets a read-only token) is a warning, and
        // the report and the exit code stay the checks'.
        let done = github::PullRequest::from_env(&env).and_then(|pr| {
            let done = pr.upsert(&markdown)?;
            settings.printer.note(format!(
                "{} the neonops comment on pull request #{}",
                if done.created { "created" } else { "updated" },
                pr.number
            ));
            Ok(done)
        });
        match done {
            Ok(done) => report.comment = Some(Comment::Written(done)),
            Err(e) => {
                let message = format!("the pull request comment was not written: {e:#}");
                crate::output::annotation(
                    crate::annotation::Level::Warning,
                    None,
                    None,
                    None,
                    &message,
                );
                settings.printer.note(format!("warning: {message}"));
                report.comment = Some(Comment::NotWritten {
                    error: format!("{e:#}"),
                });
            }
        }
    }
    Ok(())
}

fn text(r: &Report) -> String {
    let v = serde_json::to_value(r).unwrap_or_default();
    let doc = ci::document(ci::Kind::Ci, &v);
    let mut t = table(&["step", "result", "what it found"]);
    for s in r.steps {
        let first = doc
            .sections
            .iter()
            .find(|x| x.name == s.name || x.name.starts_with(&format!("{}: ", s.name)))
            .and_then(|x| x.lines.first().cloned())
            .or_else(|| s.reason.clone())
            .unwrap_or_default();
        t.add_row(vec![s.name.to_string(), s.status.to_string(), first]);
    }
    format!(
        "{t}\n{}",
        if r.ok {
            "ci: every step passed".to_string()
        } else {
            format!("ci: exit {} (fails at {})", r.exit_code, r.fail_on)
        }
    )
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    #[test]
    fn a_url_flag_goes_to_the_steps_as_a_variable_and_never_on_their_command_line() {
        let cli = crate::cli::Cli::try_parse_from([
            "neonops",
            "ci",
            "--database-url",
            "postgres://u:s3cret@db.example.com/app",
            "--direct-url",
            "postgres://u:s3cret@direct.example.com/app",
            "--env",
            "staging",
        ])
        .unwrap();
        let (args, urls) = super::global_flags(&cli.global);
        let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into()).collect();
        assert!(args.iter().all(|a| !a.contains("s3cret")), "{args:?}");
        assert!(!args.iter().any(|a| a.ends_with("-url")), "{args:?}");
        assert!(
            args.windows(2).any(|w| w == ["--env", "staging"]),
            "{args:?}"
        );
        assert_eq!(
            urls,
            vec![
                (
                    crate::cli::FLAG_DATABASE_URL,
                    "postgres://u:s3cret@db.example.com/app".to_string()
                ),
                (
                    crate::cli::FLAG_DIRECT_URL,
                    "postgres://u:s3cret@direct.example.com/app".to_string()
                ),
            ]
        );
    }
}
