//! A PostgreSQL on this machine, as CI jobs have it (a service container on
//! localhost, a Unix socket): reached without TLS, it passes doctor; the same
//! settings against a Neon host fail. A missing socket is named at once.

use std::time::Instant;

use crate::connect::{report_error_of, status_direct};
use crate::harness::{Neonops, Run, sandbox, tcp_to_socket};
use crate::json::CheckReport;

fn socket_url() -> String {
    let s = sandbox();
    format!(
        "host={} port={} user={} dbname={}",
        s.socket_dir.display(),
        s.port,
        s.role,
        s.database
    )
}

fn doctor(url: &str, extra: &[&str]) -> (Run, serde_json::Value) {
    let r = Neonops::new()
        .sandbox()
        .args(["--json"])
        .args(extra)
        .args(["doctor", "--format", "json"])
        .env("DATABASE_URL", url)
        .run();
    let v = r.json();
    (r, v)
}

fn finding<'a>(v: &'a serde_json::Value, check: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no {check} finding in {v:#}"))
}

#[test]
fn a_local_server_without_tls_passes_doctor_and_a_neon_host_does_not() {
    let s = sandbox();
    // The Unix socket.
    let (r, v) = doctor(&socket_url(), &[]);
    r.code(0);
    assert_eq!(v["endpoints"][0]["unix_socket"], true, "{v:#}");
    assert_eq!(v["endpoints"][0]["encrypted"], false);
    assert!(v["endpoints"][0]["timings"]["socket"].is_number(), "{v:#}");
    for check in ["tls mode", "encryption"] {
        let f = finding(&v, check);
        assert_eq!(f["status"], "pass", "{f}");
        assert!(
            f["detail"].as_str().unwrap().contains("this machine"),
            "{f}"
        );
    }
    // Loopback TCP without TLS (what a service container on localhost gives).
    let port = tcp_to_socket(s.socket_dir.join(format!(".s.PGSQL.{}", s.port)));
    let url = format!(
        "postgresql://{}@127.0.0.1:{port}/{}?sslmode=disable",
        s.role, s.database
    );
    let (r, v) = doctor(&url, &[]);
    r.code(0);
    assert_eq!(finding(&v, "tls mode")["status"], "pass");
    assert_eq!(finding(&v, "encryption")["status"], "pass");
    // The same loopback server under a Neon host name: Neon always needs TLS.
    let neon = "ep-local-a1b2c3d4.sandbox.aws.neon.tech";
    let (r, v) = doctor(
        &format!(
            "postgresql://{}@{neon}:{port}/{}?sslmode=disable",
            s.role, s.database
        ),
        &[
            "--resolve",
            &format!("{neon}:{port}:127.0.0.1"),
            "--resolve",
            &format!("ep-local-a1b2c3d4-pooler.sandbox.aws.neon.tech:{port}:127.0.0.1"),
        ],
    );
    r.code(1);
    assert_eq!(finding(&v, "tls mode")["status"], "fail");
    assert_eq!(finding(&v, "encryption")["status"], "fail");
}

#[test]
fn a_missing_socket_is_named_at_once_and_never_retried() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("host={} port=5432 user=u dbname=d", dir.path().display());
    // Work (which retries what a retry can fix) does not retry it.
    let started = Instant::now();
    let r = status_direct(&url, "30s", &[]);
    r.code(3);
    let e = report_error_of(&r);
    assert_eq!(e.stage, "socket", "{e:?}");
    assert_eq!(e.attempts, 1, "{e:?}");
    assert!(!e.retryable);
    assert!(e.message.contains(".s.PGSQL.5432"), "{e:?}");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // A diagnosis names the cause.
    let r = Neonops::new()
        .args(["--json", "check", "--database-url", &url])
        .run();
    r.code(3);
    let rep: CheckReport = r.json();
    let d = rep.endpoints[0].diagnosis.as_ref().unwrap();
    assert_eq!(d.cause, "no_local_server");
    assert!(rep.endpoints[0].error.as_ref().unwrap().elapsed < 1000);
}

#[test]
fn libpq_variables_are_used_only_when_they_name_a_server_and_it_is_said() {
    let s = sandbox();
    // A password file alone names no server.
    Neonops::new()
        .env("PGPASSFILE", &s.passfile)
        .args(["check"])
        .run()
        .code(2)
        .stderr_has("no database URL")
        .stderr_has("PGPASSFILE is set, but names no server");
    // PGHOST does, and neonops says that is what it uses.
    Neonops::new()
        .env("PGPASSFILE", &s.passfile)
        .env("PGHOST", &s.socket_dir)
        .env("PGPORT", s.port.to_string())
        .env("PGUSER", &s.role)
        .env("PGDATABASE", &s.database)
        .args(["check", "--only", "direct"])
        .run()
        .code(0)
        .stderr_has("no --database-url or DATABASE_URL: connecting as libpq would")
        .stderr_has(&format!("PGHOST={}", s.socket_dir.display()));
}
