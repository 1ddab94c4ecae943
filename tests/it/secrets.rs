//! A known password, given every way a URL can be given, to every command
//! that takes one, failing every way a connection can fail, at -vvv and with
//! --json: it appears nowhere in stdout or stderr.

use std::net::TcpListener;

use crate::harness::{Neonops, SECRET, other_ca, sandbox};

/// A failing case: its name, the URL (with the password) and extra flags.
type Case = (&'static str, String, Vec<String>);

/// The failing URLs, and the directory of the wrong CA they use (keep it alive).
fn urls() -> (tempfile::TempDir, Vec<Case>) {
    let s = sandbox();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (ca_dir, ca_path) = other_ca();
    let cases = vec![
        (
            "closed port",
            format!(
                "postgresql://u:{SECRET}@ep-x-a1b2c3d4-pooler.sandbox.aws.neon.tech:{closed}/db?sslmode=require"
            ),
            vec![
                "--resolve".into(),
                format!("ep-x-a1b2c3d4-pooler.sandbox.aws.neon.tech:{closed}:127.0.0.1"),
            ],
        ),
        (
            "unknown host",
            format!("postgresql://u:{SECRET}@ep-x-a1b2c3d4-pooler.nowhere.invalid/db"),
            vec![],
        ),
        (
            "bad certificate",
            format!(
                "postgresql://{}:{SECRET}@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
                s.role, s.pooled_host, s.port, s.database, ca_path
            ),
            vec![],
        ),
        (
            "wrong password",
            format!(
                "postgresql://{}:{SECRET}@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
                s.role,
                s.pooled_host,
                s.port,
                s.database,
                s.ca_file.display()
            ),
            vec![],
        ),
        (
            "key=value",
            format!("host=127.0.0.1 port={closed} user=u password={SECRET} sslmode=require"),
            vec![],
        ),
    ];
    (ca_dir, cases)
}

#[test]
fn the_password_never_appears_in_any_output() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    let commands: &[&[&str]] = &[
        &["check"],
        &["check", "--only", "direct"],
        &["doctor"],
        &["doctor", "--format", "prometheus"],
        &["migrate", "--dir", &dir],
        &["status", "--dir", &dir],
        &["validate", "--dir", &dir],
        &["url", "direct"],
        &["url", "pooled"],
        &["url", "explain"],
    ];
    let (_ca, cases) = urls();
    for (case, url, extra) in cases {
        for cmd in commands {
            for mode in [&["-vvv"][..], &["--json", "-vvv"][..]] {
                // The URL as a flag, as DATABASE_URL, and as the direct URL.
                let runs = [
                    Neonops::new()
                        .sandbox()
                        .env("NEONOPS_CONNECT_BUDGET", "300ms")
                        .args(mode)
                        .args(&extra)
                        .args(["--database-url", &url])
                        .args(*cmd)
                        .run(),
                    Neonops::new()
                        .sandbox()
                        .env("NEONOPS_CONNECT_BUDGET", "300ms")
                        .env("DATABASE_URL", &url)
                        .args(mode)
                        .args(&extra)
                        .args(*cmd)
                        .run(),
                    Neonops::new()
                        .sandbox()
                        .env("NEONOPS_CONNECT_BUDGET", "300ms")
                        .env("DATABASE_URL_UNPOOLED", &url)
                        .args(mode)
                        .args(&extra)
                        .args(*cmd)
                        .run(),
                ];
                for r in &runs {
                    assert!(!r.stderr.contains("panicked"), "{case}: {}", r.stderr);
                    assert!(
                        !r.stdout.contains(SECRET) && !r.stderr.contains(SECRET),
                        "{case} / {cmd:?} / {mode:?}: the password leaked\nstdout: {}\nstderr: {}",
                        r.stdout,
                        r.stderr
                    );
                }
            }
        }
    }
}

#[test]
fn show_password_is_the_one_place_it_is_printed() {
    let url = format!("postgresql://u:{SECRET}@ep-x-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db");
    Neonops::new()
        .args(["url", "direct", "--show-password", &url])
        .run()
        .code(0)
        .stdout_has(SECRET);
    Neonops::new()
        .args(["-vvv", "url", "direct", &url])
        .run()
        .code(0)
        .lacks(SECRET);
}
