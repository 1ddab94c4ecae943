//! Typed connection failures: the stage that failed, the SQLSTATE and the
//! server's message, and whether a retry can help. Never a password.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::SqlState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The connection parameters themselves (a missing root certificate…).
    Config,
    Dns,
    Tcp,
    /// Connecting to a Unix-domain socket.
    Socket,
    Tls,
    Auth,
    /// The server answered after authentication with an error (database
    /// missing, too many clients, a pooler rule, a Neon proxy message…).
    Server,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Config => "config",
            Stage::Dns => "dns",
            Stage::Tcp => "tcp",
            Stage::Socket => "socket",
            Stage::Tls => "tls",
            Stage::Auth => "auth",
            Stage::Server => "server",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectError {
    pub stage: Stage,
    /// `host:port` (the host name as written; never a URL).
    pub target: String,
    /// The address tried, when DNS got that far.
    pub address: Option<String>,
    pub sqlstate: Option<String>,
    /// What went wrong, from the driver or the server, with no secret in it.
    pub message: String,
    /// The attempt ran out of time (connect_timeout).
    pub timed_out: bool,
    /// A retry may succeed (reset, timeout, a waking compute, a rate limit;
    /// never a refused connection: nothing listens there).
    pub retryable: bool,
    pub attempts: u32,
    #[serde(serialize_with = "ser_ms")]
    pub elapsed: Duration,
}

fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not connect to {} ({} stage",
            self.target,
            self.stage.as_str()
        )?;
        if let Some(a) = &self.address {
            write!(f, ", address {a}")?;
        }
        if let Some(c) = &self.sqlstate {
            write!(f, ", SQLSTATE {c}")?;
        }
        write!(f, "): {}", self.message)?;
        if self.attempts > 1 {
            write!(
                f,
                " (after {} attempts in {:.1}s: NEONOPS_CONNECT_BUDGET sets how long to keep trying, --connect-timeout each attempt)",
                self.attempts,
                self.elapsed.as_secs_f64()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConnectError {}

impl ConnectError {
    /// The server's SQLSTATE, when neonops acts on it.
    pub fn state(&self) -> Option<SqlState> {
        self.sqlstate.as_deref().and_then(SqlState::of)
    }
}

/// Messages of Neon's proxy (and PgBouncer) after which a retry can help.
const RETRYABLE_MESSAGES: &[&str] = &[
    "couldn't connect to compute node",
    "compute node is starting",
    "too many connections attempts",
    "failed to acquire permit to connect",
    "rate limit exceeded",
    "the database system is starting up",
    "the database system is shutting down",
];

/// Messages after which a retry never helps, whatever the code says.
const FINAL_MESSAGES: &[&str] = &[
    "quota",
    "endpoint is disabled",
    "endpoint cannot be found",
    "endpoint not found",
    "active endpoints limit",
    "limit of concurrently active endpoints",
    "is not allowed to connect",
    "password authentication failed",
];

/// Whether a server-side refusal may go away on its own.
pub fn retryable_server_error(sqlstate: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    if FINAL_MESSAGES.iter().any(|f| m.contains(f)) {
        return false;
    }
    // 57P03 cannot_connect_now: starting up / recovering.
    sqlstate.and_then(SqlState::of) == Some(SqlState::CannotConnectNow)
        || RETRYABLE_MESSAGES.iter().any(|r| m.contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_classification() {
        assert!(retryable_server_error(
            Some(SqlState::InternalError.code()),
            "Couldn't connect to compute node"
        ));
        assert!(retryable_server_error(
            Some(SqlState::CannotConnectNow.code()),
            "the database system is starting up"
        ));
        assert!(!retryable_server_error(
            Some(SqlState::InvalidPassword.code()),
            "password authentication failed for user \"x\""
        ));
        assert!(!retryable_server_error(
            Some(SqlState::InternalError.code()),
            "Your account or project has exceeded the compute time quota"
        ));
        assert!(!retryable_server_error(
            Some(SqlState::InternalError.code()),
            "Control plane request failed: endpoint is disabled"
        ));
        assert!(!retryable_server_error(
            Some(SqlState::InvalidCatalogName.code()),
            "database \"x\" does not exist"
        ));
    }
}
