//! The command line as a contract: exit codes, help, completions, the man
//! page, init, configuration errors, precedence, and the sandbox's commands.

use crate::harness::{Neonops, sandbox, sandbox_dir};
use crate::json::{CheckReport, Explanation};

const POOLED: &str = "postgres://u@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db";

#[test]
fn exit_codes_are_the_documented_ones() {
    Neonops::new().args(["url", "direct", POOLED]).run().code(0);
    Neonops::new().args(["no-such-command"]).run().code(2);
    Neonops::new()
        .args(["url", "direct", "postgres://h/d?nope=1"])
        .run()
        .code(2);
    Neonops::new()
        .args(["check", "--direct-url", "postgres://u@127.0.0.1:1/db"])
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .run()
        .code(3);
    let empty = tempfile::tempdir().unwrap();
    Neonops::new()
        .args(["sandbox", "status", "--dir"])
        .arg_path(empty.path())
        .run()
        .code(1)
        .stdout_has("no sandbox");
}

#[test]
fn help_completions_and_man_page_come_from_one_definition() {
    Neonops::new()
        .args(["--help"])
        .run()
        .code(0)
        .stdout_has("sandbox")
        .stdout_has("Exit codes: 0 success");
    Neonops::new()
        .args(["completions", "bash"])
        .run()
        .code(0)
        .stdout_has("complete -F")
        .stdout_has("sandbox");
    Neonops::new()
        .args(["completions", "zsh"])
        .run()
        .code(0)
        .stdout_has("#compdef neonops");
    Neonops::new()
        .args(["man"])
        .run()
        .code(0)
        .stdout_has(".TH neonops")
        .stdout_has("database\\-url");
}

#[test]
fn help_never_shows_the_value_of_database_url() {
    Neonops::new()
        .env("DATABASE_URL", "postgres://u:Zq9hidden@h/d")
        .args(["check", "--help"])
        .run()
        .code(0)
        .lacks("Zq9hidden");
}

#[test]
fn init_writes_a_loadable_file_and_never_prompts_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    Neonops::new()
        .cwd(dir.path())
        .args(["init", "--environment", "prod", "--protected"])
        .run()
        .code(0);
    let text = std::fs::read_to_string(dir.path().join("neonops.toml")).unwrap();
    assert!(text.contains("[environments.prod]"));
    assert!(text.contains("protected = true"));
    // Not overwritten without --force.
    Neonops::new()
        .cwd(dir.path())
        .args(["init"])
        .run()
        .code(2)
        .stderr_has("--force");
    Neonops::new()
        .cwd(dir.path())
        .args(["init", "--force"])
        .run()
        .code(0);
    // The written file is what the rest of neonops loads.
    Neonops::new()
        .cwd(dir.path())
        .env("PROD_URL", POOLED)
        .args(["--env", "production", "url", "explain"])
        .run()
        .code(2)
        .stderr_has("DATABASE_URL, which is not set");
}

#[test]
fn a_bad_config_names_the_file_the_line_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[migrations]\ndir = \"m\"\ntabel = \"x\"\n",
    )
    .unwrap();
    Neonops::new()
        .cwd(dir.path())
        .args(["url", "explain", POOLED])
        .run()
        .code(2)
        .stderr_has("neonops.toml")
        .stderr_has("line 3")
        .stderr_has("tabel");
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[timeouts]\nconnect = 10\n",
    )
    .unwrap();
    Neonops::new()
        .cwd(dir.path())
        .args(["url", "explain", POOLED])
        .run()
        .code(2)
        .stderr_has("line 2");
    Neonops::new()
        .args([
            "--config",
            "/nonexistent/neonops.toml",
            "url",
            "explain",
            POOLED,
        ])
        .run()
        .code(2)
        .stderr_has("does not exist");
}

#[test]
fn precedence_flag_then_environment_then_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[environments.staging]\ndatabase_url = \"postgres://u@ep-file-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db\"\n\n[environments.prod]\ndatabase_url_var = \"PROD_URL\"\n",
    )
    .unwrap();
    let source = |n: Neonops| -> String {
        let x: Explanation = n
            .cwd(dir.path())
            .args(["--json", "url", "explain"])
            .run()
            .json();
        x.source
    };
    let var = "postgres://u@ep-var-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db";
    assert_eq!(
        source(Neonops::new().env("DATABASE_URL", var)),
        "$DATABASE_URL"
    );
    assert_eq!(
        source(
            Neonops::new()
                .env("DATABASE_URL", var)
                .args(["--database-url", POOLED])
        ),
        "--database-url"
    );
    // An explicitly chosen environment beats a stray DATABASE_URL.
    assert!(
        source(
            Neonops::new()
                .env("DATABASE_URL", var)
                .args(["--env", "staging"])
        )
        .contains("[environments.staging]")
    );
    assert_eq!(
        source(Neonops::new().env("PROD_URL", var).args(["--env", "prod"])),
        "$PROD_URL (named by [environments.prod])"
    );
    Neonops::new()
        .cwd(dir.path())
        .args(["--env", "nope", "url", "explain"])
        .run()
        .code(2)
        .stderr_has("known environments are prod, staging");
}

#[test]
fn dotenv_is_loaded_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), format!("DATABASE_URL={POOLED}\n")).unwrap();
    let mut n = Neonops::new().cwd(dir.path());
    n = n.env("NEONOPS_NO_DOTENV", "0");
    let x: Explanation = n.args(["--json", "url", "explain"]).run().json();
    assert_eq!(x.source, "$DATABASE_URL");
    Neonops::new()
        .cwd(dir.path())
        .env("NEONOPS_NO_DOTENV", "0")
        .args(["--no-dotenv", "url", "explain"])
        .run()
        .code(2)
        .stderr_has("no URL");
}

#[test]
fn with_no_url_at_all_it_says_how_to_get_one() {
    Neonops::new()
        .args(["check"])
        .run()
        .code(2)
        .stderr_has("DATABASE_URL")
        .stderr_has("neonops sandbox up");
}

/// A health gate that checks nothing must not pass: `--only pooled` when no
/// pooled endpoint is known is a usage error (it printed "ok:" and exited 0).
#[test]
fn check_only_an_endpoint_that_is_not_known_is_refused() {
    // A direct URL of a host that is not Neon's: no pooled endpoint.
    let r = Neonops::new()
        .args(["check", "--only", "pooled", "--database-url"])
        .args(["postgres://u:p@127.0.0.1:1/db"])
        .run();
    r.code(2).stderr_has("--only pooled: no pooled endpoint");
    assert!(
        !r.stdout.contains("ok"),
        "nothing was checked: {}",
        r.stdout
    );
}

#[test]
fn libpq_variables_are_honoured_without_a_url() {
    let s = sandbox();
    let r = Neonops::new()
        .sandbox()
        .env("PGHOST", &s.direct_host)
        .env("PGPORT", s.port.to_string())
        .env("PGUSER", &s.role)
        .env("PGDATABASE", &s.database)
        .env("PGSSLMODE", "verify-full")
        .env("PGSSLROOTCERT", &s.ca_file)
        .env("PGAPPNAME", "from-pgappname")
        .args(["--json", "check"])
        .run();
    r.code(0);
    let rep: CheckReport = r.json();
    assert!(rep.ok);
    assert_eq!(
        rep.endpoints.len(),
        2,
        "the direct host gives its pooled endpoint too"
    );
    assert!(
        rep.endpoints[0]
            .source
            .starts_with("derived from libpq's variables PGHOST="),
        "{}",
        rep.endpoints[0].source
    );
}

#[test]
fn the_readme_flow_works_against_the_sandbox() {
    let s = sandbox();
    // `sandbox env` prints no password, and its variables are all `check` needs.
    let env = Neonops::new()
        .args(["sandbox", "env", "--dir"])
        .args([sandbox_dir()])
        .run();
    env.code(0)
        .stdout_has("export DATABASE_URL=")
        .lacks(":****@");
    let vars: std::collections::BTreeMap<String, String> = Neonops::new()
        .args(["--json", "sandbox", "env", "--dir"])
        .args([sandbox_dir()])
        .run()
        .json();
    assert_eq!(vars["DATABASE_URL"], s.pooled_url());
    let mut n = Neonops::new();
    for (k, v) in &vars {
        n = n.env(k, v);
    }
    let r = n.args(["--json", "check"]).run();
    r.code(0);
    let rep: CheckReport = r.json();
    let names: Vec<&str> = rep.endpoints.iter().map(|e| e.endpoint.as_str()).collect();
    assert_eq!(names, ["pooled", "direct"]);
    assert!(rep.endpoints.iter().all(|e| e.ok && e.tls == Some(true)));
    assert!(rep.endpoints[1].url.contains(&s.direct_host));
    assert_eq!(rep.endpoints[1].source, "derived from $DATABASE_URL");
    Neonops::new()
        .args(["sandbox", "status", "--dir"])
        .args([sandbox_dir()])
        .run()
        .code(0)
        .stdout_has("running");
}

/// A second, separate sandbox: the compute size sets max_connections, and
/// `down` stops exactly what `up` started.
#[test]
fn sandbox_lifecycle_and_compute_size() {
    let dir = tempfile::Builder::new()
        .prefix("neonops-lifecycle")
        .tempdir_in("/tmp")
        .unwrap();
    let sdir = dir.path().join("sb");
    let _down = crate::harness::SandboxDown(sdir.clone());
    Neonops::new()
        .args(["sandbox", "up", "--compute-size", "0.5", "--dir"])
        .args([&sdir])
        .run()
        .code(0)
        .stdout_has("max_connections 209");
    let state = neonops::sandbox::load_state(&sdir).unwrap().unwrap();
    let max: String = crate::harness::block_on(async {
        let c = state.connect_admin("postgres").await.unwrap();
        let rows = c.simple_query("show max_connections").await.unwrap();
        rows.iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .unwrap()
    });
    assert_eq!(max, "209");
    let pid: i32 = std::fs::read_to_string(sdir.join("pgdata/postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    Neonops::new()
        .args(["sandbox", "down", "--dir"])
        .args([&sdir])
        .run()
        .code(0)
        .stdout_has("stopped");
    assert!(
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err(),
        "postgres still running"
    );
    assert!(!sdir.exists());
    Neonops::new()
        .args(["sandbox", "status", "--dir"])
        .args([&sdir])
        .run()
        .code(1);
    // The shared sandbox is untouched.
    assert!(neonops::sandbox::is_running(sandbox()));
}

#[test]
fn missing_server_binaries_name_the_install_command() {
    let dir = tempfile::tempdir().unwrap();
    Neonops::new()
        .env("NEONOPS_PG_BIN", "/nonexistent/bin")
        .args(["sandbox", "up", "--dir"])
        .args([dir.path().join("sb")])
        .run()
        .code(2)
        .stderr_has("apt-get install -y postgresql-15");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    // The notice that libpq's variables are in use is a log line (a warning).
    let run = |terminal: bool, no_color: bool| {
        let mut n = Neonops::new()
            .env("PGHOST", "/nonexistent-neonops-test")
            .args(["check"]);
        if no_color {
            n = n.env("NO_COLOR", "1");
        }
        let r = if terminal {
            n.run_on_terminal()
        } else {
            n.run()
        };
        r.code(3);
        assert!(
            r.stdout.contains("connecting as libpq would")
                || r.stderr.contains("connecting as libpq would"),
            "{}{}",
            r.stdout,
            r.stderr
        );
        r
    };
    let esc = "\u{1b}[";
    let piped = run(false, false);
    assert!(
        !piped.stderr.contains(esc),
        "colour in a pipe: {:?}",
        piped.stderr
    );
    assert!(
        run(true, false).stdout.contains(esc),
        "no colour on a terminal"
    );
    assert!(
        !run(true, true).stdout.contains(esc),
        "colour despite NO_COLOR"
    );
}

#[test]
fn retries_show_as_one_line_on_a_terminal() {
    let port = crate::connect::closing_listener();
    let empty = tempfile::tempdir().unwrap();
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "2s")
        .args(["status", "--dir"])
        .arg_path(empty.path())
        .args([
            "--direct-url",
            &format!("postgresql://u@127.0.0.1:{port}/db?sslmode=disable"),
        ])
        .run_on_terminal();
    r.code(3);
    let out = &r.stdout;
    assert!(
        out.contains("attempt 1 failed (") && out.contains("s of 2s (NEONOPS_C"),
        "{out}"
    );
    assert!(out.contains("attempt 2 failed"), "{out}");
    // The line is rewritten (carriage return and erase), not a log line per attempt.
    assert!(out.contains("\r\u{1b}[2K"), "{out:?}");
    assert!(!out.contains("WARN"), "{out}");
    assert!(
        out.contains("error: connecting to the direct endpoint"),
        "{out}"
    );
    assert!(out.contains("--connect-timeout each attempt"), "{out}");
}

#[test]
fn help_shows_variables_without_values_or_artefacts() {
    let r = Neonops::new().args(["--help"]).run();
    r.code(0)
        .stdout_has("[env: NEONOPS_ENV]")
        .stdout_has("[env: NEONOPS_CONNECT_TIMEOUT]")
        .lacks("=]");
    Neonops::new()
        .env("NEONOPS_CONFIG", "/secret/place.toml")
        .args(["--help"])
        .run()
        .code(0)
        .lacks("/secret/place.toml");
}
