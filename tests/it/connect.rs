//! Real connection failures come back typed (stage, SQLSTATE, message), are
//! retried only when a retry can help, and never hang.

use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{Neonops, Run, TestDb, block_on, free_port, pipe, sandbox};
use crate::json::{CheckReport, ErrorReport};

fn error_of(r: &Run) -> crate::json::ConnectError {
    let rep: CheckReport = r.json();
    rep.endpoints
        .into_iter()
        .find_map(|e| e.error)
        .expect("an endpoint error")
}

/// `status`: work that retries within the connect budget. Its connection
/// error comes in the top-level JSON error report.
pub fn status_direct(url: &str, budget: &str, extra: &[&str]) -> Run {
    let empty = tempfile::tempdir().unwrap();
    Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", budget)
        .args(["--json"])
        .args(extra)
        .args(["status", "--dir"])
        .arg_path(empty.path())
        .args(["--direct-url", url])
        .run()
}

pub fn report_error_of(r: &Run) -> crate::json::ConnectError {
    let rep: ErrorReport = r.json();
    rep.error.connect.expect("a connection error")
}

fn check_direct(url: &str, budget: &str, extra: &[&str]) -> Run {
    Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", budget)
        .args(["--json"])
        .args(extra)
        .args(["check", "--only", "direct", "--direct-url", url])
        .run()
}

/// A listener that accepts every connection and closes it at once (a
/// proxy whose server is gone): a failure a retry may cure.
pub fn closing_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for s in listener.incoming().flatten() {
            drop(s);
        }
    });
    port
}

#[test]
fn a_dropped_connection_is_retried_by_work_and_answered_at_once_by_a_diagnosis() {
    let url = format!(
        "postgresql://u@127.0.0.1:{}/db?sslmode=require",
        closing_listener()
    );
    let r = status_direct(&url, "1500ms", &[]);
    r.code(3);
    let e = report_error_of(&r);
    assert!(e.retryable, "{e:?}");
    assert!(e.attempts >= 2, "a dropped connection is retried: {e:?}");
    assert!(e.elapsed < 5_000, "{e:?}");
    // A few log lines (stderr is a pipe here) that say how to change the wait.
    r.stderr_has("retrying for up to 1s")
        .stderr_has("NEONOPS_CONNECT_BUDGET")
        .stderr_has("--connect-timeout");

    // check and doctor answer with the first failure, whatever the budget.
    let r = check_direct(&url, "30s", &[]);
    r.code(3);
    let e = error_of(&r);
    assert_eq!(e.attempts, 1, "{e:?}");
    assert!(e.elapsed < 1_000, "{e:?}");
}

#[test]
fn a_closed_port_is_never_retried() {
    // Nothing listens: not a waking compute (Neon's proxy always accepts),
    // so work fails at once too, whatever the budget.
    let url = format!(
        "postgresql://u@127.0.0.1:{}/db?sslmode=require",
        free_port()
    );
    let r = status_direct(&url, "30s", &[]);
    r.code(3);
    let e = report_error_of(&r);
    assert_eq!(e.stage, "tcp");
    assert!(e.message.contains("connection refused"), "{}", e.message);
    assert!(!e.retryable);
    assert_eq!(e.attempts, 1, "{e:?}");
    assert!(e.elapsed < 1_000, "{e:?}");
}

#[test]
fn a_server_that_accepts_and_never_answers_is_abandoned_at_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s); // accept and say nothing
        }
    });
    let url = format!("postgresql://u@127.0.0.1:{port}/db?sslmode=require");
    let started = Instant::now();
    let r = check_direct(&url, "0s", &["--connect-timeout", "2"]);
    let took = started.elapsed();
    r.code(3);
    let e = error_of(&r);
    assert!(e.timed_out, "{e:?}");
    assert_eq!(e.stage, "tls", "TCP connected, TLS never answered: {e:?}");
    assert!(e.message.contains("connect_timeout (2s)"), "{}", e.message);
    // Not a hang: well inside connect_timeout plus process start-up.
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[test]
fn a_wrong_password_fails_at_auth_once_and_is_never_retried() {
    let s = sandbox();
    for host in [&s.direct_host, &s.pooled_host] {
        let url = format!(
            "postgresql://{}:wrong-password@{host}:{}/{}?sslmode=verify-full&sslrootcert={}",
            s.role,
            s.port,
            s.database,
            s.ca_file.display()
        );
        let flag = if host == &s.direct_host {
            "direct"
        } else {
            "pooled"
        };
        let r = Neonops::new()
            .sandbox()
            .env("NEONOPS_CONNECT_BUDGET", "20s")
            .args(["--json", "check", "--only", flag, "--database-url", &url])
            .run();
        r.code(3);
        let e = error_of(&r);
        assert_eq!(e.stage, "auth", "{e:?}");
        assert!(e.message.contains("authentication failed"), "{e:?}");
        assert!(!e.retryable);
        assert_eq!(e.attempts, 1);
    }
}

#[test]
fn unknown_role_and_database_are_named() {
    let s = sandbox();
    let url = s
        .url_with(&s.direct_host, "nobody_here", &s.database)
        .replace("nobody_here@", "nobody_here:some-password@");
    let e = error_of(check_direct(&url, "10s", &[]).code(3));
    assert_eq!(e.stage, "auth");
    assert_eq!(e.sqlstate.as_deref(), Some("28P01"));
    assert_eq!(e.attempts, 1);

    let url = s.url_with(&s.direct_host, &s.role, "no_such_db");
    let e = error_of(check_direct(&url, "10s", &[]).code(3));
    assert_eq!(e.stage, "server");
    assert_eq!(e.sqlstate.as_deref(), Some("3D000"));
    assert!(e.message.contains("\"no_such_db\" does not exist"), "{e:?}");
    assert_eq!(e.attempts, 1);
}

#[test]
fn an_unknown_host_is_a_dns_failure() {
    let r = check_direct("postgresql://u@no-such-host.invalid/db", "0s", &[]);
    r.code(3);
    let e = error_of(&r);
    assert_eq!(e.stage, "dns");
    assert!(
        e.message
            .contains("could not translate host name \"no-such-host.invalid\""),
        "{e:?}"
    );
}

/// A server that appears after a while (a waking compute): connection
/// attempts are retried with backoff until it answers.
#[test]
fn a_server_that_comes_up_late_is_waited_for_by_check_wait() {
    let s = sandbox();
    let port = free_port();
    let upstream = format!("127.0.0.3:{}", s.port);
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(1200));
        let l = TcpListener::bind(("127.0.0.1", port)).unwrap();
        for client in l.incoming().flatten() {
            let server = TcpStream::connect(&upstream).unwrap();
            pipe(client, server);
        }
    });
    let url = s.url_with(&s.direct_host, &s.role, &s.database);
    let pin = format!("{}:{}:127.0.0.1", s.direct_host, s.port);
    // Same name (so TLS verifies), another port: point the pin at the late proxy.
    let url = url.replace(&format!(":{}/", s.port), &format!(":{port}/"));
    let pin = pin.replace(&format!(":{}:", s.port), &format!(":{port}:"));
    let r = Neonops::new()
        .sandbox()
        .args(["--json", "--resolve", &pin, "check", "--wait", "20s"])
        .args(["--only", "direct", "--direct-url", &url])
        .run();
    let rep: CheckReport = r.json();
    assert!(rep.ok, "{}", r.stdout);
    assert!(rep.rounds >= 2, "{}", r.stdout);
}

#[test]
fn connection_errors_in_json_are_typed_at_the_top_level_too() {
    // A URL error before any connection: exit 2 and a JSON error report.
    let r = Neonops::new()
        .args([
            "--json",
            "check",
            "--database-url",
            "postgres://h/db?bogus=1",
        ])
        .run();
    r.code(2);
    let rep: ErrorReport = r.json();
    assert!(!rep.ok);
    assert_eq!(rep.exit_code, 2);
    assert_eq!(rep.error.kind, "usage");
    assert!(rep.error.message.contains("\"bogus\""));
    assert!(rep.error.connect.is_none());
}

/// Through the library, against the real server: the session carries
/// neonops' application_name and the translated Prisma schema.
#[test]
fn sessions_carry_application_name_and_schema() {
    let db = TestDb::new("session");
    block_on(async {
        let c = crate::harness::connect_lib(&format!("{}&schema=app", db.direct_url())).await;
        let row = c
            .client
            .query_one(
                "select current_setting('application_name'), current_setting('search_path')",
                &[],
            )
            .await
            .unwrap();
        let app: String = row.get(0);
        let path: String = row.get(1);
        assert_eq!(app, format!("neonops/{}", env!("CARGO_PKG_VERSION")));
        assert_eq!(path, "app");
    });
}

/// Every command closes its sessions properly (Terminate, then TLS
/// close_notify) before the process exits: the server never logs "could
/// not receive data from client: Connection reset by peer" for them.
#[test]
fn sessions_are_closed_properly_when_a_command_ends() {
    let db = TestDb::new("closes_properly");
    let m = crate::harness::Migrations::new(&[("V1__t.sql", "CREATE TABLE t (id int);")]);
    let log = sandbox().dir.join("postgres.log");
    let authorized = format!(
        "connection authorized: user={} database={}",
        sandbox().role,
        db.name
    );
    let pid = |line: &str| {
        line.split('[')
            .nth(1)?
            .split(']')
            .next()
            .map(str::to_string)
    };
    let dir = m.arg();
    for args in [
        vec!["migrate", "--dir", &dir],
        vec!["migrate", "--dir", &dir],
        vec!["status", "--dir", &dir],
        vec!["check"],
        vec!["doctor"],
    ] {
        let start = std::fs::metadata(&log).expect("postgres.log").len() as usize;
        Neonops::new().db(&db).args(&args).run();
        // The server notices a reset when it next reads the socket: at once.
        thread::sleep(Duration::from_millis(300));
        let text = std::fs::read(&log).expect("postgres.log");
        let text = String::from_utf8_lossy(&text[start..]);
        let ours: Vec<String> = text
            .lines()
            .filter(|l| l.contains(&authorized))
            .filter_map(pid)
            .collect();
        assert!(
            !ours.is_empty(),
            "{args:?}: no session of this test in the log"
        );
        let reset: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("could not receive data from client"))
            .filter(|l| pid(l).is_some_and(|p| ours.contains(&p)))
            .collect();
        assert!(
            reset.is_empty(),
            "{args:?}: sessions not closed properly: {reset:?}\n{text}"
        );
    }
    assert_eq!(db.history(), vec!["1"]);
}
