//! Snapshots of each command's human output (insta): a changed table,
//! message or hint shows up as a diff in review, not only where a test greps
//! for it. What differs run to run (the sandbox's endpoint id, ports, paths,
//! times, durations) is masked; no password is in any of them (asserted).
//! Update with `INSTA_UPDATE=always cargo test --test it snapshots::` and
//! review the diff; CI never writes them.

use crate::harness::{Migrations, Neonops, Run, SECRET, TestDb, sandbox};

/// The run as a snapshot: exit code, stdout, stderr.
fn shown(r: &Run) -> String {
    for secret in [SECRET, "s3cret"] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "a password in the output:\n{}\n{}",
            r.stdout,
            r.stderr
        );
    }
    format!(
        "exit {}\n--- stdout\n{}\n--- stderr\n{}",
        r.code,
        r.stdout.trim_end(),
        r.stderr.trim_end()
    )
}

fn settings(extra: &[(String, &str)]) -> insta::Settings {
    let s = sandbox();
    let mut set = insta::Settings::clone_current();
    set.set_snapshot_path("snapshots");
    set.set_prepend_module_to_snapshot(false);
    set.set_omit_expression(true);
    for (pattern, replacement) in extra {
        set.add_filter(pattern, *replacement);
    }
    set.add_filter(&regex_escape(&s.dir.display().to_string()), "[sandbox]");
    set.add_filter(r"ep-sandbox-[a-z0-9]{8}", "ep-sandbox-[id]");
    set.add_filter(r":\d{4,5}\b", ":[port]");
    set.add_filter(
        r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:?\d\d)?)?",
        "[time]",
    );
    set.add_filter(r"\b\d+(\.\d+)? ?(ms|s)\b", "[duration]");
    set.add_filter(r"/tmp/\.tmp[A-Za-z0-9]+", "[tmp]");
    set
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

const NEON_POOLED: &str = "postgresql://alex:s3cret@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require";

#[test]
fn url_commands() {
    settings(&[]).bind(|| {
        for (name, args) in [
            ("url_explain_neon_pooled", vec!["url", "explain", NEON_POOLED]),
            ("url_direct_neon_pooled", vec!["url", "direct", NEON_POOLED]),
            (
                "url_pooled_neon_direct",
                vec![
                    "url",
                    "pooled",
                    "postgresql://alex:s3cret@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=verify-full&sslrootcert=system",
                ],
            ),
            ("url_explain_malformed", vec!["url", "explain", "postgresql://alex:s3cret@[::1/neondb"]),
        ] {
            insta::assert_snapshot!(name, shown(&Neonops::new().args(&args).run()));
        }
    });
}

#[test]
fn lint_offline() {
    let m = Migrations::new(&[
        (
            "V1__users.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
        ),
        (
            "V2__email.sql",
            "CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT random();\n",
        ),
    ]);
    let dir = m.path().display().to_string();
    settings(&[(regex_escape(&dir), "[migrations]")]).bind(|| {
        let r = Neonops::new()
            .args(["lint", "--offline", "--all", "--dir", &dir])
            .run();
        insta::assert_snapshot!("lint_offline", shown(&r));
        let r = Neonops::new().args(["lint", "--rules"]).run();
        insta::assert_snapshot!("lint_rules", shown(&r));
    });
}

/// The migration commands on the sandbox, in the order a user meets them.
#[test]
fn migrate_status_validate_plan_check() {
    let db = TestDb::new("snapshots");
    let m = Migrations::new(&[
        (
            "V1__users.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
        ),
        (
            "V2__orders.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
        ),
    ]);
    let dir = m.path().display().to_string();
    settings(&[(regex_escape(&dir), "[migrations]")]).bind(|| {
        let run = |args: &[&str]| Neonops::new().db(&db).args(args).run();
        insta::assert_snapshot!(
            "migrate_plan",
            shown(&run(&["migrate", "--plan", "--dir", &dir]))
        );
        insta::assert_snapshot!("migrate", shown(&run(&["migrate", "--dir", &dir])));
        insta::assert_snapshot!("migrate_again", shown(&run(&["migrate", "--dir", &dir])));
        insta::assert_snapshot!("status", shown(&run(&["status", "--dir", &dir])));
        insta::assert_snapshot!("validate", shown(&run(&["validate", "--dir", &dir])));
        m.write(
            "V1__users.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n",
        );
        insta::assert_snapshot!("validate_edited", shown(&run(&["validate", "--dir", &dir])));
        let r = Neonops::new()
            .sandbox()
            .env(
                "DATABASE_URL",
                db.pooled_url().replace(&db.name, "t_no_such_db"),
            )
            .args(["check", "--only", "direct"])
            .run();
        insta::assert_snapshot!("check_no_such_database", shown(&r));
    });
}

/// Schema commands: drift (migrations replayed on a scratch database
/// against the live schema) and diff, with and without a difference; `new`.
#[test]
fn drift_diff_new() {
    let db = TestDb::new("snapshots_drift");
    let m = Migrations::new(&[(
        "V1__users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
    )]);
    let dir = m.path().display().to_string();
    let s = sandbox();
    settings(&[(regex_escape(&dir), "[migrations]")]).bind(|| {
        let run = |args: &[&str]| {
            Neonops::new()
                .db(&db)
                .env("NEONOPS_SANDBOX_DIR", &s.dir)
                .args(args)
                .run()
        };
        run(&["migrate", "--dir", &dir]).code(0);
        insta::assert_snapshot!("drift_none", shown(&run(&["drift", "--dir", &dir])));
        db.exec("ALTER TABLE users ADD COLUMN added_by_hand text; CREATE INDEX users_email ON users (email);");
        insta::assert_snapshot!("drift_found", shown(&run(&["drift", "--dir", &dir])));
        insta::assert_snapshot!(
            "diff_migrations_to_live",
            shown(&run(&["diff", "--from", "migrations", "--to", "live", "--dir", &dir]))
        );
        let r = Neonops::new()
            .args(["new", "add_orders", "--dir", &dir])
            .run();
        insta::assert_snapshot!("new", shown(&r));
    });
}

/// `init` in an empty directory: what it says and the file it writes.
/// (`sandbox status` and `env` are not snapshotted: they depend on whether
/// /etc/hosts is writable, i.e. on who runs the tests.)
#[test]
fn init() {
    let work = tempfile::tempdir().unwrap();
    let wd = work.path().display().to_string();
    settings(&[(regex_escape(&wd), "[work]")]).bind(|| {
        let r = Neonops::new()
            .cwd(work.path())
            .args(["init", "--environment", "production", "--no-input"])
            .run();
        insta::assert_snapshot!("init", shown(&r));
        let toml = std::fs::read_to_string(work.path().join("neonops.toml")).unwrap();
        insta::assert_snapshot!("init_neonops_toml", toml);
    });
}

/// The run as a snapshot, the sandbox's directory and `texts` (a directory
/// whose name may have digits) replaced, then every number of its output an
/// N (the exit code stays).
fn shown_masked(r: &Run, texts: &[(&str, &str)]) -> String {
    let s = sandbox();
    let dir = s.dir.display().to_string();
    let mut text = shown(r).replace(&dir, "[sandbox]");
    for (from, to) in texts {
        text = text.replace(from, to);
    }
    // Endpoint ids (and the project id made from one), before their digits
    // are masked: the shared sandbox's, and any other's of the same shape.
    let id = s.endpoint_id.trim_start_matches("ep-sandbox-");
    let text = endpoint_ids(&text.replace(id, "[id]"));
    let (exit, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        out.push('N');
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '.' && out.ends_with('N') {
                chars.next();
            } else {
                break;
            }
        }
    }
    format!("{exit}\n{out}")
}

/// `ep-sandbox-` and `sandbox-` followed by eight lowercase letters and
/// digits: the id masked.
fn endpoint_ids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("sandbox-") {
        let (before, after) = rest.split_at(i + "sandbox-".len());
        out.push_str(before);
        let id: String = after.chars().take(8).collect();
        if id.len() == 8
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            out.push_str("[id]");
            rest = &after[8..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Tables one line a row (`COLUMNS`), and what varies run to run or with
/// the tests beside it masked: every number (latencies, pids, counts,
/// versions), column widths, the sessions table (other tests' sessions),
/// and the rehearsal-branch row (other tests' branches).
fn unwrapped() -> insta::Settings {
    let all: Vec<(String, &str)> = Vec::from([
        (r"\bbr-[a-z]+-[a-z]+-[a-zN]+".to_string(), "br-[id]"),
        (
            r"(?m)^│ \S+ +┆ rehearsal branches .*$".to_string(),
            "[the rehearsal-branch row]",
        ),
        (
            r"(?s)┌[─┬]+┐\n│ state .*?└[─┴]+┘\n".to_string(),
            "[the sessions table]\n",
        ),
        // In /etc/hosts or not: whether the tests' user may write it.
        (
            r"(?m)^│ names +┆ .*$".to_string(),
            "│ names ┆ [where the names resolve] │",
        ),
    ]);
    let mut set = settings(&all);
    set.add_filter(r" {2,}", " ");
    set.add_filter(r"─+", "─");
    set.add_filter(r"═+", "═");
    set
}

#[test]
fn doctor_fleet_unlock_ci_and_the_sandbox() {
    let s = sandbox();
    let db = TestDb::new("snap_doctor");
    let m = Migrations::new(&[(
        "V1__users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    )]);
    let dir = m.path().display().to_string();
    let targets = tempfile::tempdir().unwrap();
    let list = targets.path().join("tenants.txt");
    std::fs::write(&list, format!("{}\n", db.direct_url())).unwrap();
    let list = list.display().to_string();
    // A project of its own: its neonops.toml names these migrations.
    std::fs::write(
        targets.path().join("neonops.toml"),
        format!("[migrations]\ndir = \"{dir}\"\n"),
    )
    .unwrap();
    let sandbox_dir = s.dir.display().to_string();
    let shown = |r: &Run| shown_masked(r, &[(&dir, "[migrations]")]);
    unwrapped().bind(|| {
        let run = |args: &[&str]| {
            Neonops::new()
                .db(&db)
                .env("COLUMNS", "1000")
                .env("NEONOPS_SANDBOX_DIR", &s.dir)
                .cwd(targets.path())
                .args(args)
                .run()
        };
        insta::assert_snapshot!("doctor", shown(&run(&["doctor"])));
        insta::assert_snapshot!(
            "fleet_plan",
            shown(&run(&[
                "fleet",
                "migrate",
                "--plan",
                "--targets",
                &list,
                "--dir",
                &dir
            ]))
        );
        insta::assert_snapshot!(
            "fleet_migrate",
            shown(&run(&[
                "fleet",
                "migrate",
                "--targets",
                &list,
                "--dir",
                &dir
            ]))
        );
        insta::assert_snapshot!(
            "fleet_status",
            shown(&run(&[
                "fleet",
                "status",
                "--targets",
                &list,
                "--dir",
                &dir
            ]))
        );
        insta::assert_snapshot!(
            "fleet_check",
            shown(&run(&["fleet", "check", "--targets", &list]))
        );
        insta::assert_snapshot!("unlock", shown(&run(&["unlock"])));
        insta::assert_snapshot!("ci", shown(&run(&["ci", "--dir", &dir])));
        insta::assert_snapshot!(
            "sandbox_env",
            shown(&run(&["sandbox", "env", "--dir", &sandbox_dir]))
        );
        insta::assert_snapshot!(
            "sandbox_status",
            shown(&run(&["sandbox", "status", "--dir", &sandbox_dir]))
        );
    });
}

/// A rehearsal on a branch of the stand-in's project, and a trace of the
/// locks on a scratch database.
#[test]
fn rehearse_and_trace() {
    let _one = crate::rehearse::one_at_a_time();
    let (db, m) = crate::rehearse::big_table("snap_rehearse", 1000);
    // Counted now, not whenever autovacuum comes by: the lint says the rows.
    db.exec("ANALYZE big");
    let dir = m.arg();
    let s = sandbox();
    let shown = |r: &Run| shown_masked(r, &[(&dir, "[migrations]")]);
    unwrapped().bind(|| {
        let run = |args: &[&str]| {
            Neonops::new()
                .db(&db)
                .env("COLUMNS", "1000")
                .env("NEONOPS_SANDBOX_DIR", &s.dir)
                .env("NEON_API_HOST", crate::rehearse::api_url())
                .env("NEON_API_KEY", crate::rehearse::key())
                .args(args)
                .run()
        };
        insta::assert_snapshot!(
            "lint_trace",
            shown(&run(&["lint", "--trace", "--dir", &dir]))
        );
        insta::assert_snapshot!(
            "migrate_rehearse",
            shown(&run(&["migrate", "--rehearse", "--dir", &dir]))
        );
    });
}

/// A sandbox of its own, from up to down.
#[test]
fn sandbox_up_restart_down() {
    let dir = tempfile::Builder::new()
        .prefix("neonops-snap")
        .tempdir_in("/tmp")
        .unwrap();
    let sdir = dir.path().join("sb");
    let _down = crate::harness::SandboxDown(sdir.clone());
    let shown_dir = sdir.display().to_string();
    let shown = |r: &Run| shown_masked(r, &[(&shown_dir, "[dir]")]);
    unwrapped().bind(|| {
        let run = |args: &[&str]| {
            Neonops::new()
                .env("COLUMNS", "1000")
                .args(args)
                .arg_path(&sdir)
                .run()
        };
        insta::assert_snapshot!("sandbox_up", shown(&run(&["sandbox", "up", "--dir"])));
        insta::assert_snapshot!(
            "sandbox_restart",
            shown(&run(&["sandbox", "restart", "--dir"]))
        );
        insta::assert_snapshot!("sandbox_down", shown(&run(&["sandbox", "down", "--dir"])));
    });
}
