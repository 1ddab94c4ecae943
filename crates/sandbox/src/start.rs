//! `sandbox up`: certificates, PostgreSQL, the roles, PgBouncer.

use std::fs;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tracing::info;

use super::process::{Binaries, RunAs, check_output, find_binaries, run_as, stop_processes};
use super::random;
use super::{
    ADMIN, DATABASE, DIRECT_ADDR, DOMAIN, POOLED_ADDR, ROLE, SUPERUSER_RESERVED, State, down,
    is_running, load_state, max_connections_for,
};
use neonops_core::error::usage;

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
        // Every endpoint of the stand-in's branches.
        format!("*.{DOMAIN}"),
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
    /// max_connections; None: the compute size's.
    pub max_connections: Option<u32>,
    /// Branches the control-plane stand-in allows (main included).
    pub branch_limit: usize,
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
        max_connections,
        branch_limit,
    } = shape;
    if !(compute_size > 0.0 && compute_size <= 56.0) {
        bail!(usage(format!(
            "--compute-size {compute_size}: Neon computes are 0.25 to 56 CU"
        )));
    }
    if let Some(state) = running(dir, branch_limit)? {
        return Ok(state);
    }
    // Whatever is there (a stopped or half-made sandbox) is ours to replace.
    down(dir, false)?;
    let bins = find_binaries()?;
    let who = run_as()?;
    let dir = fresh_dir(dir, &who)?;

    let suffix = random::token(8, random::LOWER_ALNUM)?;
    let endpoint_id = format!("ep-sandbox-{suffix}");
    let pooled_host = format!("{endpoint_id}-pooler.{DOMAIN}");
    let direct_host = format!("{endpoint_id}.{DOMAIN}");
    let max_connections = max_connections.unwrap_or_else(|| max_connections_for(compute_size));
    let password = random::token(24, random::ALNUM)?;
    let admin_password = random::token(24, random::ALNUM)?;
    let tls = Tls::write(&dir, &who, &[&direct_host, &pooled_host])?;
    let port = free_port()?;
    let socket_dir = start_postgres(
        &dir,
        &who,
        &bins,
        &tls,
        port,
        max_connections,
        &admin_password,
    )?;
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
        ca_file: tls.ca.clone(),
        passfile,
        compute_size,
        max_connections,
        superuser_reserved_connections: SUPERUSER_RESERVED,
        default_pool_size: pool_size.unwrap_or((max_connections as f64 * 0.9).floor() as u32),
        max_client_conn,
        query_wait_timeout,
        server_user: who.name.clone(),
        socket_dir,
        hosts_file: None,
        api_port: None,
    };
    create_role_and_database(&state, &password).await?;
    start_pgbouncer(&state, &who, &bins, &tls, &admin_password)?;

    let mut state = state;
    save(&state)?;
    let hosts_file = Path::new(super::hosts::HOSTS);
    if super::hosts::writable(hosts_file) {
        super::hosts::register(hosts_file, &state)
            .with_context(|| format!("adding the sandbox's names to {}", hosts_file.display()))?;
        state.hosts_file = Some(hosts_file.to_path_buf());
        save(&state)?;
    }
    state.api_port = Some(start_api(&dir, branch_limit)?);
    save(&state)?;

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

/// The sandbox already running in `dir`, its stand-in started again if it
/// stopped; `None` when there is none, or a stopped one (to be replaced).
fn running(dir: &Path, branch_limit: usize) -> Result<Option<State>> {
    let Some(mut state) = load_state(dir)? else {
        return Ok(None);
    };
    if !is_running(&state) {
        info!("a stopped sandbox is in {}: replacing it", dir.display());
        return Ok(None);
    }
    info!("sandbox already running in {}", dir.display());
    if !api_answers(&state) {
        // Stopped on its own, or a sandbox made before it existed.
        info!("starting its control-plane stand-in again");
        state.api_port = Some(start_api(&state.dir, branch_limit)?);
        save(&state)?;
    }
    Ok(Some(state))
}

/// The application role, as the Neon console makes it (neon_superuser
/// holds pg_monitor), and its database.
async fn create_role_and_database(state: &State, password: &str) -> Result<()> {
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
    Ok(())
}

/// state.json, as it stands.
fn save(state: &State) -> Result<()> {
    write_file(
        &state.dir.join("state.json"),
        &serde_json::to_string_pretty(state)?,
        0o644,
    )
}

/// An empty directory at `dir`, owned by the account that runs the servers
/// (which must be able to reach it): its canonical path.
fn fresh_dir(dir: &Path, who: &RunAs) -> Result<PathBuf> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
    let dir = dir.canonicalize()?;
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
    Ok(dir)
}

/// The sandbox's TLS files: a CA of its own and the servers' certificate.
struct Tls {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Tls {
    fn write(dir: &Path, who: &RunAs, hosts: &[&str]) -> Result<Tls> {
        let tls = dir.join("tls");
        fs::create_dir(&tls)?;
        who.own(&tls)?;
        let (ca_pem, cert_pem, key_pem) = certificates(hosts)?;
        let t = Tls {
            ca: tls.join("ca.crt"),
            cert: tls.join("server.crt"),
            key: tls.join("server.key"),
        };
        write_file(&t.ca, &ca_pem, 0o644)?;
        write_file(&t.cert, &cert_pem, 0o644)?;
        write_file(&t.key, &key_pem, 0o600)?;
        who.own(&t.key)?;
        Ok(t)
    }
}

/// initdb, the sandbox's settings (TLS only over TCP, SCRAM only, loopback
/// only), pg_ctl start: the server's socket directory.
fn start_postgres(
    dir: &Path,
    who: &RunAs,
    bins: &Binaries,
    tls: &Tls,
    port: u16,
    max_connections: u32,
    admin_password: &str,
) -> Result<PathBuf> {
    let pwfile = dir.join("initdb.pw");
    write_file(&pwfile, admin_password, 0o600)?;
    who.own(&pwfile)?;
    let pgdata = dir.join("pgdata");
    let socket_dir = dir.join("run");
    fs::create_dir(&socket_dir)?;
    who.own(&socket_dir)?;
    let mut c = who.command(&bins.initdb);
    c.current_dir(dir)
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
        cert = tls.cert.display(),
        key = tls.key.display(),
        ca = tls.ca.display(),
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
    c.current_dir(dir)
        .arg("-D")
        .arg(&pgdata)
        .arg("-l")
        .arg(dir.join("postgres.log"))
        .args(["-w", "-t", "60", "start"]);
    check_output(c, "pg_ctl start")
        .with_context(|| format!("see {}", dir.join("postgres.log").display()))?;
    Ok(socket_dir)
}

/// PgBouncer in front of the server, as Neon configures it: transaction
/// pooling, TLS to clients and to the server, SCRAM with an auth query.
fn start_pgbouncer(
    state: &State,
    who: &RunAs,
    bins: &Binaries,
    tls: &Tls,
    admin_password: &str,
) -> Result<()> {
    let pgb = state.dir.join("pgbouncer");
    fs::create_dir(&pgb)?;
    who.own(&pgb)?;
    write_file(
        &pgb.join("userlist.txt"),
        &format!("\"{ADMIN}\" \"{admin_password}\"\n"),
        0o600,
    )?;
    who.own(&pgb.join("userlist.txt"))?;
    let ini = format!(
        "[databases]\n* = host={DIRECT_ADDR} port={port}\n\n[pgbouncer]\nlisten_addr = {POOLED_ADDR}\nlisten_port = {port}\nunix_socket_dir =\npool_mode = transaction\nmax_client_conn = {max_client_conn}\ndefault_pool_size = {default_pool_size}\nquery_wait_timeout = {query_wait_timeout}\nauth_type = scram-sha-256\nauth_file = {userlist}\nadmin_users = {ADMIN}\nauth_user = {ADMIN}\nauth_query = SELECT usename, passwd FROM pg_shadow WHERE usename=$1\nclient_tls_sslmode = require\nclient_tls_cert_file = {cert}\nclient_tls_key_file = {key}\nclient_tls_ca_file = {ca}\nserver_tls_sslmode = verify-ca\nserver_tls_ca_file = {ca}\npidfile = {pid}\nlogfile = {log}\n",
        port = state.port,
        max_client_conn = state.max_client_conn,
        default_pool_size = state.default_pool_size,
        query_wait_timeout = state.query_wait_timeout,
        userlist = pgb.join("userlist.txt").display(),
        cert = tls.cert.display(),
        key = tls.key.display(),
        ca = tls.ca.display(),
        pid = pgb.join("pgbouncer.pid").display(),
        log = pgb.join("pgbouncer.log").display(),
    );
    write_file(&pgb.join("pgbouncer.ini"), &ini, 0o644)?;
    let mut c = who.command(&bins.pgbouncer);
    c.current_dir(&pgb).arg("-d").arg(pgb.join("pgbouncer.ini"));
    check_output(c, "pgbouncer")
        .with_context(|| format!("see {}", pgb.join("pgbouncer.log").display()))?;
    // `-d` returns once it has forked: the listener comes a moment later
    // (and a refused connection is never retried).
    wait_listening(SocketAddr::new(IpAddr::V4(POOLED_ADDR), state.port))
        .with_context(|| format!("see {}", pgb.join("pgbouncer.log").display()))
}

/// The control-plane stand-in: this program, detached, serving on a free
/// loopback port with a key of its own (in `api.key`, never printed).
fn start_api(dir: &Path, branch_limit: usize) -> Result<u16> {
    use std::os::unix::process::CommandExt;
    write_file(
        &super::api::key_file(dir),
        &format!("napi_{}", random::token(40, random::LOWER_ALNUM)?),
        0o600,
    )?;
    let port = {
        let l = TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.port()
    };
    // Opened for appending, as the stand-in opens it for its request lines.
    let log_path = dir.join(super::api::LOG_FILE);
    fs::File::create(&log_path)?;
    let log = fs::OpenOptions::new().append(true).open(&log_path)?;
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["sandbox", "api", "--dir"])
        .arg(dir)
        .args(["--port", &port.to_string()])
        .args(["--branch-limit", &branch_limit.to_string()])
        .env("NEONOPS_NO_DOTENV", "1")
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("starting the control-plane stand-in")?;
    write_file(
        &dir.join(super::process::API_PID),
        &child.id().to_string(),
        0o644,
    )?;
    wait_listening(SocketAddr::new(
        IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        port,
    ))
    .with_context(|| format!("see {}", log_path.display()))?;
    Ok(port)
}

/// The control-plane stand-in accepts connections.
fn api_answers(state: &State) -> bool {
    state.api_port.is_some_and(|port| {
        std::net::TcpStream::connect_timeout(
            &SocketAddr::new(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), port),
            std::time::Duration::from_secs(1),
        )
        .is_ok()
    })
}

/// Until something accepts connections on `addr` (at most 10 s).
fn wait_listening(addr: SocketAddr) -> Result<()> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1)) {
            Ok(_) => return Ok(()),
            Err(e) if std::time::Instant::now() >= until => {
                bail!("nothing listens on {addr} 10 s after starting it: {e}")
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}
