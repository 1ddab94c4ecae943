//! `neonops doctor` and `neonops check` against real failures: each
//! diagnosis comes from a failure the sandbox's real servers produce.
//! (The report structs list every field of the documented schema, read or not.)
#![allow(dead_code)]

use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::harness::{
    LatencyProxy, Migrations, Neonops, Run, TestDb, block_on, free_port, other_ca, sandbox,
};
use crate::json::CheckReport;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    ok: bool,
    environment: Option<String>,
    elapsed_ms: u64,
    summary: Summary,
    findings: Vec<Finding>,
    endpoints: Vec<Probe>,
    limits: Option<serde_json::Value>,
    connections: Vec<serde_json::Value>,
    budget: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    pass: usize,
    warn: usize,
    fail: usize,
    info: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    status: String,
    check: String,
    endpoint: Option<String>,
    detail: String,
    fix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Probe {
    endpoint: String,
    url: String,
    source: String,
    kind: String,
    addresses: Vec<String>,
    timings: Option<serde_json::Value>,
    tls: Option<serde_json::Value>,
    encrypted: Option<bool>,
    unix_socket: bool,
    tls_version: Option<String>,
    latency_ms: Option<f64>,
    samples_ms: Vec<f64>,
    server_version: Option<String>,
    error: Option<crate::json::ConnectError>,
    diagnosis: Option<crate::json::Diagnosis>,
    session: Option<serde_json::Value>,
}

impl Report {
    fn probe(&self, endpoint: &str) -> &Probe {
        self.endpoints
            .iter()
            .find(|p| p.endpoint == endpoint)
            .unwrap_or_else(|| panic!("no {endpoint} probe"))
    }

    fn cause(&self, endpoint: &str) -> String {
        self.probe(endpoint)
            .diagnosis
            .as_ref()
            .map(|d| d.cause.clone())
            .unwrap_or_else(|| format!("no diagnosis: {:?}", self.probe(endpoint)))
    }

    fn finding(&self, check: &str) -> &Finding {
        self.findings
            .iter()
            .find(|f| f.check == check)
            .unwrap_or_else(|| panic!("no {check} finding in {:#?}", self.findings))
    }
}

fn doctor(url: &str, extra: &[&str]) -> (Run, Report) {
    let r = Neonops::new()
        .sandbox()
        .env("DATABASE_URL", url)
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json"])
        .args(extra)
        .args(["doctor"])
        .run();
    let rep = r.json();
    (r, rep)
}

#[test]
fn a_healthy_sandbox_passes_with_the_whole_picture() {
    let db = TestDb::new("doc_ok");
    let m = Migrations::new(&[
        ("V1__a.sql", "CREATE TABLE a (id int);"),
        ("V2__b.sql", "CREATE TABLE b (id int);"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!("[migrations]\ndir = \"{}\"\n", m.arg()),
    )
    .unwrap();
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg(), "--target", "1"])
        .run()
        .code(0);
    let r = Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["--json", "doctor"])
        .run();
    r.code(0);
    let rep: Report = r.json();
    assert!(rep.ok);
    assert_eq!(rep.summary.fail, 0);
    let s = sandbox();
    for ep in ["pooled", "direct"] {
        let p = rep.probe(ep);
        assert!(p.error.is_none(), "{p:?}");
        assert_eq!(p.encrypted, Some(true));
        assert_eq!(p.samples_ms.len(), 3);
        assert!(p.latency_ms.is_some());
        assert!(
            p.tls.as_ref().unwrap()["subject"]
                .as_str()
                .unwrap()
                .contains(&s.direct_host)
        );
        assert!(p.timings.as_ref().unwrap()["tcp"].is_number());
    }
    assert_eq!(rep.probe("pooled").addresses, ["127.0.0.2"]);
    assert!(
        rep.probe("direct")
            .tls_version
            .as_deref()
            .unwrap()
            .starts_with("TLSv1.")
    );
    assert_eq!(rep.probe("direct").addresses, ["127.0.0.3"]);
    // Measured, not taken from the URLs: PgBouncer pools transactions, the
    // direct endpoint is PostgreSQL's own session (its cancel key).
    assert_eq!(
        rep.probe("pooled").session.as_ref().unwrap()["kind"],
        "pooled"
    );
    assert_eq!(
        rep.probe("direct").session.as_ref().unwrap()["kind"],
        "direct"
    );
    assert_eq!(rep.finding("migration lock").status, "pass");
    let limits = rep.limits.as_ref().unwrap();
    assert_eq!(limits["max_connections"], 104);
    assert_eq!(limits["superuser_reserved_connections"], 7);
    assert_eq!(limits["compute_size"], "0.25 CU");
    assert!(limits["sees_all_sessions"].as_bool().unwrap());
    assert!(!rep.connections.is_empty());
    let mig = rep
        .findings
        .iter()
        .find(|f| f.check == "migrations" && f.detail.contains("pending"))
        .unwrap();
    assert_eq!(mig.detail, "1 applied, 1 pending");
    assert_eq!(mig.status, "warn");
    // Warnings only: --strict makes them fail.
    Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["doctor", "--strict"])
        .run()
        .code(1)
        .stdout_has("ok with warnings");
    // The table form.
    Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["doctor"])
        .run()
        .code(0)
        // (The table wraps at 120 columns in logs: words, not phrases.)
        .stdout_has("max_connections")
        .stdout_has("migration safety")
        .stdout_has("ok with warnings");
}

#[test]
fn every_endpoint_failure_is_diagnosed() {
    let s = sandbox();
    let ca = format!("sslrootcert={}", s.ca_file.display());
    let url = |host: &str, role: &str, db: &str, q: &str| {
        format!("postgresql://{role}@{host}:{}/{db}?{q}", s.port)
    };
    let (_ca_dir, other) = other_ca();
    let other_ca = format!("sslrootcert={other}");
    let cases: Vec<(String, &str, &str)> = vec![
        (
            url(
                &s.direct_host,
                &format!("{}:wrong", s.role),
                &s.database,
                &format!("sslmode=verify-full&{ca}"),
            ),
            "direct",
            "authentication_failed",
        ),
        (
            url(
                &s.pooled_host,
                &format!("{}:wrong", s.role),
                &s.database,
                &format!("sslmode=verify-full&{ca}"),
            ),
            "pooled",
            "authentication_failed",
        ),
        (
            url(
                &s.direct_host,
                "ghost:pw",
                &s.database,
                &format!("sslmode=verify-full&{ca}"),
            ),
            "direct",
            "authentication_failed",
        ),
        (
            url(
                &s.direct_host,
                &s.role,
                "no_such_db",
                &format!("sslmode=verify-full&{ca}"),
            ),
            "direct",
            "unknown_database",
        ),
        (
            url(&s.direct_host, &s.role, &s.database, "sslmode=disable"),
            "direct",
            "tls_required",
        ),
        (
            url(&s.pooled_host, &s.role, &s.database, "sslmode=disable"),
            "pooled",
            "tls_required",
        ),
        (
            url(
                &s.direct_host,
                &s.role,
                &s.database,
                &format!("sslmode=verify-full&{other_ca}"),
            ),
            "direct",
            "certificate_untrusted",
        ),
        (
            url(
                &s.pooled_host,
                &s.role,
                &s.database,
                &format!("sslmode=verify-full&{ca}&options=-c%20search_path%3Dpublic"),
            ),
            "pooled",
            "pooler_startup_parameter",
        ),
    ];
    for (u, ep, cause) in cases {
        let (r, rep) = doctor(&u, &[]);
        r.code(3);
        assert_eq!(rep.cause(ep), cause, "{u}");
        assert!(!rep.ok);
    }
    // The startup-parameter URL is also flagged without connecting.
    let (_, rep) = doctor(
        &url(
            &s.pooled_host,
            &s.role,
            &s.database,
            &format!("sslmode=verify-full&{ca}&options=-c%20lock_timeout%3D1s"),
        ),
        &[],
    );
    assert_eq!(rep.finding("pooler startup parameters").status, "fail");

    // A wrong host name: the certificate does not cover it.
    let name = "not-the-endpoint.example.com";
    let r = Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .env(
            "DATABASE_URL",
            url(
                name,
                &s.role,
                &s.database,
                &format!("sslmode=verify-full&{ca}"),
            ),
        )
        .args([
            "--json",
            "--resolve",
            &format!("{name}:{}:127.0.0.3", s.port),
            "doctor",
        ])
        .run();
    r.code(3);
    assert_eq!(
        r.json::<Report>().cause("direct"),
        "certificate_host_mismatch"
    );

    // A closed port.
    let closed = free_port();
    let (r, rep) = doctor(
        &format!("postgresql://u@127.0.0.1:{closed}/db?sslmode=require"),
        &[],
    );
    r.code(3);
    assert_eq!(rep.cause("direct"), "connection_refused");
}

#[test]
fn an_endpoint_that_never_answers_is_reported_within_connect_timeout_plus_a_second() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let t = Instant::now();
    let (r, rep) = doctor(
        &format!("postgresql://u@127.0.0.1:{port}/db?sslmode=require"),
        &["--connect-timeout", "2"],
    );
    let took = t.elapsed();
    r.code(3);
    assert_eq!(rep.cause("direct"), "no_answer");
    // Answered within connect_timeout + 1 s (measured inside neonops), and
    // the whole process well within that plus its own start-up.
    let elapsed = rep.probe("direct").error.as_ref().unwrap().elapsed;
    assert!(elapsed < 3000, "answered after {elapsed} ms");
    assert!(took < Duration::from_secs(6), "took {took:?}");
}

#[test]
fn pool_budget_shows_the_arithmetic_and_fails_when_it_does_not_fit() {
    let db = TestDb::new("doc_budget");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[migrations]\ndir = \"none\"\n\n[[pool]]\nname = \"api\"\nendpoint = \"direct\"\nkind = \"serverless\"\ninstances = 10\npool_size = 5\n\n[[pool]]\nname = \"jobs\"\nendpoint = \"direct\"\nkind = \"worker\"\ninstances = 5\npool_size = 10\nmax_overflow = 5\n\n[[pool]]\nname = \"web\"\nendpoint = \"pooled\"\nkind = \"long-running\"\ninstances = 4\npeak_rps = 300\navg_query_ms = 20\nmax_overflow = 30\n",
    )
    .unwrap();
    let r = Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["--json", "doctor"])
        .run();
    r.code(1);
    let rep: Report = r.json();
    let b = rep.budget.as_ref().unwrap();
    assert_eq!(b["direct_demand"], 125); // 10 × 5 + 5 × (10 + 5)
    assert_eq!(b["available"], 97); // 104 − 7
    assert_eq!(b["pooled_clients"], 4 * (6 + 30)); // pool_size = ceil(300 × 0.02) = 6
    assert_eq!(b["pooler_server_limit"], 93);
    assert_eq!(rep.finding("pool budget: direct endpoint").status, "fail");
    assert!(rep.findings.iter().any(|f| {
        f.check == "pool shape"
            && f.detail
                .contains("serverless consumer on the direct endpoint")
    }));
    assert!(
        rep.findings
            .iter()
            .any(|f| f.check == "pool shape" && f.detail.contains("client-side pool of 36"))
    );
    let text = b["arithmetic"].to_string();
    assert!(
        text.contains("api (Direct, serverless): 10 × (5 + 0) = 50"),
        "{text}"
    );
    assert!(text.contains("ceil(300 rps × 0.02 s) = 6"), "{text}");
    Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["doctor"])
        .run()
        .code(1)
        .stdout_has("pool budget:")
        .stdout_has("FAILED");
}

#[test]
fn formats_github_and_prometheus() {
    let db = TestDb::new("doc_formats");
    let r = Neonops::new()
        .db(&db)
        .args(["doctor", "--format", "prometheus"])
        .run();
    r.code(0);
    for line in r.stdout.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("bad line {line}"));
        assert!(name.starts_with("neonops_"), "{line}");
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("bad value in {line}"));
    }
    assert!(
        r.stdout
            .contains("neonops_max_connections{environment=\"\"} 104"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("neonops_endpoint_up{environment=\"\",endpoint=\"direct\"} 1")
    );
    assert!(r.stdout.contains(
        "neonops_connect_stage_seconds{environment=\"\",endpoint=\"pooled\",stage=\"tls\"}"
    ));
    let r = Neonops::new()
        .db(&db)
        .env("GITHUB_ACTIONS", "true")
        .args(["doctor"])
        .run();
    r.code(0)
        .stdout_has("::warning title=neonops doctor%3A channel binding")
        .stdout_has("neonops doctor: ");
}

#[test]
fn all_environments_are_checked_concurrently() {
    let db = TestDb::new("doc_envs");
    let closed = free_port();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        format!(
            "[migrations]\ndir = \"none\"\n\n[environments.good]\ndatabase_url = \"{}\"\n\n[environments.bad]\ndatabase_url = \"postgresql://u@127.0.0.1:{closed}/db?sslmode=require\"\n",
            db.pooled_url()
        ),
    )
    .unwrap();
    let r = Neonops::new()
        .sandbox()
        .cwd(dir.path())
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json", "doctor", "--all-envs"])
        .run();
    r.code(3);
    let v: serde_json::Value = r.json();
    assert_eq!(v["ok"], false);
    let envs: Vec<&str> = v["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["environment"].as_str().unwrap())
        .collect();
    assert_eq!(envs, ["bad", "good"]);
    assert_eq!(v["environments"][1]["ok"], true);
}

#[test]
fn a_role_that_cannot_see_other_sessions_is_told_so() {
    let db = TestDb::new("doc_visibility");
    db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'doc_limited') THEN CREATE ROLE doc_limited LOGIN PASSWORD 'limited-pw'; END IF; END $$");
    let s = sandbox();
    block_on(async {
        // Another role's session, which doc_limited cannot look into.
        let _other = s.connect(&db.direct_url()).await.unwrap();
        let url = format!(
            "postgresql://doc_limited:limited-pw@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
            s.direct_host,
            s.port,
            db.name,
            s.ca_file.display()
        );
        let r = Neonops::new()
            .sandbox()
            .env("DATABASE_URL_DIRECT", &url)
            .args(["--json", "doctor"])
            .run();
        let rep: Report = r.json();
        let f = rep.finding("visibility");
        assert_eq!(f.status, "warn");
        assert!(f.detail.contains("partial"), "{}", f.detail);
        assert!(f.fix.as_deref().unwrap().contains("pg_read_all_stats"));
    });
}

/// A sandbox of its own, small enough to fill: PgBouncer with max_client_conn
/// 3, one server connection per pool and a 1 s query_wait_timeout.
#[test]
fn limits_reserved_slots_and_pooler_limits_on_real_servers() {
    let dir = tempfile::Builder::new()
        .prefix("neonops-limits")
        .tempdir_in("/tmp")
        .unwrap();
    let sdir = dir.path().join("sb");
    let _down = crate::harness::SandboxDown(sdir.clone());
    Neonops::new()
        .args([
            "sandbox",
            "up",
            "--max-client-conn",
            "3",
            "--query-wait-timeout",
            "1",
            "--pool-size",
            "1",
            "--dir",
        ])
        .args([&sdir])
        .run()
        .code(0);
    let state = neonops::sandbox::load_state(&sdir).unwrap().unwrap();
    let run_doctor = || {
        let r = Neonops::new()
            .env("NEONOPS_RESOLVE", state.resolve())
            .env("PGPASSFILE", &state.passfile)
            .env("DATABASE_URL", state.pooled_url())
            .env("NEONOPS_CONNECT_BUDGET", "0s")
            .args(["--json", "doctor"])
            .run();
        let rep: Report = r.json();
        (r, rep)
    };
    block_on(async {
        // query_wait_timeout: the one server connection is held in a transaction.
        let holder = state.connect(&state.pooled_url()).await.unwrap();
        holder.batch_execute("BEGIN; SELECT 1;").await.unwrap();
        let (r, rep) = run_doctor();
        r.code(3);
        assert_eq!(rep.cause("pooled"), "pooler_query_wait_timeout");
        assert!(rep.probe("direct").error.is_none());
        holder.batch_execute("COMMIT").await.unwrap();

        // max_client_conn: three clients already.
        let mut clients = vec![holder];
        for _ in 0..2 {
            clients.push(state.connect(&state.pooled_url()).await.unwrap());
        }
        let (r, rep) = run_doctor();
        r.code(3);
        assert_eq!(rep.cause("pooled"), "pooler_max_client_conn");
        clients.clear();

        // Reserved slots: fill what an ordinary role may use.
        let mut direct = Vec::new();
        let refusal = loop {
            match state.connect(&state.direct_url()).await {
                Ok(c) => direct.push(c),
                Err(e) => break format!("{e:#}"),
            }
            assert!(direct.len() < 200, "never refused");
        };
        assert!(
            refusal.contains("remaining connection slots are reserved"),
            "{refusal}"
        );
        let (r, rep) = run_doctor();
        r.code(3);
        assert_eq!(rep.cause("direct"), "reserved_slots_only");
        // Then every slot, as the superuser.
        let mut admin = Vec::new();
        let refusal = loop {
            match state.connect_admin("postgres").await {
                Ok(c) => admin.push(c),
                Err(e) => break format!("{e:#}"),
            }
            assert!(admin.len() < 20, "never refused");
        };
        assert!(
            refusal.contains("sorry, too many clients already"),
            "{refusal}"
        );
        let (r, rep) = run_doctor();
        r.code(3);
        assert_eq!(rep.cause("direct"), "max_connections_reached");
        drop(admin);
        drop(direct);
    });
    Neonops::new()
        .args(["sandbox", "down", "--dir"])
        .args([&sdir])
        .run()
        .code(0);
}

#[test]
fn check_gates_on_pending_migrations_and_latency_and_waits() {
    let db = TestDb::new("chk_gate");
    let m = Migrations::new(&[("V1__a.sql", "CREATE TABLE a (id int);")]);
    let r = Neonops::new()
        .db(&db)
        .args(["--json", "check", "--require-no-pending", "--dir", &m.arg()])
        .run();
    r.code(1);
    let rep: CheckReport = r.json();
    assert_eq!(rep.pending, Some(1));
    assert!(rep.problems[0].contains("pending"));
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    Neonops::new()
        .db(&db)
        .args(["check", "--require-no-pending", "--dir", &m.arg()])
        .run()
        .code(0)
        .stdout_has("ok: pooled");

    // Latency: a proxy that adds 100 ms per round trip.
    let s = sandbox();
    let stats = tempfile::NamedTempFile::new().unwrap();
    let proxy = LatencyProxy::start(100, stats.path());
    let port = proxy.port;
    let url = format!(
        "postgresql://{}@{}:{port}/{}?sslmode=verify-full&sslrootcert={}",
        s.role,
        s.direct_host,
        db.name,
        s.ca_file.display()
    );
    let pin = format!("{}:{port}:127.0.0.1", s.direct_host);
    let r = Neonops::new()
        .sandbox()
        .args([
            "--json",
            "--resolve",
            &pin,
            "check",
            "--only",
            "direct",
            "--max-latency",
            "50ms",
            "--direct-url",
            &url,
        ])
        .run();
    r.code(1);
    let rep: CheckReport = r.json();
    assert!(
        rep.problems[0].contains("over --max-latency 50 ms"),
        "{:?}",
        rep.problems
    );
    drop(proxy);

    // --wait: the endpoint comes up after a while.
    let late = free_port();
    let up = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        LatencyProxy::start_on(late, 0, std::path::Path::new("/dev/null"))
    });
    let url = url.replace(&format!(":{port}/"), &format!(":{late}/"));
    let pin = format!("{}:{late}:127.0.0.1", s.direct_host);
    let r = Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args([
            "--json",
            "--resolve",
            &pin,
            "check",
            "--only",
            "direct",
            "--wait",
            "30s",
            "--direct-url",
            &url,
        ])
        .run();
    let late_proxy = up.join().unwrap();
    r.code(0);
    let rep: CheckReport = r.json();
    assert!(rep.rounds >= 2, "{}", rep.rounds);
    drop(late_proxy);
}

/// Sessions idle in a transaction, long queries, blocked sessions, invalid
/// indexes, and the role's and database's own connection limits: each made
/// real on the sandbox, then seen by doctor.
#[test]
fn sessions_indexes_and_connection_limits_are_seen() {
    let db = TestDb::new("doc_sessions");
    db.exec("CREATE TABLE t (id int); CREATE TABLE u (x int); INSERT INTO u VALUES (1), (1)");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[migrations]\ndir = \"none\"\n\n[doctor]\nidle_in_transaction = \"1s\"\nlong_running = \"1s\"\n",
    )
    .unwrap();
    let s = sandbox();
    block_on(async {
        let idle = s.connect(&db.direct_url()).await.unwrap();
        idle.batch_execute("BEGIN; SELECT 1;").await.unwrap();
        let locker = s.connect(&db.direct_url()).await.unwrap();
        locker
            .batch_execute("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE;")
            .await
            .unwrap();
        let waiter = s.connect(&db.direct_url()).await.unwrap();
        let blocked = tokio::spawn(async move {
            waiter
                .simple_query("SELECT count(*) FROM t")
                .await
                .map(|_| ())
        });
        let sleeper = s.connect(&db.direct_url()).await.unwrap();
        let slow =
            tokio::spawn(
                async move { sleeper.simple_query("SELECT pg_sleep(4)").await.map(|_| ()) },
            );
        let cic = s.connect(&db.direct_url()).await.unwrap();
        assert!(
            cic.simple_query("CREATE UNIQUE INDEX CONCURRENTLY u_key ON u (x)")
                .await
                .is_err()
        );
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let r = Neonops::new()
            .db(&db)
            .cwd(dir.path())
            .args(["--json", "doctor"])
            .run();
        let rep: Report = r.json();
        let detail = |what: &str| {
            rep.findings
                .iter()
                .find(|f| f.check == "sessions" && f.detail.contains(what))
                .unwrap_or_else(|| panic!("no {what} in {:#?}", rep.findings))
        };
        for what in [
            "idle in transaction for over 1s",
            "active for over 1s",
            "waiting on locks",
        ] {
            let f = detail(what);
            assert_eq!(f.status, "warn", "{f:?}");
            assert!(!f.detail.starts_with('0'), "{f:?}");
        }
        let ix = rep.finding("indexes");
        assert_eq!(ix.status, "warn");
        assert!(ix.detail.contains("u_key"), "{}", ix.detail);
        locker.batch_execute("COMMIT").await.unwrap();
        blocked.await.unwrap().unwrap();
        slow.await.unwrap().unwrap();
        drop(idle);
    });

    // The database's own CONNECTION LIMIT.
    let limited = TestDb::new("doc_dblimit");
    limited.exec("ALTER DATABASE t_doc_dblimit CONNECTION LIMIT 1");
    // The role's own CONNECTION LIMIT.
    db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'doc_one') THEN CREATE ROLE doc_one LOGIN PASSWORD 'one-pw' CONNECTION LIMIT 1; END IF; END $$");
    let role_url = format!(
        "postgresql://doc_one:one-pw@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
        s.direct_host,
        s.port,
        db.name,
        s.ca_file.display()
    );
    block_on(async {
        let _held = s.connect(&limited.direct_url()).await.unwrap();
        let r = Neonops::new()
            .sandbox()
            .env("NEONOPS_CONNECT_BUDGET", "0s")
            .env("DATABASE_URL_DIRECT", limited.direct_url())
            .args(["--json", "doctor"])
            .run();
        r.code(3);
        assert_eq!(
            r.json::<Report>().cause("direct"),
            "database_connection_limit"
        );

        let _held_role = s.connect(&role_url).await.unwrap();
        let r = Neonops::new()
            .sandbox()
            .env("NEONOPS_CONNECT_BUDGET", "0s")
            .env("DATABASE_URL_DIRECT", &role_url)
            .args(["--json", "doctor"])
            .run();
        r.code(3);
        assert_eq!(r.json::<Report>().cause("direct"), "role_connection_limit");
    });
}

#[test]
fn doctor_has_a_schema_drift_row_when_a_scratch_database_is_at_hand() {
    let db = TestDb::new("doctor_drift");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    std::fs::write(
        dir.path().join("migrations/V1__t.sql"),
        "CREATE TABLE t (id int PRIMARY KEY);\n",
    )
    .unwrap();
    Neonops::new()
        .db(&db)
        .cwd(dir.path())
        .args(["migrate"])
        .run()
        .code(0);
    let doctor = |sandbox_dir: &std::path::Path| {
        Neonops::new()
            .db(&db)
            .cwd(dir.path())
            .env("NEONOPS_SANDBOX_DIR", sandbox_dir)
            .args(["--json", "doctor"])
            .run()
            .json::<Report>()
    };
    let s = sandbox();
    let rep = doctor(&s.dir);
    let f = rep.finding("schema drift");
    assert_eq!(f.status, "pass", "{f:?}");
    assert!(
        f.detail
            .starts_with("none: the schema is what the 1 applied migration(s) build"),
        "{f:?}"
    );
    db.exec("CREATE INDEX t_extra ON t (id)");
    let rep = doctor(&s.dir);
    let f = rep.finding("schema drift");
    assert_eq!(f.status, "warn", "{f:?}");
    assert!(f.detail.contains("index public.t_extra"), "{f:?}");
    assert!(
        f.fix
            .as_deref()
            .unwrap_or_default()
            .contains("neonops drift"),
        "{f:?}"
    );
    // No scratch database at hand: no row.
    let nowhere = tempfile::tempdir().unwrap();
    let rep = doctor(nowhere.path());
    assert!(
        !rep.findings.iter().any(|f| f.check == "schema drift"),
        "{:#?}",
        rep.findings
    );
}

/// The pooled and direct URLs side by side: another endpoint, another role
/// and another database than the pooled one are each a failed finding, and
/// a -pooler host as the direct URL is one too.
#[test]
fn a_pooled_and_a_direct_url_that_disagree_are_named() {
    let s = sandbox();
    let pooled = s.url_with(&s.pooled_host, &s.role, &s.database);
    let other = "ep-sandbox-otherend.sandbox.aws.neon.tech";
    let resolve = format!("{} {other}:{}:127.0.0.3", s.resolve(), s.port);
    let findings = |direct: &str, want: i32| -> Vec<serde_json::Value> {
        let r = Neonops::new()
            .sandbox()
            .env("NEONOPS_RESOLVE", &resolve)
            .env("NEONOPS_CONNECT_BUDGET", "0s")
            .env("DATABASE_URL", &pooled)
            .env("DATABASE_URL_DIRECT", direct)
            .args(["--json", "doctor"])
            .run();
        assert_eq!(r.code, want, "{}\n{}", r.stdout, r.stderr);
        let v: serde_json::Value = r.json();
        v["findings"].as_array().expect("findings").clone()
    };
    let has = |f: &[serde_json::Value], check: &str, says: &str| {
        f.iter().any(|x| {
            x["check"] == check
                && x["status"] == "fail"
                && x["detail"].as_str().unwrap_or("").contains(says)
        })
    };
    // Exit 3: the direct URL's role cannot log in (it does not exist).
    let f = findings(&s.url_with(other, "someone_else", "otherdb"), 3);
    let id = s.pooled_host.split("-pooler").next().unwrap();
    assert!(
        has(
            &f,
            "pooled url",
            &format!("the pooled URL is endpoint {id} but the direct URL is ep-sandbox-otherend")
        ),
        "{f:#?}"
    );
    assert!(has(&f, "pooled url", "user differs"), "{f:#?}");
    assert!(has(&f, "pooled url", "dbname differs"), "{f:#?}");
    let f = findings(&pooled, 1);
    assert!(
        has(
            &f,
            "direct url",
            "the direct URL is a pooled (-pooler) endpoint"
        ),
        "{f:#?}"
    );
}

/// A database that does not exist, through the sandbox's PgBouncer (whose
/// auth query runs on the database the client names): the pooler stalls
/// the first login and says only "server login has been failing" to the
/// next ones; check and doctor name the database from the direct
/// endpoint's answer, on the first run and on the runs after it.
#[test]
fn a_missing_database_behind_the_pooler_is_named_from_the_direct_endpoint() {
    let s = sandbox();
    let missing = format!("no_such_db_{}", std::process::id());
    let url = s.url_with(&s.pooled_host, &s.role, &missing);
    for run in 1..=2 {
        let r = Neonops::new()
            .sandbox()
            .env("DATABASE_URL", &url)
            .args(["--json", "--connect-timeout", "2", "check"])
            .run();
        r.code(3);
        let rep: CheckReport = r.json();
        for e in &rep.endpoints {
            let d = e.diagnosis.as_ref().expect("a diagnosis");
            assert_eq!(
                d.cause, "unknown_database",
                "run {run}, {}: {d:?}",
                e.endpoint
            );
            assert!(d.fix.contains("database name"), "{d:?}");
        }
        assert_eq!(rep.endpoints.len(), 2, "{rep:?}");
    }
    let (r, rep) = doctor(&url, &["--connect-timeout", "2"]);
    r.code(3);
    assert_eq!(rep.cause("pooled"), "unknown_database");
    assert_eq!(rep.cause("direct"), "unknown_database");
}
