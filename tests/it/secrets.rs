//! A sentinel password, given every way a URL can be given, to every command
//! that takes one, at every verbosity from -q to -vvv, in every output
//! format, failing every way a connection can fail (and succeeding, and
//! panicking on purpose): it appears nowhere in stdout or stderr.
//!
//! The whole matrix runs with NEONOPS_CAMPAIGN=full; CI runs a covering
//! subset (every command with every failure mode and every channel, the
//! verbosities and formats taken in turn).

use std::net::TcpListener;

use crate::harness::{Neonops, SECRET, TestDb, block_on, campaign_full, other_ca, sandbox};

/// How the URL gets its password to neonops.
#[derive(Debug, Clone, Copy)]
enum Channel {
    Flag,
    DatabaseUrl,
    Unpooled,
    PgPassword,
    ConfigFile,
}

const CHANNELS: &[Channel] = &[
    Channel::Flag,
    Channel::DatabaseUrl,
    Channel::Unpooled,
    Channel::PgPassword,
    Channel::ConfigFile,
];

/// A way to fail (or not): its name, the URL with the password, extra flags.
struct Mode {
    name: &'static str,
    url: String,
    extra: Vec<String>,
    env: Vec<(&'static str, String)>,
}

/// The role that the success mode logs in as, with the sentinel password.
pub(crate) const ROLE: &str = "neonops_sentinel";

fn modes(ca_path: &str, db: &TestDb) -> Vec<Mode> {
    let s = sandbox();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let verified = |host: &str, role: &str, ca: &str| {
        format!(
            "postgresql://{role}:{SECRET}@{host}:{}/{}?sslmode=verify-full&sslrootcert={ca}",
            s.port, db.name
        )
    };
    let sandbox_ca = s.ca_file.display().to_string();
    let pooled_closed = "ep-x-a1b2c3d4-pooler.sandbox.aws.neon.tech";
    vec![
        Mode {
            name: "closed port",
            url: format!("postgresql://u:{SECRET}@{pooled_closed}:{closed}/db?sslmode=require"),
            extra: vec![
                "--resolve".into(),
                format!("{pooled_closed}:{closed}:127.0.0.1"),
                "--resolve".into(),
                format!("ep-x-a1b2c3d4.sandbox.aws.neon.tech:{closed}:127.0.0.1"),
            ],
            env: vec![],
        },
        Mode {
            name: "unknown host",
            url: format!("postgresql://u:{SECRET}@ep-x-a1b2c3d4-pooler.nowhere.invalid/db"),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "bad certificate",
            url: verified(&s.pooled_host, &s.role, ca_path),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "wrong password",
            url: verified(&s.pooled_host, &s.role, &sandbox_ca),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "key=value",
            url: format!("host=127.0.0.1 port={closed} user=u password={SECRET} sslmode=require"),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "invalid parameter after the password",
            url: format!("postgresql://u:{SECRET}@h/db?sslmode=require&bogus=1"),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "success",
            url: verified(&s.pooled_host, ROLE, &sandbox_ca),
            extra: vec![],
            env: vec![],
        },
        Mode {
            name: "forced panic",
            url: verified(&s.pooled_host, ROLE, &sandbox_ca),
            extra: vec![],
            env: vec![("NEONOPS_INTERNAL_TEST_PANIC", "1".into())],
        },
    ]
}

/// Every command that takes a URL, in every output format it has.
fn commands(dir: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["check"]),
        v(&["--json", "check"]),
        v(&["check", "--only", "direct"]),
        v(&["doctor"]),
        v(&["doctor", "--format", "json"]),
        v(&["doctor", "--format", "github"]),
        v(&["doctor", "--format", "prometheus"]),
        v(&["migrate", "--dir", dir]),
        v(&["--json", "migrate", "--dir", dir, "--plan"]),
        v(&["status", "--dir", dir]),
        v(&["--json", "validate", "--dir", dir]),
        v(&["url", "direct"]),
        v(&["--json", "url", "pooled"]),
        v(&["url", "explain"]),
        v(&["--json", "url", "explain"]),
        v(&["--json", "diff", "--from", "live", "--to", "live"]),
        v(&["drift", "--dir", dir]),
    ]
}

const VERBOSITY: &[&[&str]] = &[&["-q"], &[], &["-v"], &["-vv"], &["-vvv"]];

pub(crate) fn the_role_with_the_sentinel_password(db: &TestDb) {
    let s = sandbox();
    block_on(async {
        let admin = s.connect_admin("postgres").await.expect("admin");
        admin
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; ALTER ROLE {ROLE} PASSWORD '{SECRET}'; GRANT ALL ON DATABASE {} TO {ROLE}; GRANT pg_monitor TO {ROLE}",
                db.name
            ))
            .await
            .expect("sentinel role");
        let c = s
            .connect_admin(&db.name)
            .await
            .expect("admin on the test database");
        c.batch_execute(&format!("GRANT ALL ON SCHEMA public TO {ROLE}"))
            .await
            .expect("grant");
    });
}

#[test]
fn the_password_never_appears_in_any_output() {
    let db = TestDb::new("secrets");
    the_role_with_the_sentinel_password(&db);
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    let (_ca, ca_path) = other_ca();
    let modes = modes(&ca_path, &db);
    let commands = commands(&dir);
    let full = campaign_full();
    let mut runs = 0;
    let mut index = 0usize;
    let mut modes_seen = std::collections::BTreeMap::new();
    for mode in &modes {
        for cmd in &commands {
            for (c, channel) in CHANNELS.iter().enumerate() {
                for (v, verbosity) in VERBOSITY.iter().enumerate() {
                    index += 1;
                    // CI: every command × mode × channel, one verbosity in turn.
                    if !full && v != (index + c) % VERBOSITY.len() {
                        continue;
                    }
                    let cfg = tempfile::tempdir().unwrap();
                    let mut n = Neonops::new()
                        .sandbox()
                        .env("NEONOPS_CONNECT_BUDGET", "300ms")
                        .env(
                            "GITHUB_ACTIONS",
                            if index.is_multiple_of(2) {
                                "true"
                            } else {
                                "false"
                            },
                        )
                        .args(*verbosity)
                        .args(&mode.extra);
                    for (k, val) in &mode.env {
                        n = n.env(k, val);
                    }
                    n = match channel {
                        Channel::Flag => n.args(["--database-url", &mode.url]),
                        Channel::DatabaseUrl => n.env("DATABASE_URL", &mode.url),
                        Channel::Unpooled => n.env("DATABASE_URL_UNPOOLED", &mode.url),
                        Channel::PgPassword => {
                            // The password only in PGPASSWORD (for URIs: taken out of the URL).
                            let url = mode.url.replace(&format!(":{SECRET}@"), "@");
                            n.env("PGPASSWORD", SECRET).env("DATABASE_URL", url)
                        }
                        Channel::ConfigFile => {
                            std::fs::write(
                                cfg.path().join("neonops.toml"),
                                format!(
                                    "default_env = \"x\"\n[environments.x]\ndatabase_url = '{}'\n",
                                    mode.url
                                ),
                            )
                            .unwrap();
                            n.cwd(cfg.path())
                        }
                    };
                    let r = n.args(cmd).run();
                    runs += 1;
                    *modes_seen.entry(mode.name).or_insert(0) += 1;
                    if mode.name == "forced panic" {
                        assert_eq!(r.code, 4, "{}: {cmd:?}\n{}", mode.name, r.stderr);
                        assert!(r.stderr.contains("neonops hit a bug"), "{}", r.stderr);
                    } else {
                        assert!(
                            !r.stderr.contains("panicked"),
                            "{}: {}",
                            mode.name,
                            r.stderr
                        );
                    }
                    assert!(
                        !r.stdout.contains(SECRET) && !r.stderr.contains(SECRET),
                        "{} / {cmd:?} / {channel:?} / {verbosity:?}: the password leaked\nstdout: {}\nstderr: {}",
                        mode.name,
                        r.stdout,
                        r.stderr
                    );
                }
            }
        }
    }
    crate::harness::campaign_report(
        "secrets",
        serde_json::json!({
            "runs": runs,
            "commands": commands.len(),
            "channels": CHANNELS.len(),
            "verbosities": if full { VERBOSITY.len() } else { 1 },
            "modes": modes_seen,
            "leaks": 0,
        }),
    );
    assert!(runs >= if full { 3000 } else { 500 }, "{runs} runs");
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
