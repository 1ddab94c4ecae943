//! Every error path neonops has (malformed URLs, bad configuration,
//! connection failures, bad migration files, a history that disagrees, usage
//! mistakes), in text and in JSON: no message says the same thing twice.

use std::net::TcpListener;

use crate::harness::{Migrations, Neonops, Run, TestDb, free_port, other_ca, sandbox};

/// The clauses of a message: split at `: `, `; `, `. ` and parentheses.
fn clauses(text: &str) -> Vec<String> {
    text.split([';', '(', ')'])
        .flat_map(|p| p.split(": "))
        .flat_map(|p| p.split(". "))
        .map(|c| {
            c.trim()
                .trim_end_matches(['.', ',', ':'])
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| c.split(' ').count() >= 4)
        .collect()
}

/// A clause of four words or more that occurs twice in one message.
fn repeated(message: &str) -> Option<String> {
    let c = clauses(message);
    for (i, a) in c.iter().enumerate() {
        if c[i + 1..].contains(a) {
            return Some(a.clone());
        }
    }
    None
}

/// Every string in a JSON document.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Each line of stderr and of stdout, and each JSON string, said once.
#[track_caller]
fn said_once(r: &Run, what: &str) {
    assert_ne!(r.code, 0, "{what}: expected an error");
    let mut messages: Vec<String> = r.stderr.lines().map(str::to_string).collect();
    match serde_json::from_str::<serde_json::Value>(&r.stdout) {
        Ok(v) => strings(&v, &mut messages),
        Err(_) => messages.extend(r.stdout.lines().map(str::to_string)),
    }
    for m in &messages {
        if let Some(c) = repeated(m) {
            panic!("{what}: \"{c}\" is said twice in:\n{m}");
        }
    }
}

#[test]
fn the_detector_finds_a_repeat() {
    assert_eq!(
        repeated(
            "the URL from --database-url: invalid port \"99999\" in the host list: invalid port \"99999\" in the host list"
        ),
        Some("invalid port \"99999\" in the host list".into())
    );
    assert_eq!(repeated("a b c d: e f g h (a b c)"), None);
}

#[test]
fn no_error_message_says_anything_twice() {
    let s = sandbox();
    let mut runs: Vec<(String, Run)> = Vec::new();
    let mut both = |what: String, n: fn() -> Neonops, args: Vec<String>| {
        runs.push((what.clone(), n().args(&args).run()));
        runs.push((
            format!("{what} --json"),
            n().args(["--json"]).args(&args).run(),
        ));
    };

    // Malformed connection strings, to a command that reads them and to url explain.
    for (url, _) in crate::url::MALFORMED {
        both(
            format!("url explain {url:?}"),
            Neonops::new,
            vec!["url".into(), "explain".into(), url.to_string()],
        );
        both(
            format!("check --database-url {url:?}"),
            Neonops::new,
            vec!["check".into(), "--database-url".into(), url.to_string()],
        );
    }

    // Bad configuration files.
    let dir = tempfile::tempdir().unwrap();
    for (i, toml) in [
        "[migrations]\ndir = \"m\"\ntabel = \"x\"\n",
        "[timeouts]\nconnect = 10\n",
        "[timeouts]\nconnect = \"soon\"\n",
        "default_env = \"prod\"\n",
        "[environments.prod]\ndatabase_url = \"postgres://h/d\"\ndatabase_url_var = \"X\"\n",
        "[environments.prod]\ndatabase_url = \"postgres://h/d?sslmod=x\"\n",
        "[[pooler]]\nname = \"p\"\nhost = \"h\"\nmode = \"sometimes\"\n",
        "[[pool]]\nname = \"web\"\nendpoint = \"pooled\"\nkind = \"serverless\"\n",
        "[migrations]\ntable = \"a.b.c\"\n",
        "this is not toml",
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, toml).unwrap();
        let p = path.display().to_string();
        both(
            format!("config {toml:?}"),
            Neonops::new,
            vec![
                "--config".into(),
                p,
                "url".into(),
                "explain".into(),
                "postgres://h/d".into(),
            ],
        );
    }
    both(
        "a directory as the config file".into(),
        Neonops::new,
        vec![
            "--config".into(),
            dir.path().display().to_string(),
            "check".into(),
        ],
    );

    // Connection failures, to a diagnosis and to work.
    let closed = free_port();
    let (_ca_dir, ca) = other_ca();
    let empty = tempfile::tempdir().unwrap();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in silent.incoming().flatten() {
            held.push(c);
        }
    });
    let failing = [
        format!("postgresql://u:pw@127.0.0.1:{closed}/db?sslmode=require"),
        "postgresql://u:pw@nowhere.invalid/db".to_string(),
        format!("host={} port=5432 user=u dbname=d", empty.path().display()),
        format!("postgresql://u:pw@127.0.0.1:{silent_port}/db?sslmode=require&connect_timeout=2"),
        format!(
            "postgresql://{}:wrong@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
            s.role,
            s.direct_host,
            s.port,
            s.database,
            s.ca_file.display()
        ),
        s.url_with(&s.direct_host, &s.role, "no_such_db"),
        format!(
            "postgresql://{}@{}:{}/{}?sslmode=verify-full&sslrootcert={ca}",
            s.role, s.direct_host, s.port, s.database
        ),
        s.url_with(&s.direct_host, &s.role, &s.database)
            .replace("sslmode=verify-full", "sslmode=disable"),
    ];
    for url in &failing {
        for cmd in [
            vec!["check".to_string()],
            vec!["doctor".into()],
            vec![
                "status".into(),
                "--dir".into(),
                empty.path().display().to_string(),
            ],
        ] {
            let what = format!("{cmd:?} {url}");
            let r = Neonops::new()
                .sandbox()
                .env("NEONOPS_CONNECT_BUDGET", "1s")
                .args(["--direct-url", url])
                .args(&cmd)
                .run();
            runs.push((what.clone(), r));
            let r = Neonops::new()
                .sandbox()
                .env("NEONOPS_CONNECT_BUDGET", "1s")
                .args(["--json", "--direct-url", url])
                .args(&cmd)
                .run();
            runs.push((format!("{what} --json"), r));
        }
    }

    // No password anywhere; a role PgBouncer does not know; a fleet that
    // cannot list the server's databases.
    for (what, pgpassfile, url, cmd) in [
        (
            "no password",
            None,
            s.direct_url(),
            vec!["check", "--only", "direct"],
        ),
        (
            "no password, to work",
            None,
            s.direct_url(),
            vec!["status", "--dir", "nosuchdir"],
        ),
        (
            "a role the pooler does not know",
            Some(s.passfile.clone()),
            s.url_with(&s.pooled_host, "nobody_here", &s.database),
            vec!["check", "--only", "pooled"],
        ),
        (
            "a fleet without a password",
            None,
            s.pooled_url(),
            vec!["fleet", "status", "--match", "t_*", "--dir", "nosuchdir"],
        ),
    ] {
        for json in [false, true] {
            let mut n = Neonops::new().env("NEONOPS_RESOLVE", s.resolve());
            if let Some(p) = &pgpassfile {
                n = n.env("PGPASSFILE", p);
            }
            if json {
                n = n.args(["--json"]);
            }
            let r = n
                .args(["--database-url", &url, "--direct-url", &url])
                .args(&cmd)
                .run();
            runs.push((format!("{what} {cmd:?} json={json}"), r));
        }
    }
    for cmd in ["lint", "migrate", "status", "validate"] {
        for json in [&[][..], &["--json"]] {
            let offline: &[&str] = if cmd == "lint" { &["--offline"] } else { &[] };
            let r = Neonops::new()
                .args(json)
                .args([cmd, "--dir", "nosuchdir"])
                .args(offline)
                .run();
            runs.push((format!("{cmd} --dir nosuchdir {json:?}"), r));
        }
    }

    // Bad migration files, and a history that disagrees with them.
    let bad = Migrations::new(&[
        ("V1__ok.sql", "CREATE TABLE a (id int);"),
        ("V2__add-users.sql", "SELECT 1;"),
        ("v3__x.sql", "SELECT 1;"),
        ("V4__x.SQL", "SELECT 1;"),
        ("V5__a.sql", "SELECT 1;"),
        ("V5__b.sql", "SELECT 1;"),
        ("V6__tx.sql", "BEGIN; SELECT 1; COMMIT;"),
    ]);
    std::fs::write(bad.path().join("V7__latin1.sql"), [0xff, 0xfe, b';']).unwrap();
    let db = TestDb::new("messages");
    for cmd in ["migrate", "status", "validate"] {
        let what = format!("{cmd} with bad files");
        runs.push((
            what.clone(),
            Neonops::new()
                .db(&db)
                .args([cmd, "--dir", &bad.arg()])
                .run(),
        ));
        runs.push((
            format!("{what} --json"),
            Neonops::new()
                .db(&db)
                .args(["--json", cmd, "--dir", &bad.arg()])
                .run(),
        ));
    }
    let m = Migrations::new(&[("V1__a.sql", "CREATE TABLE a (id int);")]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    m.write("V1__a.sql", "CREATE TABLE a (id bigint);");
    for cmd in ["migrate", "validate"] {
        runs.push((
            format!("{cmd} with a divergent file"),
            Neonops::new().db(&db).args([cmd, "--dir", &m.arg()]).run(),
        ));
        runs.push((
            format!("{cmd} with a divergent file --json"),
            Neonops::new()
                .db(&db)
                .args(["--json", cmd, "--dir", &m.arg()])
                .run(),
        ));
    }
    // A migration that fails.
    let failing_sql = Migrations::new(&[("V1__boom.sql", "CREATE TABLE t (id int); SELECT 1/0;")]);
    let db2 = TestDb::new("messages_fail");
    runs.push((
        "a failing migration".into(),
        Neonops::new()
            .db(&db2)
            .args(["migrate", "--dir", &failing_sql.arg()])
            .run(),
    ));

    // Usage mistakes.
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(
        cfg.path().join("neonops.toml"),
        "[environments.prod]\ndatabase_url_var = \"PROD_URL\"\nprotected = true\n",
    )
    .unwrap();
    for args in [
        vec!["--env", "staging", "check"],
        vec!["--env", "prod", "check"],
        vec![
            "check",
            "--only",
            "direct",
            "--database-url",
            "postgres://u@db.example.com/d",
        ],
        vec!["url", "direct", "postgres://u:p@db.example.com/app"],
        vec![
            "migrate",
            "--database-url",
            "postgres://u@db.example.com/d?sslmode=disable",
            "--direct-url",
            "postgres://u@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/d",
        ],
        vec!["check"],
        vec!["doctor", "--all-envs", "--env", "prod"],
    ] {
        let what = format!("{args:?}");
        runs.push((
            what.clone(),
            Neonops::new().cwd(cfg.path()).args(&args).run(),
        ));
        runs.push((
            format!("{what} --json"),
            Neonops::new()
                .cwd(cfg.path())
                .args(["--json"])
                .args(&args)
                .run(),
        ));
    }

    assert!(runs.len() > 150, "{} runs", runs.len());
    for (what, r) in &runs {
        said_once(r, what);
    }
}
