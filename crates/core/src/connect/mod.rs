//! The connection layer: name resolution (with `--resolve` pins), TCP or a
//! Unix socket, TLS with libpq's sslmode semantics, authentication, and
//! typed errors that name the failing stage.
//!
//! Two kinds of patience: work (`migrate`, `status`, `validate`) retries
//! what a retry can fix until the connect budget is spent, and shows that it
//! is waiting; a diagnosis (`doctor`, `check`) makes one attempt, bounded as
//! a whole by connect_timeout, and answers.
//!
//! `tokio_postgres::Config` is built through its setters only; the password
//! leaves its [`crate::endpoint::Secret`] in `attempt` and nowhere else.

mod attempt;
pub mod backend_key;
pub mod error;
pub mod pgpass;
mod progress;
pub mod proof;
pub mod resolve;
pub mod server_error;
pub mod sqlstate;
pub mod tls;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use tracing::info;

pub use attempt::resolve_addresses;
pub use error::{ConnectError, Stage};
pub use progress::{Progress, StatusLine};
pub use resolve::ResolveRule;
pub use server_error::ServerError;
pub use sqlstate::SqlState;

use crate::endpoint::spec::ConnectSpec;

/// Neon's advice for a compute that may be waking up.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Total time spent retrying by default.
pub const DEFAULT_CONNECT_BUDGET: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Per attempt, when the connection string sets no connect_timeout.
    pub connect_timeout: Duration,
    /// `--connect-timeout`: wins over the connection string.
    pub connect_timeout_override: Option<Duration>,
    /// Total time for all attempts; retries stop when it is spent.
    pub budget: Duration,
    /// Retry what a retry can fix within `budget`. Off for diagnostics: one
    /// attempt, bounded as a whole by connect_timeout.
    pub retry: bool,
    /// How waiting for a retry is shown.
    pub progress: Progress,
    pub resolve: Vec<ResolveRule>,
    /// The endpoint is a transaction pooler: no session state is set.
    pub pooled: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            connect_timeout_override: None,
            budget: DEFAULT_CONNECT_BUDGET,
            retry: true,
            progress: Progress::Silent,
            resolve: Vec::new(),
            pooled: false,
        }
    }
}

impl ConnectOptions {
    /// The limit of one attempt: `--connect-timeout`, else the connection
    /// string's connect_timeout, else the configured default.
    pub fn per_attempt(&self, spec: &ConnectSpec) -> Duration {
        self.connect_timeout_override
            .or(spec.connect_timeout)
            .unwrap_or(self.connect_timeout)
    }

    /// For a diagnosis: one attempt, answered within connect_timeout.
    pub fn diagnostic(mut self) -> Self {
        self.retry = false;
        self.progress = Progress::Silent;
        self
    }
}

/// A live connection and how it was reached.
pub struct Connected {
    pub client: Client,
    /// How long each stage took on the attempt that succeeded.
    pub timings: Timings,
    /// The server's certificate, when TLS was used.
    pub tls_info: Option<tls::TlsInfo>,
    /// `host:port` as written (a socket directory and port for a Unix socket).
    pub target: String,
    pub address: Option<SocketAddr>,
    /// Every address the host resolved to.
    pub addresses: Vec<SocketAddr>,
    /// Reached through a Unix-domain socket.
    pub unix_socket: bool,
    pub tls: bool,
    pub attempts: u32,
    pub elapsed: Duration,
    /// The process id of the server's BackendKeyData: PostgreSQL's own
    /// backend pid, unless something in between hands out keys of its own.
    pub key_pid: Option<i32>,
}

/// Stage durations of one connection attempt.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    #[serde(serialize_with = "opt_ms")]
    pub dns: Option<Duration>,
    #[serde(serialize_with = "opt_ms")]
    pub tcp: Option<Duration>,
    /// Connecting to a Unix-domain socket (instead of dns and tcp).
    #[serde(serialize_with = "opt_ms", skip_serializing_if = "Option::is_none")]
    pub socket: Option<Duration>,
    #[serde(serialize_with = "opt_ms")]
    pub tls: Option<Duration>,
    /// Startup and authentication, after TLS.
    #[serde(serialize_with = "opt_ms")]
    pub auth: Option<Duration>,
}

fn opt_ms<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64((d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0),
        None => s.serialize_none(),
    }
}

impl Connected {
    /// A query on this connection failed after login.
    pub fn query_error(&self, what: &str, e: &tokio_postgres::Error) -> ConnectError {
        ConnectError {
            target: self.target.clone(),
            address: self.address.map(|a| a.to_string()),
            attempts: self.attempts,
            elapsed: self.elapsed,
            ..ConnectError::after_login(what, e)
        }
    }

    /// Logged in, but a query got no answer within `limit` (a paused
    /// pooler, a server that stopped answering).
    pub fn query_timeout(&self, what: &str, limit: Duration) -> ConnectError {
        ConnectError {
            stage: Stage::Server,
            target: self.target.clone(),
            address: self.address.map(|a| a.to_string()),
            sqlstate: None,
            message: format!(
                "logged in, but {what} got no answer within {}s (connect_timeout)",
                limit.as_secs()
            ),
            timed_out: true,
            retryable: true,
            attempts: self.attempts,
            elapsed: self.elapsed,
        }
    }
}

/// `application_name` when the user set none.
pub fn default_application_name() -> String {
    format!("neonops/{}", env!("CARGO_PKG_VERSION"))
}

/// Connect: once for a diagnosis; otherwise retrying what a retry can fix
/// until the budget is spent, showing the wait as `opts.progress` says.
pub async fn connect(spec: &ConnectSpec, opts: &ConnectOptions) -> Result<Connected, ConnectError> {
    let start = Instant::now();
    let per_attempt = opts.per_attempt(spec);
    if !opts.retry {
        // Inner limits name the stage; this one bounds several addresses or hosts.
        let whole = per_attempt + Duration::from_millis(250);
        let r = match tokio::time::timeout(whole, attempt::once(spec, opts, per_attempt)).await {
            Ok(r) => r,
            Err(_) => Err(attempt::overall_timeout(spec, per_attempt)),
        };
        return finish(r, 1, start);
    }
    let deadline = start + opts.budget;
    let mut shown = progress::Reporter::new(opts.progress.clone(), opts.budget, per_attempt);
    let mut backoff =
        crate::backoff::Backoff::new(Duration::from_millis(250), Duration::from_secs(5));
    let mut attempt = 0;
    loop {
        attempt += 1;
        let r = attempt::once(spec, opts, per_attempt).await;
        match r {
            Err(e) if e.retryable => {
                let pause = backoff.pause();
                if Instant::now() + pause >= deadline {
                    shown.clear();
                    return finish(Err(e), attempt, start);
                }
                shown.retrying(&e, attempt, start.elapsed());
                tokio::time::sleep(pause).await;
            }
            r => {
                shown.clear();
                return finish(r, attempt, start);
            }
        }
    }
}

fn finish(
    r: Result<Connected, ConnectError>,
    attempts: u32,
    start: Instant,
) -> Result<Connected, ConnectError> {
    match r {
        Ok(mut c) => {
            c.attempts = attempts;
            c.elapsed = start.elapsed();
            info!(target = %c.target, attempts, ms = c.elapsed.as_millis() as u64, tls = c.tls, "connected");
            Ok(c)
        }
        Err(mut e) => {
            e.attempts = attempts;
            e.elapsed = start.elapsed();
            Err(e)
        }
    }
}

pub use crate::quote::ident as quote_ident;
