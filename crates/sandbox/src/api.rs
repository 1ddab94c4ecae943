//! A stand-in for Neon's control plane, served by the sandbox on loopback
//! (`sandbox up` starts it; `sandbox env` exports `NEON_API_HOST` and
//! `NEON_API_KEY`): the branch calls a rehearsal makes, with Neon's request
//! and response fields, asynchronous operations that pass through their
//! statuses, Neon's error shape, 423 while an operation runs, and a branch
//! limit. It is the test double for a service this machine cannot reach.
//!
//! One project, whose default branch `main` is the sandbox itself (its
//! endpoint, every database on it). A branch is a real copy of a database
//! with its data (`CREATE DATABASE … TEMPLATE`, or pg_dump and pg_restore
//! while the database is in use), reached through an endpoint of its own
//! (`ep-…[-pooler].sandbox.aws.neon.tech`, in /etc/hosts like the sandbox's
//! names, covered by the sandbox's wildcard certificate). Where it differs
//! from Neon, on purpose: a branch's database is copied when its connection
//! URI is first asked for (not at creation), under a name of its own
//! (`<database>__<branch id>`) on the sandbox's server; its URI carries the
//! sandbox's CA (`sslmode=verify-full&sslrootcert=…`).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{DIRECT_ADDR, POOLED_ADDR, State, hosts, load_state};

/// Branches a project may have, main included (Neon's Free plan).
pub const DEFAULT_BRANCH_LIMIT: usize = 10;
/// How long an operation is scheduled, then running.
const SCHEDULING: Duration = Duration::from_millis(150);
const RUNNING: Duration = Duration::from_millis(400);

/// The stand-in's log: its requests, and what it wrote to stderr.
pub const LOG_FILE: &str = "api.log";

pub fn key_file(dir: &Path) -> PathBuf {
    dir.join("api.key")
}

struct Branch {
    id: String,
    name: String,
    parent_id: Option<String>,
    default: bool,
    created_at: String,
    expires_at: Option<(String, SystemTime)>,
    endpoint_id: String,
    /// Databases copied for it: the original's name → the copy's.
    copies: BTreeMap<String, String>,
    /// Its endpoint's autoscaling limits (CU).
    compute: (f64, f64),
}

struct Operation {
    id: String,
    action: &'static str,
    branch_id: String,
    endpoint_id: Option<String>,
    started: Instant,
}

impl Operation {
    fn status(&self) -> &'static str {
        let age = self.started.elapsed();
        if age < SCHEDULING {
            "scheduling"
        } else if age < SCHEDULING + RUNNING {
            "running"
        } else {
            "finished"
        }
    }

    fn json(&self, project: &str) -> Value {
        json!({
            "id": self.id, "project_id": project, "branch_id": self.branch_id,
            "endpoint_id": self.endpoint_id, "action": self.action, "status": self.status(),
            "failures_count": 0, "created_at": rfc3339(SystemTime::now()),
        })
    }
}

struct Control {
    state: State,
    project: String,
    branches: Vec<Branch>,
    operations: Vec<Operation>,
    limit: usize,
    password: String,
}

/// An answer: its status and body.
type Answer = (u16, Value);

fn error(status: u16, code: &str, message: impl Into<String>) -> Answer {
    (
        status,
        json!({ "request_id": token(16), "code": code, "message": message.into() }),
    )
}

/// Ids and request ids: names, not secrets (the stand-in's API key and the
/// role's password come from `random`, the system's cryptographic generator).
fn token(n: usize) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| A[fastrand::usize(..A.len())] as char)
        .collect()
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

fn id(prefix: &str) -> String {
    const WORDS: &[&str] = &[
        "calm", "snow", "dawn", "leaf", "mist", "rain", "wind", "moss", "dusk", "tide",
    ];
    format!(
        "{prefix}-{}-{}-{}",
        WORDS[fastrand::usize(..WORDS.len())],
        WORDS[fastrand::usize(..WORDS.len())],
        token(8)
    )
}

impl Control {
    fn host(&self, endpoint: &str, pooled: bool) -> String {
        format!(
            "{endpoint}{}.{}",
            if pooled { "-pooler" } else { "" },
            super::DOMAIN
        )
    }

    fn branch_json(&self, b: &Branch) -> Value {
        json!({
            "id": b.id, "project_id": self.project, "parent_id": b.parent_id, "name": b.name,
            "default": b.default, "primary": b.default, "protected": false,
            "current_state": "ready", "created_at": b.created_at, "updated_at": b.created_at,
            "expires_at": b.expires_at.as_ref().map(|(s, _)| s.clone()),
        })
    }

    fn endpoint_json(&self, b: &Branch) -> Value {
        json!({
            "id": b.endpoint_id, "project_id": self.project, "branch_id": b.id,
            "host": self.host(&b.endpoint_id, false), "type": "read_write",
            "current_state": "active", "region_id": "aws-sandbox",
            "autoscaling_limit_min_cu": b.compute.0,
            "autoscaling_limit_max_cu": b.compute.1,
        })
    }

    /// A mutating call waits for no operation: 423 while one runs.
    fn busy(&self) -> Option<Answer> {
        self.operations
            .iter()
            .any(|o| o.status() != "finished")
            .then(|| {
                error(
                    423,
                    "",
                    "project already has running operations, scheduling of new ones is prohibited",
                )
            })
    }

    fn operation(&mut self, action: &'static str, branch: &str, endpoint: Option<&str>) -> Value {
        let op = Operation {
            id: uuid(),
            action,
            branch_id: branch.to_string(),
            endpoint_id: endpoint.map(str::to_string),
            started: Instant::now(),
        };
        let v = op.json(&self.project);
        self.operations.push(op);
        v
    }
}

fn uuid() -> String {
    format!(
        "{}-{}-{}-{}-{}",
        token(8),
        token(4),
        token(4),
        token(4),
        token(12)
    )
}

/// Serve the stand-in on `127.0.0.1:port` until killed.
pub fn serve(dir: &Path, port: u16, limit: usize) -> Result<()> {
    let state = load_state(dir)?.context("no sandbox state: start it with `neonops sandbox up`")?;
    let key = std::fs::read_to_string(key_file(dir)).context("reading the stand-in's key")?;
    let password = role_password(&state)?;
    let suffix = state
        .endpoint_id
        .trim_start_matches("ep-sandbox-")
        .to_string();
    let main = Branch {
        id: format!("br-main-{suffix}"),
        name: "main".into(),
        parent_id: None,
        default: true,
        created_at: rfc3339(SystemTime::now()),
        expires_at: None,
        endpoint_id: state.endpoint_id.clone(),
        copies: BTreeMap::new(),
        compute: (state.compute_size, state.compute_size),
    };
    let control = Arc::new(Mutex::new(Control {
        project: format!("sandbox-{suffix}"),
        state,
        branches: vec![main],
        operations: Vec::new(),
        limit,
        password,
    }));
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
        anyhow::anyhow!("serving the control-plane stand-in on 127.0.0.1:{port}: {e}")
    })?;
    // api.log: one line a request (no key, no password: neither is in a URL).
    let log = Arc::new(
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(dir.join(LOG_FILE))
            .context("opening the stand-in's api.log")?,
    );
    for mut request in server.incoming_requests() {
        let control = control.clone();
        let key = key.trim().to_string();
        let log = log.clone();
        std::thread::spawn(move || {
            let mut body = String::new();
            let _ = std::io::Read::read_to_string(request.as_reader(), &mut body);
            let authorized = request.headers().iter().any(|h| {
                h.field.equiv("Authorization") && h.value.as_str() == format!("Bearer {key}")
            });
            let (status, value) = if authorized {
                route(&control, request.method(), request.url(), &body)
            } else {
                error(401, "", "authentication required")
            };
            // One write a line: appended whole, whatever the other threads write.
            let line = format!(
                "{} {} {} {status}\n",
                rfc3339(SystemTime::now()),
                request.method(),
                request.url()
            );
            let _ = (&*log).write_all(line.as_bytes());
            let response = tiny_http::Response::from_string(value.to_string())
                .with_status_code(status)
                .with_header(
                    "Content-Type: application/json"
                        .parse::<tiny_http::Header>()
                        .expect("a valid header"),
                );
            let _ = request.respond(response);
        });
    }
    Ok(())
}

/// Run database work on a runtime of this request's own thread.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

fn role_password(state: &State) -> Result<String> {
    let text = std::fs::read_to_string(&state.passfile)?;
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(5, ':').collect();
            (f.len() == 5 && f[3] == state.role).then(|| f[4].to_string())
        })
        .next()
        .context("the role's password in the sandbox's password file")
}

fn route(control: &Mutex<Control>, method: &tiny_http::Method, url: &str, body: &str) -> Answer {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = path.strip_prefix("/api/v2").unwrap_or(path);
    let q: BTreeMap<String, String> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            (
                k.to_string(),
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        })
        .collect();
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    expire(control);
    let mut c = control.lock().unwrap_or_else(|p| p.into_inner());
    let project = c.project.clone();
    use tiny_http::Method::*;
    match (method, parts.as_slice()) {
        (Get, ["projects"]) => (
            200,
            json!({ "projects": [{ "id": project, "name": "sandbox" }] }),
        ),
        (_, ["projects", p, ..]) if *p != project => {
            error(404, "", format!("project {p} not found"))
        }
        (Get, ["projects", _, "endpoints"]) => {
            let eps: Vec<Value> = c.branches.iter().map(|b| c.endpoint_json(b)).collect();
            (200, json!({ "endpoints": eps }))
        }
        (Get, ["projects", _, "branches"]) => {
            let bs: Vec<Value> = c.branches.iter().map(|b| c.branch_json(b)).collect();
            (
                200,
                json!({ "branches": bs, "annotations": {}, "pagination": {} }),
            )
        }
        (Post, ["projects", _, "branches"]) => create(&mut c, body),
        (Get, ["projects", _, "operations", id]) => match c.operations.iter().find(|o| o.id == *id)
        {
            Some(o) => (200, json!({ "operation": o.json(&project) })),
            None => error(404, "", format!("operation {id} not found")),
        },
        (Get, ["projects", _, "connection_uri"]) => {
            drop(c);
            connection_uri(control, &q)
        }
        (
            Get,
            [
                "projects",
                _,
                "branches",
                b,
                "roles",
                role,
                "reveal_password",
            ],
        ) => {
            if !c.branches.iter().any(|x| x.id == *b) {
                return error(404, "", format!("branch {b} not found"));
            }
            if *role != c.state.role {
                return error(404, "", format!("role {role} not found"));
            }
            (200, json!({ "password": c.password }))
        }
        (Delete, ["projects", _, "branches", b]) => {
            let b = b.to_string();
            drop(c);
            delete(control, &b)
        }
        _ => error(404, "", format!("no such route: {method} {path}")),
    }
}

fn create(c: &mut Control, body: &str) -> Answer {
    if let Some(busy) = c.busy() {
        return busy;
    }
    let req: Value = match serde_json::from_str(if body.is_empty() { "{}" } else { body }) {
        Ok(v) => v,
        Err(e) => return error(400, "", format!("request body is not JSON: {e}")),
    };
    let b = &req["branch"];
    if c.branches.len() >= c.limit {
        return error(
            422,
            "BRANCHES_LIMIT_EXCEEDED",
            format!(
                "number of branches of the project exceeded the limit of {}",
                c.limit
            ),
        );
    }
    let parent = match b["parent_id"].as_str() {
        Some(p) => match c.branches.iter().find(|x| x.id == p) {
            Some(x) => x.id.clone(),
            None => return error(404, "", format!("branch {p} not found")),
        },
        None => c.branches[0].id.clone(),
    };
    let expires_at = match b["expires_at"].as_str() {
        None => None,
        Some(s) => match humantime::parse_rfc3339_weak(s) {
            Ok(t) if t <= SystemTime::now() => {
                return error(400, "", "expires_at must be in the future");
            }
            Ok(t) if t > SystemTime::now() + Duration::from_secs(30 * 24 * 3600) => {
                return error(400, "", "expires_at must be at most 30 days ahead");
            }
            Ok(t) => Some((s.to_string(), t)),
            Err(e) => return error(400, "", format!("expires_at {s:?}: {e}")),
        },
    };
    let wants_endpoint = req["endpoints"]
        .as_array()
        .is_some_and(|e| e.iter().any(|x| x["type"] == "read_write"));
    // Neon's bounds: 0.25 to 56 CU, min ≤ max; the project's default size otherwise.
    let asked = &req["endpoints"][0];
    let default_cu = c.state.compute_size;
    let compute = (
        asked["autoscaling_limit_min_cu"]
            .as_f64()
            .unwrap_or(default_cu),
        asked["autoscaling_limit_max_cu"]
            .as_f64()
            .unwrap_or(default_cu),
    );
    if !(0.25 <= compute.0 && compute.0 <= compute.1 && compute.1 <= 56.0) {
        return error(
            400,
            "",
            format!(
                "autoscaling limits {} to {} CU: each 0.25 to 56, min not above max",
                compute.0, compute.1
            ),
        );
    }
    let branch = Branch {
        id: id("br"),
        name: b["name"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| id("br")),
        parent_id: Some(parent),
        default: false,
        created_at: rfc3339(SystemTime::now()),
        expires_at,
        endpoint_id: id("ep"),
        copies: BTreeMap::new(),
        compute,
    };
    // The endpoint's names, as the sandbox's own are.
    if let Some(hosts_file) = &c.state.hosts_file {
        let lines = [
            (POOLED_ADDR, c.host(&branch.endpoint_id, true)),
            (DIRECT_ADDR, c.host(&branch.endpoint_id, false)),
        ];
        let _ = hosts::add(hosts_file, &c.state.dir, &lines);
    }
    let mut ops = vec![c.operation("create_branch", &branch.id, None)];
    if wants_endpoint {
        ops.push(c.operation("start_compute", &branch.id, Some(&branch.endpoint_id)));
    }
    let out = json!({
        "branch": c.branch_json(&branch),
        "endpoints": if wants_endpoint { vec![c.endpoint_json(&branch)] } else { vec![] },
        "operations": ops,
        "roles": [{ "branch_id": branch.id, "name": c.state.role, "protected": false }],
        "databases": [{ "branch_id": branch.id, "name": c.state.database, "owner_name": c.state.role }],
        "connection_uris": [],
    });
    c.branches.push(branch);
    (201, out)
}

/// The URI of a branch's database, copying the database when it is first
/// asked for (the one place the stand-in is slow: a copy of the data).
fn connection_uri(control: &Mutex<Control>, q: &BTreeMap<String, String>) -> Answer {
    let (state, branch, database, role, pooled, copy_from) = {
        let c = control.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = q
            .get("branch_id")
            .and_then(|id| c.branches.iter().find(|x| &x.id == id))
        else {
            return error(404, "", "branch not found");
        };
        if q.get("endpoint_id").is_some_and(|e| *e != b.endpoint_id) {
            return error(404, "", "endpoint not found on that branch");
        }
        let database = q
            .get("database_name")
            .cloned()
            .unwrap_or(c.state.database.clone());
        let role = q.get("role_name").cloned().unwrap_or(c.state.role.clone());
        if role != c.state.role {
            return error(404, "", format!("role {role} not found"));
        }
        let copy_from = (!b.default && !b.copies.contains_key(&database)).then(|| database.clone());
        (
            c.state.clone(),
            b.id.clone(),
            database,
            role,
            q.get("pooled").is_some_and(|p| p == "true"),
            copy_from,
        )
    };
    if let Some(source) = copy_from {
        let target = format!("{source}__{}", branch.replace('-', "_"));
        if let Err(e) = block_on(copy_database(&state, &source, &target)) {
            return error(500, "", format!("copying database {source}: {e:#}"));
        }
        let mut c = control.lock().unwrap_or_else(|p| p.into_inner());
        match c.branches.iter_mut().find(|x| x.id == branch) {
            Some(b) => {
                b.copies.insert(source, target);
            }
            None => {
                // Deleted while its data was being copied: the copy goes too.
                drop(c);
                let _ = block_on(drop_copies(&state, [&target]));
                return error(404, "", "branch not found (deleted)");
            }
        }
    }
    let c = control.lock().unwrap_or_else(|p| p.into_inner());
    let Some(b) = c.branches.iter().find(|x| x.id == branch) else {
        return error(404, "", "branch not found");
    };
    let dbname = b.copies.get(&database).cloned().unwrap_or(database);
    // Without /etc/hosts, the address rides along (libpq's hostaddr: the
    // name is still the one TLS checks).
    let address = match &state.hosts_file {
        Some(_) => String::new(),
        None => format!(
            "&hostaddr={}",
            if pooled { POOLED_ADDR } else { DIRECT_ADDR }
        ),
    };
    let uri = format!(
        "postgresql://{role}:{}@{}:{}/{dbname}?sslmode=verify-full&sslrootcert={}{address}",
        percent_encoding::utf8_percent_encode(&c.password, percent_encoding::NON_ALPHANUMERIC),
        c.host(&b.endpoint_id, pooled),
        state.port,
        state.ca_file.display()
    );
    (200, json!({ "uri": uri }))
}

/// A database with its data: `CREATE DATABASE … TEMPLATE` when nobody is
/// connected to it, else pg_dump and pg_restore.
async fn copy_database(state: &State, source: &str, target: &str) -> Result<()> {
    let r = copy_into(state, source, target).await;
    if r.is_err() {
        // Nothing half-copied stays.
        let _ = drop_copies(state, [&target.to_string()]).await;
    }
    r
}

async fn copy_into(state: &State, source: &str, target: &str) -> Result<()> {
    let admin = state.connect_admin("postgres").await?;
    let ident = neonops_core::connect::quote_ident;
    let direct = admin
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE {} OWNER {}",
            ident(target),
            ident(source),
            ident(&state.role)
        ))
        .await;
    if direct.is_ok() {
        return Ok(());
    }
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {} OWNER {}",
            ident(target),
            ident(&state.role)
        ))
        .await?;
    let bin = super::process::pg_bin();
    let conn = |db: &str| {
        format!(
            "host={DIRECT_ADDR} port={} user={} dbname={db} sslmode=verify-ca sslrootcert={}",
            state.port,
            state.admin_role,
            state.ca_file.display()
        )
    };
    let dump = state.dir.join(format!("{target}.dump"));
    let out = tokio::process::Command::new(bin.join("pg_dump"))
        .args(["-Fc", "-f"])
        .arg(&dump)
        .arg(conn(source))
        .env("PGPASSFILE", &state.passfile)
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tokio::process::Command::new(bin.join("pg_restore"))
        .args(["--no-owner", "--role", &state.role, "-d"])
        .arg(conn(target))
        .arg(&dump)
        .env("PGPASSFILE", &state.passfile)
        .output()
        .await?;
    let _ = std::fs::remove_file(&dump);
    anyhow::ensure!(
        out.status.success(),
        "pg_restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

fn delete(control: &Mutex<Control>, id: &str) -> Answer {
    let (state, branch) = {
        let mut c = control.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(busy) = c.busy() {
            return busy;
        }
        let Some(i) = c.branches.iter().position(|b| b.id == id) else {
            return error(404, "", format!("branch {id} not found"));
        };
        if c.branches[i].default {
            return error(400, "", "the default branch cannot be deleted");
        }
        (c.state.clone(), c.branches.remove(i))
    };
    if let Err(e) = block_on(drop_branch(&state, &branch)) {
        return error(500, "", format!("deleting branch {id}: {e:#}"));
    }
    let mut c = control.lock().unwrap_or_else(|p| p.into_inner());
    let ops = vec![
        c.operation("suspend_compute", &branch.id, Some(&branch.endpoint_id)),
        c.operation("delete_timeline", &branch.id, None),
    ];
    let b = c.branch_json(&branch);
    (200, json!({ "branch": b, "operations": ops }))
}

/// Drop a branch's copies of databases (its sessions too).
async fn drop_copies<'a>(
    state: &State,
    copies: impl IntoIterator<Item = &'a String>,
) -> Result<()> {
    let mut copies = copies.into_iter().peekable();
    if copies.peek().is_none() {
        return Ok(());
    }
    let admin = state.connect_admin("postgres").await?;
    for copy in copies {
        admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                neonops_core::connect::quote_ident(copy)
            ))
            .await?;
    }
    Ok(())
}

async fn drop_branch(state: &State, branch: &Branch) -> Result<()> {
    drop_copies(state, branch.copies.values()).await?;
    if let Some(hosts_file) = &state.hosts_file {
        let names = [
            format!("{}-pooler.{}", branch.endpoint_id, super::DOMAIN),
            format!("{}.{}", branch.endpoint_id, super::DOMAIN),
        ];
        let _ = hosts::remove_names(hosts_file, &names);
    }
    Ok(())
}

/// Branches past their expires_at are deleted, as Neon does.
fn expire(control: &Mutex<Control>) {
    let gone: Vec<(State, Branch)> = {
        let mut c = control.lock().unwrap_or_else(|p| p.into_inner());
        let now = SystemTime::now();
        let state = c.state.clone();
        let (keep, gone): (Vec<Branch>, Vec<Branch>) = std::mem::take(&mut c.branches)
            .into_iter()
            .partition(|b| b.expires_at.as_ref().is_none_or(|(_, t)| *t > now));
        c.branches = keep;
        gone.into_iter().map(|b| (state.clone(), b)).collect()
    };
    for (state, b) in gone {
        let _ = block_on(drop_branch(&state, &b));
    }
}
