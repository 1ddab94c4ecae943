//! `neonops sandbox`: a local stack shaped like a Neon project.
//!
//! PostgreSQL 15 (TLS with a CA of its own, hostssl only, scram-sha-256,
//! Neon's max_connections for the compute size) listens on 127.0.0.3:P, and
//! PgBouncer in transaction mode (TLS to clients, Neon's pool settings) on
//! 127.0.0.2:P. They are reached by Neon-shaped names
//! (`ep-sandbox-…[-pooler].sandbox.aws.neon.tech`) pinned to those addresses
//! with `NEONOPS_RESOLVE`, so neonops derives the direct URL from the pooled
//! one and verifies both with `sslmode=verify-full` and SNI, exactly as on
//! Neon. No password is printed: it sits in a password file (`PGPASSFILE`).

use std::fs;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tracing::{debug, info};

use crate::cli::{GlobalArgs, SandboxCommand, SandboxDir};
use crate::connect::{self, ConnectOptions, ResolveRule};
use crate::endpoint::{ConnectSpec, DatabaseUrl, PgEnv};
use crate::exit::{Exit, usage};
use crate::output::{print_json, table};

pub const POOLED_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
pub const DIRECT_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
const DOMAIN: &str = "sandbox.aws.neon.tech";
const DATABASE: &str = "neondb";
const ROLE: &str = "neondb_owner";
const ADMIN: &str = "cloud_admin";
/// Neon reserves these for its own superuser (connection-pooling docs).
pub const SUPERUSER_RESERVED: u32 = 7;

/// What `up` wrote down, for `env`, `status` and `down`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub dir: PathBuf,
    pub port: u16,
    pub endpoint_id: String,
    pub pooled_host: String,
    pub direct_host: String,
    pub role: String,
    pub admin_role: String,
    pub database: String,
    pub ca_file: PathBuf,
    pub passfile: PathBuf,
    pub compute_size: f64,
    pub max_connections: u32,
    pub superuser_reserved_connections: u32,
    pub default_pool_size: u32,
    pub max_client_conn: u32,
    pub query_wait_timeout: u32,
    pub server_user: String,
    /// PostgreSQL's Unix-socket directory (not part of Neon's shape: for
    /// local connections without TLS, as a CI service container offers).
    #[serde(default)]
    pub socket_dir: PathBuf,
}

impl State {
    /// The pooled URL, as the Neon console would hand it out (no password).
    pub fn pooled_url(&self) -> String {
        self.url(&self.pooled_host, &self.role)
    }

    pub fn direct_url(&self) -> String {
        self.url(&self.direct_host, &self.role)
    }

    pub fn admin_direct_url(&self) -> String {
        self.url(&self.direct_host, &self.admin_role)
    }

    fn url(&self, host: &str, role: &str) -> String {
        self.url_with(host, role, &self.database)
    }

    /// A URL for any host name, role and database of the sandbox.
    pub fn url_with(&self, host: &str, role: &str, database: &str) -> String {
        format!(
            "postgresql://{role}@{host}:{}/{database}?sslmode=verify-full&sslrootcert={}",
            self.port,
            self.ca_file.display()
        )
    }

    /// The `NEONOPS_RESOLVE` pins for both names.
    pub fn resolve(&self) -> String {
        format!(
            "{}:{}:{} {}:{}:{}",
            self.pooled_host, self.port, POOLED_ADDR, self.direct_host, self.port, DIRECT_ADDR
        )
    }

    pub fn resolve_rules(&self) -> Vec<ResolveRule> {
        crate::connect::resolve::parse_list(&self.resolve()).expect("well-formed")
    }

    /// The variables to export, in order.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DATABASE_URL", self.pooled_url()),
            ("NEONOPS_RESOLVE", self.resolve()),
            ("PGPASSFILE", self.passfile.display().to_string()),
            ("NEONOPS_SANDBOX_CA", self.ca_file.display().to_string()),
        ]
    }
}

/// Neon's max_connections for a compute size (current docs' formula).
pub fn max_connections_for(cu: f64) -> u32 {
    ((cu * 419.66).floor() as u32).clamp(100, 4000)
}

pub fn default_dir() -> PathBuf {
    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| nix::unistd::getuid().to_string());
    std::env::temp_dir().join(format!("neonops-sandbox-{user}"))
}

fn dir_of(d: &SandboxDir) -> PathBuf {
    d.dir.clone().unwrap_or_else(default_dir)
}

pub fn load_state(dir: &Path) -> Result<Option<State>> {
    let path = dir.join("state.json");
    match fs::read_to_string(&path) {
        Ok(t) => Ok(Some(
            serde_json::from_str(&t).with_context(|| format!("reading {}", path.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

pub async fn run(g: &GlobalArgs, cmd: SandboxCommand) -> Result<Exit> {
    match cmd {
        SandboxCommand::Up {
            dir,
            compute_size,
            max_client_conn,
            query_wait_timeout,
            pool_size,
        } => {
            let state = up(
                &dir_of(&dir),
                Shape {
                    compute_size,
                    max_client_conn,
                    query_wait_timeout,
                    pool_size,
                },
            )
            .await?;
            print_status(&state, true, g.json);
            Ok(Exit::Success)
        }
        SandboxCommand::Down { dir, keep } => {
            let dir = dir_of(&dir);
            let stopped = down(&dir, keep)?;
            if g.json {
                print_json(&serde_json::json!({ "stopped": stopped, "dir": dir }));
            } else if stopped {
                println!("sandbox in {} stopped", dir.display());
            } else {
                println!("no sandbox in {}", dir.display());
            }
            Ok(Exit::Success)
        }
        SandboxCommand::Status { dir } => {
            let dir = dir_of(&dir);
            match load_state(&dir)? {
                Some(state) => {
                    let running = is_running(&state);
                    print_status(&state, running, g.json);
                    Ok(if running {
                        Exit::Success
                    } else {
                        Exit::Failure
                    })
                }
                None => {
                    if g.json {
                        print_json(&serde_json::json!({ "running": false, "dir": dir }));
                    } else {
                        println!(
                            "no sandbox in {} (start one with `neonops sandbox up`)",
                            dir.display()
                        );
                    }
                    Ok(Exit::Failure)
                }
            }
        }
        SandboxCommand::Env { dir } => {
            let dir = dir_of(&dir);
            let state = load_state(&dir)?.ok_or_else(|| {
                usage(format!(
                    "no sandbox in {}: start one with `neonops sandbox up`",
                    dir.display()
                ))
            })?;
            if g.json {
                let map: serde_json::Map<String, serde_json::Value> = state
                    .env_vars()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.into()))
                    .collect();
                print_json(&map);
            } else {
                for (k, v) in state.env_vars() {
                    println!("export {k}='{v}'");
                }
                println!(
                    "# the direct endpoint is derived by neonops: {}",
                    state.direct_url()
                );
            }
            Ok(Exit::Success)
        }
    }
}

fn print_status(state: &State, running: bool, json: bool) {
    if json {
        print_json(&serde_json::json!({ "running": running, "state": state }));
        return;
    }
    let mut t = table(&["sandbox", ""]);
    t.add_row(vec!["status", if running { "running" } else { "stopped" }]);
    t.add_row(vec!["directory", &state.dir.display().to_string()]);
    t.add_row(vec![
        "pooled endpoint (PgBouncer, transaction mode)",
        &format!("{} → {POOLED_ADDR}:{}", state.pooled_host, state.port),
    ]);
    t.add_row(vec![
        "direct endpoint (PostgreSQL 15)",
        &format!("{} → {DIRECT_ADDR}:{}", state.direct_host, state.port),
    ]);
    t.add_row(vec![
        "role / database",
        &format!("{} / {}", state.role, state.database),
    ]);
    t.add_row(vec![
        "compute size",
        &format!(
            "{} CU: max_connections {}, superuser_reserved_connections {}",
            state.compute_size, state.max_connections, state.superuser_reserved_connections
        ),
    ]);
    t.add_row(vec![
        "pooler",
        &format!(
            "default_pool_size {}, max_client_conn {}, query_wait_timeout {}s",
            state.default_pool_size, state.max_client_conn, state.query_wait_timeout
        ),
    ]);
    t.add_row(vec!["CA certificate", &state.ca_file.display().to_string()]);
    println!("{t}");
    if running {
        let dir = if state.dir == default_dir() {
            String::new()
        } else {
            format!(" --dir {}", state.dir.display())
        };
        println!("use it: eval \"$(neonops sandbox env{dir})\"");
    }
}

/// The unprivileged account the servers run as.
struct RunAs {
    name: String,
    uid: nix::unistd::Uid,
    gid: nix::unistd::Gid,
    /// true when we are root and must switch to `uid`.
    switch: bool,
}

fn run_as() -> Result<RunAs> {
    let me = nix::unistd::getuid();
    if !me.is_root() {
        let name = nix::unistd::User::from_uid(me)?
            .map(|u| u.name)
            .unwrap_or_default();
        return Ok(RunAs {
            name,
            uid: me,
            gid: nix::unistd::getgid(),
            switch: false,
        });
    }
    for name in ["postgres", "nobody"] {
        if let Some(u) = nix::unistd::User::from_name(name)? {
            return Ok(RunAs {
                name: u.name,
                uid: u.uid,
                gid: u.gid,
                switch: true,
            });
        }
    }
    bail!(
        "running as root, and neither a postgres nor a nobody account exists to run the servers as (initdb refuses root): create one with `useradd --system postgres`"
    )
}

impl RunAs {
    fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        if self.switch {
            use std::os::unix::process::CommandExt;
            c.uid(self.uid.as_raw()).gid(self.gid.as_raw());
        }
        c.env_remove("PGPASSWORD").env_remove("PGPASSFILE");
        c
    }

    fn own(&self, path: &Path) -> Result<()> {
        if self.switch {
            nix::unistd::chown(path, Some(self.uid), Some(self.gid))
                .with_context(|| format!("chown {}", path.display()))?;
        }
        Ok(())
    }
}

struct Binaries {
    initdb: PathBuf,
    pg_ctl: PathBuf,
    pgbouncer: PathBuf,
}

fn find_binaries() -> Result<Binaries> {
    let pg_bin = std::env::var_os("NEONOPS_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"));
    let initdb = pg_bin.join("initdb");
    let pg_ctl = pg_bin.join("pg_ctl");
    if !initdb.is_file() || !pg_ctl.is_file() {
        bail!(usage(format!(
            "PostgreSQL 15 server binaries not found in {} (set NEONOPS_PG_BIN to their directory): install them with `apt-get install -y postgresql-15`",
            pg_bin.display()
        )));
    }
    let pgbouncer = [
        "/usr/sbin/pgbouncer",
        "/usr/bin/pgbouncer",
        "/usr/local/bin/pgbouncer",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .ok_or_else(|| usage("pgbouncer not found: install it with `apt-get install -y pgbouncer`"))?;
    Ok(Binaries {
        initdb,
        pg_ctl,
        pgbouncer,
    })
}

fn check_output(mut c: Command, what: &str) -> Result<()> {
    debug!(?c, "running");
    let out = c.output().with_context(|| format!("starting {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
    Ok(())
}

fn write_file(path: &Path, contents: &str, mode: u32) -> Result<()> {
    let _ = fs::remove_file(path);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

/// A port free on both loopback addresses.
fn free_port() -> Result<u16> {
    for _ in 0..50 {
        let a = TcpListener::bind(SocketAddr::new(IpAddr::V4(POOLED_ADDR), 0))?;
        let port = a.local_addr()?.port();
        if TcpListener::bind(SocketAddr::new(IpAddr::V4(DIRECT_ADDR), port)).is_ok() {
            return Ok(port);
        }
    }
    bail!("could not find a port free on both {POOLED_ADDR} and {DIRECT_ADDR}")
}

fn random_token(n: usize, alphabet: &[u8]) -> String {
    (0..n)
        .map(|_| alphabet[fastrand::usize(..alphabet.len())] as char)
        .collect()
}

/// The pid in a pid file, if that process is alive and is the program we
/// started (a stale pid file may name a pid the system has reused since).
fn pid_alive(pidfile: &Path, program: &str) -> Option<i32> {
    let pid: i32 = fs::read_to_string(pidfile)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(argv0)
        .ends_with(program)
        .then_some(pid)
}

const POSTGRES_PID: &str = "pgdata/postmaster.pid";
const PGBOUNCER_PID: &str = "pgbouncer/pgbouncer.pid";

pub fn is_running(state: &State) -> bool {
    pid_alive(&state.dir.join(POSTGRES_PID), "postgres").is_some()
        && pid_alive(&state.dir.join(PGBOUNCER_PID), "pgbouncer").is_some()
}

fn certificates(state_hosts: &[&str]) -> Result<(String, String, String)> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name
        .push(DnType::CommonName, "neonops sandbox CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);
    let mut names: Vec<String> = state_hosts.iter().map(|s| s.to_string()).collect();
    names.extend([
        "localhost".to_string(),
        "127.0.0.1".into(),
        POOLED_ADDR.to_string(),
        DIRECT_ADDR.to_string(),
    ]);
    let key = KeyPair::generate()?;
    let mut server = CertificateParams::new(names)?;
    server
        .distinguished_name
        .push(DnType::CommonName, state_hosts[0]);
    let server_cert = server.signed_by(&key, &issuer)?;
    Ok((ca_cert.pem(), server_cert.pem(), key.serialize_pem()))
}

/// The sandbox's sizes.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub compute_size: f64,
    pub max_client_conn: u32,
    pub query_wait_timeout: u32,
    /// PgBouncer's default_pool_size; None: 0.9 × max_connections.
    pub pool_size: Option<u32>,
}

pub async fn up(dir: &Path, shape: Shape) -> Result<State> {
    match start(dir, shape).await {
        Ok(s) => Ok(s),
        Err(e) => {
            // Leave nothing running behind a failed start.
            let _ = stop_processes(dir);
            Err(e)
        }
    }
}

async fn start(dir: &Path, shape: Shape) -> Result<State> {
    let Shape {
        compute_size,
        max_client_conn,
        query_wait_timeout,
        pool_size,
    } = shape;
    if !(compute_size > 0.0 && compute_size <= 56.0) {
        bail!(usage(format!(
            "--compute-size {compute_size}: Neon computes are 0.25 to 56 CU"
        )));
    }
    if let Some(state) = load_state(dir)? {
        if is_running(&state) {
            info!("sandbox already running in {}", dir.display());
            return Ok(state);
        }
        info!("a stopped sandbox is in {}: replacing it", dir.display());
    }
    // Whatever is there (a stopped or half-made sandbox) is ours to replace.
    down(dir, false)?;
    let bins = find_binaries()?;
    let who = run_as()?;
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
    let dir = dir.canonicalize()?;
    // The server account must be able to reach the directory.
    if who.switch {
        let mut p = dir.parent();
        while let Some(d) = p {
            let mode = fs::metadata(d)?.permissions().mode();
            if mode & 0o001 == 0 {
                bail!(usage(format!(
                    "{} is not searchable by the {} account that runs the servers: choose another place with --dir (e.g. under /tmp)",
                    d.display(),
                    who.name
                )));
            }
            p = d.parent();
        }
    }
    who.own(&dir)?;

    let suffix = random_token(8, b"abcdefghijklmnopqrstuvwxyz0123456789");
    let endpoint_id = format!("ep-sandbox-{suffix}");
    let pooled_host = format!("{endpoint_id}-pooler.{DOMAIN}");
    let direct_host = format!("{endpoint_id}.{DOMAIN}");
    let port = free_port()?;
    let max_connections = max_connections_for(compute_size);
    let default_pool_size = pool_size.unwrap_or((max_connections as f64 * 0.9).floor() as u32);
    let alnum = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let password = random_token(24, alnum);
    let admin_password = random_token(24, alnum);

    // TLS material.
    let tls = dir.join("tls");
    fs::create_dir(&tls)?;
    who.own(&tls)?;
    let (ca_pem, cert_pem, key_pem) = certificates(&[&direct_host, &pooled_host])?;
    let ca_file = tls.join("ca.crt");
    write_file(&ca_file, &ca_pem, 0o644)?;
    write_file(&tls.join("server.crt"), &cert_pem, 0o644)?;
    write_file(&tls.join("server.key"), &key_pem, 0o600)?;
    who.own(&tls.join("server.key"))?;

    // PostgreSQL.
    let pwfile = dir.join("initdb.pw");
    write_file(&pwfile, &admin_password, 0o600)?;
    who.own(&pwfile)?;
    let pgdata = dir.join("pgdata");
    let socket_dir = dir.join("run");
    fs::create_dir(&socket_dir)?;
    who.own(&socket_dir)?;
    let mut c = who.command(&bins.initdb);
    c.current_dir(&dir)
        .arg("-D")
        .arg(&pgdata)
        .args([
            "-U",
            ADMIN,
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--no-instructions",
            "--locale=C.UTF-8",
        ])
        .arg(format!("--pwfile={}", pwfile.display()));
    let r = check_output(c, "initdb");
    let _ = fs::remove_file(&pwfile);
    r?;
    let conf = format!(
        "\n# neonops sandbox\nlisten_addresses = '{DIRECT_ADDR}'\nport = {port}\nunix_socket_directories = '{socket}'\nmax_connections = {max_connections}\nsuperuser_reserved_connections = {SUPERUSER_RESERVED}\npassword_encryption = 'scram-sha-256'\nssl = on\nssl_cert_file = '{cert}'\nssl_key_file = '{key}'\nssl_ca_file = '{ca}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = '32MB'\nlog_connections = on\n",
        cert = tls.join("server.crt").display(),
        key = tls.join("server.key").display(),
        ca = ca_file.display(),
        socket = socket_dir.display(),
    );
    fs::OpenOptions::new()
        .append(true)
        .open(pgdata.join("postgresql.conf"))?
        .write_all(conf.as_bytes())?;
    fs::write(
        pgdata.join("pg_hba.conf"),
        "# neonops sandbox: TLS only over TCP, SCRAM only, loopback only; the Unix socket is for local tests\nlocal all all scram-sha-256\nhostssl all all 127.0.0.0/8 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n",
    )?;
    let mut c = who.command(&bins.pg_ctl);
    c.current_dir(&dir)
        .arg("-D")
        .arg(&pgdata)
        .arg("-l")
        .arg(dir.join("postgres.log"))
        .args(["-w", "-t", "60", "start"]);
    check_output(c, "pg_ctl start")
        .with_context(|| format!("see {}", dir.join("postgres.log").display()))?;

    let passfile = dir.join("pgpass");
    write_file(
        &passfile,
        &format!("*:*:*:{ROLE}:{password}\n*:*:*:{ADMIN}:{admin_password}\n"),
        0o600,
    )?;
    let state = State {
        dir: dir.clone(),
        port,
        endpoint_id,
        pooled_host,
        direct_host,
        role: ROLE.into(),
        admin_role: ADMIN.into(),
        database: DATABASE.into(),
        ca_file: ca_file.clone(),
        passfile: passfile.clone(),
        compute_size,
        max_connections,
        superuser_reserved_connections: SUPERUSER_RESERVED,
        default_pool_size,
        max_client_conn,
        query_wait_timeout,
        server_user: who.name.clone(),
        socket_dir: socket_dir.clone(),
    };
    // The application role, as the Neon console makes it (neon_superuser holds pg_monitor).
    let admin = state.connect_admin("postgres").await?;
    admin
        .batch_execute(&format!(
            "CREATE ROLE {ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '{password}' IN ROLE pg_monitor"
        ))
        .await
        .context("creating the sandbox role")?;
    admin
        .batch_execute(&format!("CREATE DATABASE {DATABASE} OWNER {ROLE}"))
        .await
        .context("creating the sandbox database")?;
    drop(admin);

    // PgBouncer, as Neon configures it.
    let pgb = dir.join("pgbouncer");
    fs::create_dir(&pgb)?;
    who.own(&pgb)?;
    write_file(
        &pgb.join("userlist.txt"),
        &format!("\"{ADMIN}\" \"{admin_password}\"\n"),
        0o600,
    )?;
    who.own(&pgb.join("userlist.txt"))?;
    let ini = format!(
        "[databases]\n* = host={DIRECT_ADDR} port={port}\n\n[pgbouncer]\nlisten_addr = {POOLED_ADDR}\nlisten_port = {port}\nunix_socket_dir =\npool_mode = transaction\nmax_client_conn = {max_client_conn}\ndefault_pool_size = {default_pool_size}\nquery_wait_timeout = {query_wait_timeout}\nauth_type = scram-sha-256\nauth_file = {userlist}\nauth_user = {ADMIN}\nauth_query = SELECT usename, passwd FROM pg_shadow WHERE usename=$1\nclient_tls_sslmode = require\nclient_tls_cert_file = {cert}\nclient_tls_key_file = {key}\nclient_tls_ca_file = {ca}\nserver_tls_sslmode = verify-ca\nserver_tls_ca_file = {ca}\npidfile = {pid}\nlogfile = {log}\n",
        userlist = pgb.join("userlist.txt").display(),
        cert = tls.join("server.crt").display(),
        key = tls.join("server.key").display(),
        ca = ca_file.display(),
        pid = pgb.join("pgbouncer.pid").display(),
        log = pgb.join("pgbouncer.log").display(),
    );
    write_file(&pgb.join("pgbouncer.ini"), &ini, 0o644)?;
    let mut c = who.command(&bins.pgbouncer);
    c.current_dir(&pgb).arg("-d").arg(pgb.join("pgbouncer.ini"));
    check_output(c, "pgbouncer")
        .with_context(|| format!("see {}", pgb.join("pgbouncer.log").display()))?;

    let json = serde_json::to_string_pretty(&state)?;
    write_file(&dir.join("state.json"), &json, 0o644)?;

    // Prove the pooled path end to end: verify-full, SNI, SCRAM through PgBouncer.
    let client = state
        .connect(&state.pooled_url())
        .await
        .context("checking the pooled endpoint")?;
    client
        .simple_query("select 1")
        .await
        .context("checking the pooled endpoint")?;
    info!("sandbox up in {}", dir.display());
    Ok(state)
}

impl State {
    /// Connect with neonops' own connection layer (verify-full, the sandbox pins).
    pub async fn connect(&self, url: &str) -> Result<tokio_postgres::Client> {
        let url = DatabaseUrl::parse(url)?;
        let env = PgEnv::empty().with_var("PGPASSFILE", &self.passfile.display().to_string());
        let spec = ConnectSpec::resolve(&url, &env)?;
        let opts = ConnectOptions {
            resolve: self.resolve_rules(),
            pooled: url.kind(&[]).is_pooled(),
            ..ConnectOptions::default()
        };
        Ok(connect::connect(&spec, &opts).await?.client)
    }

    pub async fn connect_admin(&self, database: &str) -> Result<tokio_postgres::Client> {
        self.connect(&self.url_with(&self.direct_host, &self.admin_role, database))
            .await
    }
}

/// Stop what `up` started (by its own pid files) and remove the directory.
pub fn down(dir: &Path, keep: bool) -> Result<bool> {
    let Some(state) = load_state(dir)? else {
        // A half-made sandbox (no state yet) may still have a server running.
        if dir.join(POSTGRES_PID).exists() || dir.join(PGBOUNCER_PID).exists() {
            stop_processes(dir)?;
            if !keep {
                fs::remove_dir_all(dir)?;
            }
            return Ok(true);
        }
        return Ok(false);
    };
    stop_processes(&state.dir)?;
    if !keep {
        fs::remove_dir_all(&state.dir)
            .with_context(|| format!("removing {}", state.dir.display()))?;
    }
    Ok(true)
}

fn stop_processes(dir: &Path) -> Result<()> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    for (pidfile, program, sig) in [
        (dir.join(PGBOUNCER_PID), "pgbouncer", Signal::SIGTERM),
        // SIGINT: PostgreSQL's fast shutdown.
        (dir.join(POSTGRES_PID), "postgres", Signal::SIGINT),
    ] {
        if let Some(pid) = pid_alive(&pidfile, program) {
            let pid = Pid::from_raw(pid);
            kill(pid, sig).with_context(|| format!("stopping pid {pid}"))?;
            for _ in 0..300 {
                if kill(pid, None).is_err() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            if kill(pid, None).is_ok() {
                let _ = kill(pid, Signal::SIGKILL);
            }
        }
    }
    Ok(())
}
