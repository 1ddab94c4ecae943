//! One connection attempt: every host of the connection string in turn
//! (and every address of each), each through DNS, TCP or a Unix socket, TLS
//! and authentication, with typed errors that name the stage.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::config::{
    ChannelBinding as PgChannelBinding, SslMode as PgSslMode, SslNegotiation,
};
use tokio_postgres::{Client, SimpleQueryMessage};
use tracing::{debug, warn};

use super::error::{ConnectError, Stage, retryable_server_error};
use super::{
    ConnectOptions, Connected, Timings, default_application_name, pgpass, quote_ident, resolve, tls,
};
use crate::endpoint::Secret;
use crate::endpoint::spec::{ChannelBinding, ConnectSpec, SessionAttrs, SslMode, Target};

pub(super) async fn once(
    spec: &ConnectSpec,
    opts: &ConnectOptions,
    per_attempt: Duration,
) -> Result<Connected, ConnectError> {
    let mut targets = spec.targets.clone();
    if spec.load_balance_hosts {
        fastrand::shuffle(&mut targets);
    }
    // prefer-standby: a second pass takes any server.
    let passes = match spec.target_session_attrs {
        SessionAttrs::PreferStandby => vec![SessionAttrs::Standby, SessionAttrs::Any],
        a => vec![a],
    };
    let mut last_err = None;
    for want in &passes {
        for target in &targets {
            match connect_target(spec, opts, target, per_attempt).await {
                Ok(c) => match session_matches(&c.client, *want).await {
                    Ok(true) => {
                        apply_session(spec, opts, &c.client).await?;
                        return Ok(c);
                    }
                    Ok(false) => {
                        last_err = Some(err(
                            Stage::Server,
                            target,
                            c.address,
                            format!("server does not match target_session_attrs ({want:?})"),
                        ));
                    }
                    Err(e) => last_err = Some(e.with_target(target)),
                },
                Err(e) => last_err = Some(e),
            }
        }
    }
    Err(last_err.expect("at least one target"))
}

/// The whole attempt (several hosts or addresses) ran past connect_timeout.
pub(super) fn overall_timeout(spec: &ConnectSpec, limit: Duration) -> ConnectError {
    let target = spec.targets.first().expect("at least one target");
    let mut e = err(
        if target.is_unix_socket() {
            Stage::Socket
        } else {
            Stage::Tcp
        },
        target,
        None,
        format!(
            "no connection within connect_timeout ({}s) over {} host(s)",
            limit.as_secs(),
            spec.targets.len()
        ),
    );
    e.timed_out = true;
    e.retryable = true;
    e
}

pub(super) fn target_label(t: &Target) -> String {
    if t.host.contains(':') {
        format!("[{}]:{}", t.host, t.port)
    } else {
        format!("{}:{}", t.host, t.port)
    }
}

fn err(
    stage: Stage,
    target: &Target,
    address: Option<SocketAddr>,
    message: String,
) -> ConnectError {
    ConnectError {
        stage,
        target: target_label(target),
        address: address.map(|a| a.to_string()),
        sqlstate: None,
        message,
        timed_out: false,
        retryable: false,
        attempts: 1,
        elapsed: Duration::ZERO,
    }
}

impl ConnectError {
    /// Logged in, then a query failed: the server refused the work (a
    /// pooler's queue, a limit, a setting).
    pub fn after_login(what: &str, e: &tokio_postgres::Error) -> ConnectError {
        let detail = match e.as_db_error() {
            Some(db) => db.message().to_string(),
            None => format!(
                "{e}{}",
                std::error::Error::source(e)
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default()
            ),
        };
        ConnectError {
            stage: Stage::Server,
            target: String::new(),
            address: None,
            sqlstate: e.code().map(|c| c.code().to_string()),
            message: format!("{what}: {detail}"),
            timed_out: false,
            retryable: false,
            attempts: 1,
            elapsed: Duration::ZERO,
        }
    }

    fn with_target(mut self, t: &Target) -> Self {
        self.target = target_label(t);
        self
    }
}

/// The addresses a target resolves to (pins, hostaddr, DNS), as connecting would.
pub async fn resolve_addresses(
    target: &Target,
    opts: &ConnectOptions,
    timeout: Duration,
) -> Result<Vec<SocketAddr>, ConnectError> {
    resolve_target(target, opts, timeout).await
}

async fn resolve_target(
    target: &Target,
    opts: &ConnectOptions,
    per_attempt: Duration,
) -> Result<Vec<SocketAddr>, ConnectError> {
    if let Some(a) = target.hostaddr {
        return Ok(vec![SocketAddr::new(a, target.port)]);
    }
    if let Ok(ip) = target.host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, target.port)]);
    }
    // RFC 6761: names under .invalid never resolve; answer without asking DNS.
    if target
        .host
        .trim_end_matches('.')
        .to_ascii_lowercase()
        .ends_with(".invalid")
    {
        return Err(err(
            Stage::Dns,
            target,
            None,
            format!(
                "could not translate host name \"{}\" to address: the .invalid domain never exists (RFC 6761)",
                target.host
            ),
        ));
    }
    if let Some(addrs) = resolve::lookup(&opts.resolve, &target.host, target.port) {
        debug!(host = %target.host, ?addrs, "resolved by a --resolve pin");
        return Ok(addrs);
    }
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    match tokio::time::timeout(per_attempt, lookup).await {
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                Err(err(
                    Stage::Dns,
                    target,
                    None,
                    format!(
                        "could not translate host name \"{}\" to address: no addresses",
                        target.host
                    ),
                ))
            } else {
                Ok(addrs)
            }
        }
        Ok(Err(e)) => {
            let text = e.to_string();
            let mut e = err(
                Stage::Dns,
                target,
                None,
                format!(
                    "could not translate host name \"{}\" to address: {text}",
                    target.host
                ),
            );
            e.retryable = text.contains("Temporary failure") || text.contains("try again");
            Err(e)
        }
        Err(_) => {
            let mut e = err(
                Stage::Dns,
                target,
                None,
                format!(
                    "name resolution of \"{}\" took longer than {}s",
                    target.host,
                    per_attempt.as_secs()
                ),
            );
            e.timed_out = true;
            e.retryable = true;
            Err(e)
        }
    }
}

async fn connect_target(
    spec: &ConnectSpec,
    opts: &ConnectOptions,
    target: &Target,
    per_attempt: Duration,
) -> Result<Connected, ConnectError> {
    if target.is_unix_socket() {
        return connect_socket(spec, target, per_attempt).await;
    }
    let dns_start = Instant::now();
    let addrs = resolve_target(target, opts, per_attempt).await?;
    let dns = (target.hostaddr.is_none() && target.host.parse::<IpAddr>().is_err())
        .then(|| dns_start.elapsed());
    // The TLS context is shared by the process; the first one with the
    // system's roots takes a while to build: on another thread while TCP connects.
    let mut building = match spec.sslmode {
        SslMode::Disable => None,
        _ => {
            let spec = spec.clone();
            Some(tokio::task::spawn_blocking(move || tls::context(&spec)))
        }
    };
    let mut connector: Option<openssl::ssl::SslContext> = None;
    let plan: &[tls::Want] = match spec.sslmode {
        SslMode::Disable => &[tls::Want::Plain],
        SslMode::Allow => &[tls::Want::Plain, tls::Want::Require],
        SslMode::Prefer => &[tls::Want::Prefer],
        _ => &[tls::Want::Require],
    };
    let mut last = None;
    for &addr in &addrs {
        for (i, want) in plan.iter().enumerate() {
            let reached = Reached::default();
            let attempt = async {
                let t = Instant::now();
                let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| {
                    let mut ce = err(Stage::Tcp, target, Some(addr), tcp_message(&e));
                    // Refused: nothing listens there. Never a waking Neon
                    // compute (Neon's proxy always accepts), so no retry.
                    ce.retryable = e.kind() != std::io::ErrorKind::ConnectionRefused;
                    ce
                })?;
                reached.connected();
                let tcp = t.elapsed();
                set_socket_options(&stream, spec);
                if let Some(task) = building.take() {
                    let built = task.await.map_err(|e| {
                        err(
                            Stage::Config,
                            target,
                            None,
                            format!("building the TLS context: {e}"),
                        )
                    })?;
                    connector =
                        Some(built.map_err(|m| err(Stage::Config, target, None, m.to_string()))?);
                }
                let mut c = handshake(
                    stream,
                    spec,
                    target,
                    Some(addr),
                    *want,
                    connector.clone(),
                    &reached,
                )
                .await?;
                c.timings.dns = dns;
                c.addresses = addrs.clone();
                c.timings.tcp = Some(tcp);
                Ok(c)
            };
            match with_timeout(per_attempt, target, Some(addr), &reached, attempt).await {
                Ok(c) => return Ok(c),
                Err(e) => {
                    // allow: a plain connection the server refused is retried with TLS.
                    let refused_plain =
                        i + 1 < plan.len() && matches!(e.stage, Stage::Auth | Stage::Server);
                    last = Some(e);
                    if !refused_plain {
                        break;
                    }
                }
            }
        }
    }
    Err(last.expect("at least one address"))
}

/// A Unix-domain socket: `<dir>/.s.PGSQL.<port>`, as libpq names it. A
/// missing socket file (no server on this machine at that port), a refused
/// one (a stopped server) and a permission problem are never retried.
async fn connect_socket(
    spec: &ConnectSpec,
    target: &Target,
    per_attempt: Duration,
) -> Result<Connected, ConnectError> {
    let path = format!("{}/.s.PGSQL.{}", target.host, target.port);
    let reached = Reached::default();
    let attempt = async {
        let t = Instant::now();
        let stream = tokio::net::UnixStream::connect(&path).await.map_err(|e| {
            let (message, retryable) = match e.kind() {
                std::io::ErrorKind::NotFound => (format!("no socket file \"{path}\""), false),
                std::io::ErrorKind::ConnectionRefused => {
                    (format!("the socket \"{path}\" refuses connections"), false)
                }
                std::io::ErrorKind::PermissionDenied => {
                    (format!("permission denied on the socket \"{path}\""), false)
                }
                _ => (
                    format!("could not connect to socket \"{path}\": {e}"),
                    false,
                ),
            };
            let mut ce = err(Stage::Socket, target, None, message);
            ce.retryable = retryable;
            ce
        })?;
        reached.connected();
        let socket = t.elapsed();
        let mut c = handshake(stream, spec, target, None, tls::Want::Plain, None, &reached).await?;
        c.unix_socket = true;
        c.timings.socket = Some(socket);
        Ok(c)
    };
    with_timeout(per_attempt, target, None, &reached, attempt).await
}

fn tcp_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "connection refused: is the server running and accepting TCP connections on that port?"
                .into()
        }
        _ => format!("connection failed: {e}"),
    }
}

/// How far an attempt got, so that a timeout names the stage it stalled in.
#[derive(Default, Clone)]
struct Reached {
    connected: Arc<AtomicBool>,
    handshake: Arc<Mutex<Option<tls::Handshake>>>,
}

impl Reached {
    fn connected(&self) {
        self.connected.store(true, Ordering::Relaxed);
    }

    fn stalled_in(&self, target: &Target) -> (Stage, &'static str) {
        if !self.connected.load(Ordering::Relaxed) {
            if target.is_unix_socket() {
                (Stage::Socket, "the socket did not accept the connection")
            } else {
                (Stage::Tcp, "the TCP connection was not established")
            }
        } else if self.handshake.lock().expect("not poisoned").is_some() {
            (Stage::Auth, "TLS completed but the login did not finish")
        } else {
            (
                Stage::Tls,
                "the server accepted the connection but did not answer the TLS or startup handshake",
            )
        }
    }
}

async fn with_timeout(
    limit: Duration,
    target: &Target,
    addr: Option<SocketAddr>,
    reached: &Reached,
    fut: impl Future<Output = Result<Connected, ConnectError>>,
) -> Result<Connected, ConnectError> {
    match tokio::time::timeout(limit, fut).await {
        Ok(r) => r,
        Err(_) => {
            let (stage, what) = reached.stalled_in(target);
            let mut e = err(
                stage,
                target,
                addr,
                format!("{what} within connect_timeout ({}s)", limit.as_secs()),
            );
            e.timed_out = true;
            e.retryable = true;
            Err(e)
        }
    }
}

fn set_socket_options(stream: &tokio::net::TcpStream, spec: &ConnectSpec) {
    let _ = stream.set_nodelay(true);
    let sock = socket2::SockRef::from(stream);
    if spec.keepalives {
        let mut ka = socket2::TcpKeepalive::new();
        if let Some(t) = spec.keepalives_idle {
            ka = ka.with_time(t);
        }
        if let Some(t) = spec.keepalives_interval {
            ka = ka.with_interval(t);
        }
        if let Some(n) = spec.keepalives_count {
            ka = ka.with_retries(n);
        }
        let _ = sock.set_tcp_keepalive(&ka);
    }
    if let Some(t) = spec.tcp_user_timeout {
        let _ = sock.set_tcp_user_timeout(Some(t));
    }
}

/// The one place a `tokio_postgres::Config` is made, and the password used.
fn pg_config(spec: &ConnectSpec, target: &Target, want: tls::Want) -> tokio_postgres::Config {
    let mut c = tokio_postgres::Config::new();
    c.user(&spec.user);
    c.dbname(&spec.dbname);
    c.host(&target.host);
    c.port(target.port);
    let password: Option<Secret> = spec
        .password
        .clone()
        .or_else(|| pgpass::lookup(spec, target));
    if let Some(p) = &password {
        c.password(p.expose_to_connection());
    }
    if let Some(o) = &spec.options {
        c.options(o);
    }
    c.application_name(
        spec.application_name
            .clone()
            .or_else(|| spec.fallback_application_name.clone())
            .unwrap_or_else(default_application_name)
            .as_str(),
    );
    c.ssl_mode(match want {
        tls::Want::Plain => PgSslMode::Disable,
        tls::Want::Prefer => PgSslMode::Prefer,
        tls::Want::Require => PgSslMode::Require,
    });
    if spec.direct_tls {
        c.ssl_negotiation(SslNegotiation::Direct);
    }
    c.channel_binding(match spec.channel_binding {
        ChannelBinding::Disable => PgChannelBinding::Disable,
        ChannelBinding::Prefer => PgChannelBinding::Prefer,
        ChannelBinding::Require => PgChannelBinding::Require,
    });
    c
}

async fn handshake<S>(
    stream: S,
    spec: &ConnectSpec,
    target: &Target,
    addr: Option<SocketAddr>,
    want: tls::Want,
    context: Option<openssl::ssl::SslContext>,
    reached: &Reached,
) -> Result<Connected, ConnectError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let config = pg_config(spec, target, want);
    let done = reached.handshake.clone();
    let key = super::backend_key::KeyCell::default();
    let recording = tls::Recording::new(context, spec, &target.host, done.clone(), key.clone());
    let stream = super::backend_key::Watched::new(stream, key.clone());
    let started = Instant::now();
    match config.connect_raw(stream, recording).await {
        Ok((client, connection)) => {
            crate::runtime::spawn_connection(async move {
                if let Err(e) = connection.await {
                    debug!("connection closed: {e}");
                }
            });
            let handshake = done.lock().expect("not poisoned").clone();
            let now = Instant::now();
            let timings = Timings {
                tls: handshake.as_ref().map(|h| h.at - started),
                auth: Some(now - handshake.as_ref().map_or(started, |h| h.at)),
                ..Timings::default()
            };
            Ok(Connected {
                client,
                tls: handshake.is_some(),
                tls_info: handshake.and_then(|h| h.info),
                timings,
                target: target_label(target),
                address: addr,
                addresses: addr.into_iter().collect(),
                unix_socket: false,
                attempts: 1,
                elapsed: Duration::ZERO,
                key_pid: *key.lock().expect("not poisoned"),
            })
        }
        Err(e) => {
            let tls_done = done.lock().expect("not poisoned").is_some();
            Err(classify(
                &e,
                target,
                addr,
                want != tls::Want::Plain,
                tls_done,
                config.get_password().is_some(),
            ))
        }
    }
}

/// Put a driver error at its stage, with its SQLSTATE and message.
fn classify(
    e: &tokio_postgres::Error,
    target: &Target,
    addr: Option<SocketAddr>,
    wants_tls: bool,
    tls_done: bool,
    has_password: bool,
) -> ConnectError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code().to_string();
        let mut message = db.message().to_string();
        if let Some(d) = db.detail() {
            message.push_str(&format!(" (detail: {d})"));
        }
        if let Some(h) = db.hint() {
            message.push_str(&format!(" (hint: {h})"));
        }
        let lower = message.to_ascii_lowercase();
        let stage = if lower.contains("ssl required")
            || lower.contains("connection is insecure")
            || lower.contains("endpoint id is not specified")
        {
            // The server (PgBouncer, Neon's proxy) insists on TLS or SNI.
            Stage::Tls
        } else if super::sqlstate::is_authorization_class(&code)
            || lower.contains("authentication failed")
        {
            Stage::Auth
        } else {
            Stage::Server
        };
        let mut ce = err(stage, target, addr, message);
        ce.retryable = retryable_server_error(Some(&code), db.message());
        ce.sqlstate = Some(code);
        return ce;
    }
    let text = e.to_string();
    let source = std::error::Error::source(e);
    let full = match source.map(|s| s.to_string()) {
        Some(s) if !text.contains(s.as_str()) => format!("{text}: {s}"),
        _ => text.clone(),
    };
    // tokio-postgres keeps its error kinds private: a failed handshake is
    // known by its source (this layer's own type); a missing password by
    // the configuration this layer made, and the driver's one reason for
    // it; an authentication error (SCRAM, channel binding) by its wording.
    if source.is_some_and(|s| s.is::<tls::HandshakeError>()) {
        let mut ce = err(Stage::Tls, target, addr, full);
        ce.retryable = false;
        return ce;
    }
    if !has_password && source.is_some_and(|s| s.to_string() == "password missing") {
        return err(
            Stage::Auth,
            target,
            addr,
            "the server asked for a password and none was given (none in the URL, PGPASSWORD or the password file)".into(),
        );
    }
    if text.starts_with("authentication error") {
        return err(Stage::Auth, target, addr, full);
    }
    // I/O trouble or a closed connection: before TLS completed it belongs to TLS.
    let stage = if wants_tls && !tls_done {
        Stage::Tls
    } else {
        Stage::Server
    };
    let mut ce = err(stage, target, addr, full);
    ce.retryable = true;
    ce
}

async fn session_matches(client: &Client, want: SessionAttrs) -> Result<bool, ConnectError> {
    if want == SessionAttrs::Any {
        return Ok(true);
    }
    let rows = client
        .simple_query("select pg_is_in_recovery()::text, current_setting('transaction_read_only')")
        .await
        .map_err(|e| ConnectError::after_login("checking target_session_attrs", &e))?;
    let (standby, read_only) = rows
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some((r.get(0) == Some("true"), r.get(1) == Some("on"))),
            _ => None,
        })
        .unwrap_or((false, false));
    Ok(match want {
        SessionAttrs::ReadWrite => !read_only,
        SessionAttrs::ReadOnly => read_only,
        SessionAttrs::Primary => !standby,
        SessionAttrs::Standby => standby,
        SessionAttrs::Any | SessionAttrs::PreferStandby => true,
    })
}

/// Session state the connection string asked for (Prisma's `schema`).
async fn apply_session(
    spec: &ConnectSpec,
    opts: &ConnectOptions,
    client: &Client,
) -> Result<(), ConnectError> {
    let Some(schema) = &spec.search_path else {
        return Ok(());
    };
    if opts.pooled {
        warn!(
            "schema={schema} is not applied on a pooled endpoint: a SET would not survive the transaction pooler"
        );
        return Ok(());
    }
    client
        .batch_execute(&format!("SET search_path TO {}", quote_ident(schema)))
        .await
        .map_err(|e| ConnectError::after_login("setting search_path from schema=", &e))
}
