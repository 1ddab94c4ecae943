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

/// What a connection failure is, by name (as `doctor` reports it, and
/// `--json` spells it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    ActiveEndpointsLimit,
    AuthenticationFailed,
    CertificateHostMismatch,
    CertificateUntrusted,
    ChannelBindingUnavailable,
    ComputeQuotaExceeded,
    ComputeStarting,
    ComputeSuspended,
    ComputeUnreachable,
    ConnectionRefused,
    ConnectionSettings,
    DatabaseConnectionLimit,
    DnsFailure,
    EndpointDisabled,
    EndpointNotFound,
    HostNotAllowed,
    IpNotAllowed,
    LoginStalled,
    MaxConnectionsReached,
    NoAnswer,
    NoLocalServer,
    NoPassword,
    PoolerMaxClientConn,
    PoolerQueryWaitTimeout,
    PoolerServerLoginFailing,
    PoolerStartupParameter,
    ProxyRateLimited,
    ReservedSlotsOnly,
    RoleConnectionLimit,
    ServerUnresponsive,
    ServerWithoutTls,
    SniMissing,
    SocketPermissionDenied,
    SocketRefused,
    TcpFailure,
    TlsFailure,
    TlsRequired,
    UnknownDatabase,
    UnknownRole,
    Unrecognised,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::ActiveEndpointsLimit => "active_endpoints_limit",
            Cause::AuthenticationFailed => "authentication_failed",
            Cause::CertificateHostMismatch => "certificate_host_mismatch",
            Cause::CertificateUntrusted => "certificate_untrusted",
            Cause::ChannelBindingUnavailable => "channel_binding_unavailable",
            Cause::ComputeQuotaExceeded => "compute_quota_exceeded",
            Cause::ComputeStarting => "compute_starting",
            Cause::ComputeSuspended => "compute_suspended",
            Cause::ComputeUnreachable => "compute_unreachable",
            Cause::ConnectionRefused => "connection_refused",
            Cause::ConnectionSettings => "connection_settings",
            Cause::DatabaseConnectionLimit => "database_connection_limit",
            Cause::DnsFailure => "dns_failure",
            Cause::EndpointDisabled => "endpoint_disabled",
            Cause::EndpointNotFound => "endpoint_not_found",
            Cause::HostNotAllowed => "host_not_allowed",
            Cause::IpNotAllowed => "ip_not_allowed",
            Cause::LoginStalled => "login_stalled",
            Cause::MaxConnectionsReached => "max_connections_reached",
            Cause::NoAnswer => "no_answer",
            Cause::NoLocalServer => "no_local_server",
            Cause::NoPassword => "no_password",
            Cause::PoolerMaxClientConn => "pooler_max_client_conn",
            Cause::PoolerQueryWaitTimeout => "pooler_query_wait_timeout",
            Cause::PoolerServerLoginFailing => "pooler_server_login_failing",
            Cause::PoolerStartupParameter => "pooler_startup_parameter",
            Cause::ProxyRateLimited => "proxy_rate_limited",
            Cause::ReservedSlotsOnly => "reserved_slots_only",
            Cause::RoleConnectionLimit => "role_connection_limit",
            Cause::ServerUnresponsive => "server_unresponsive",
            Cause::ServerWithoutTls => "server_without_tls",
            Cause::SniMissing => "sni_missing",
            Cause::SocketPermissionDenied => "socket_permission_denied",
            Cause::SocketRefused => "socket_refused",
            Cause::TcpFailure => "tcp_failure",
            Cause::TlsFailure => "tls_failure",
            Cause::TlsRequired => "tls_required",
            Cause::UnknownDatabase => "unknown_database",
            Cause::UnknownRole => "unknown_role",
            Cause::Unrecognised => "unrecognised",
        }
    }
}

impl PartialEq<&str> for Cause {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for ConnectError {}

impl ConnectError {
    /// The server's SQLSTATE, when neonops acts on it.
    pub fn state(&self) -> Option<SqlState> {
        self.sqlstate.as_deref().and_then(SqlState::of)
    }
}

/// A message of Neon's proxy (or PgBouncer, or PostgreSQL) that names a
/// cause whatever its SQLSTATE: what it says (lower case, a part of it),
/// the cause's name (as `doctor` reports it), and whether a retry can help.
pub struct Known {
    pub says: &'static str,
    pub cause: Cause,
    pub retry: bool,
}

const fn known(says: &'static str, cause: Cause, retry: bool) -> Known {
    Known { says, cause, retry }
}

/// Neon's proxy's own wording (neon.md), first to last as they are looked
/// for: one table for the retry decision and for the diagnosis.
pub const KNOWN_MESSAGES: &[Known] = &[
    known("endpoint id is not specified", Cause::SniMissing, false),
    known(
        "couldn't connect to compute node",
        Cause::ComputeUnreachable,
        true,
    ),
    known("compute node is starting", Cause::ComputeUnreachable, true),
    known("is not allowed to connect", Cause::IpNotAllowed, false),
    known("quota", Cause::ComputeQuotaExceeded, false),
    known("endpoint is disabled", Cause::EndpointDisabled, false),
    known("endpoint cannot be found", Cause::EndpointNotFound, false),
    known("endpoint not found", Cause::EndpointNotFound, false),
    known("active endpoints limit", Cause::ActiveEndpointsLimit, false),
    known(
        "concurrently active endpoints",
        Cause::ActiveEndpointsLimit,
        false,
    ),
    known(
        "too many connections attempts",
        Cause::ProxyRateLimited,
        true,
    ),
    known("failed to acquire permit", Cause::ProxyRateLimited, true),
    known("rate limit", Cause::ProxyRateLimited, true),
    known(
        "terminating connection due to administrator command",
        Cause::ComputeSuspended,
        false,
    ),
    known(
        "password authentication failed",
        Cause::AuthenticationFailed,
        false,
    ),
    known(
        "the database system is starting up",
        Cause::ComputeStarting,
        true,
    ),
    known(
        "the database system is shutting down",
        Cause::ComputeStarting,
        true,
    ),
];

/// The first known message a server's message contains.
pub fn known_message(message: &str) -> Option<&'static Known> {
    let m = message.to_ascii_lowercase();
    KNOWN_MESSAGES.iter().find(|k| m.contains(k.says))
}

/// Whether a server-side refusal may go away on its own.
/// A message that says something final (a quota, a disabled endpoint) is
/// never retried, whatever else it says or its code.
pub fn retryable_server_error(sqlstate: Option<&str>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    let mut said = KNOWN_MESSAGES.iter().filter(|k| m.contains(k.says));
    let (mut retry, mut last) = (false, false);
    for k in said.by_ref() {
        retry |= k.retry;
        last |= !k.retry;
    }
    if last {
        return false;
    }
    // 57P03 cannot_connect_now: starting up / recovering.
    retry || sqlstate.and_then(SqlState::of) == Some(SqlState::CannotConnectNow)
}

/// The server's own message for an error it sent, else the driver's.
pub fn db_message(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
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
