//! Every connection failure gets a name, its cause and the fix: from the
//! stage, the SQLSTATE and the message (PostgreSQL's, PgBouncer's, and
//! Neon's proxy's own wording).

use serde::Serialize;

use crate::connect::error::Cause;
use crate::connect::{ConnectError, SqlState, Stage};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnosis {
    /// A stable name for the cause (`wrong_password`, `pooler_max_client_conn`…).
    pub cause: Cause,
    pub explanation: String,
    pub fix: String,
}

impl Diagnosis {
    /// `cause: explanation (the error)`, each said once: the explanation is
    /// left out when the error already says it.
    pub fn detail(&self, error: &str) -> String {
        if error
            .to_lowercase()
            .contains(&self.explanation.to_lowercase())
        {
            format!("{}: {error}", self.cause)
        } else {
            format!("{}: {} ({error})", self.cause, self.explanation)
        }
    }

    /// Whether neonops knows this failure (and so has a fix to offer).
    pub fn recognised(&self) -> bool {
        self.cause != Cause::Unrecognised
    }
}

fn d(cause: Cause, explanation: &str, fix: &str) -> Diagnosis {
    Diagnosis {
        cause,
        explanation: explanation.to_string(),
        fix: fix.to_string(),
    }
}

/// What the causes named by known messages (Neon's proxy's, PostgreSQL's)
/// mean, and their fix.
const NEON_CAUSES: &[(Cause, &str, &str)] = &[
    (
        Cause::SniMissing,
        "Neon's proxy got no TLS SNI, so it cannot tell which endpoint you want",
        "connect by host name (not an IP) with a client that sends SNI, or add options=endpoint%3D<endpoint-id> to the URL",
    ),
    (
        Cause::ComputeUnreachable,
        "the proxy could not reach the compute: it is starting or waking from suspend",
        "retry with backoff (neonops does, within its budget); raise connect_timeout to 10 s or more",
    ),
    (Cause::IpNotAllowed, IP_NOT_ALLOWED.0, IP_NOT_ALLOWED.1),
    (
        Cause::AuthenticationFailed,
        AUTHENTICATION_FAILED.0,
        AUTHENTICATION_FAILED.1,
    ),
    (
        Cause::ComputeStarting,
        COMPUTE_STARTING.0,
        COMPUTE_STARTING.1,
    ),
    (
        Cause::ComputeQuotaExceeded,
        "the account or project has used its compute time quota",
        "upgrade the plan or wait for the quota to reset; retrying does not help",
    ),
    (
        Cause::EndpointDisabled,
        "the endpoint is disabled",
        "enable the endpoint in the Neon console; retrying does not help",
    ),
    (
        Cause::EndpointNotFound,
        "Neon knows no endpoint with this id",
        "copy the host again from the Neon console: the first label is the endpoint id",
    ),
    (
        Cause::ActiveEndpointsLimit,
        "the plan's limit of concurrently active computes is reached",
        "suspend another compute, or upgrade the plan",
    ),
    (
        Cause::ProxyRateLimited,
        "Neon's proxy is rate-limiting connection attempts",
        "back off and reuse connections (a pool) instead of opening one per request",
    ),
    (
        Cause::ComputeSuspended,
        "the connection was closed when the compute suspended after idling",
        "reconnect; keep pools from holding connections idle past the suspend timeout",
    ),
];

const AUTHENTICATION_FAILED: (&str, &str) = (
    "the password is wrong, or the role does not exist (the server does not say which)",
    "check the user and password (percent-encode special characters in URLs); reset the password in the Neon console if unsure",
);

const COMPUTE_STARTING: (&str, &str) = (
    "the database is starting up",
    "retry in a moment (neonops retries within its budget)",
);

const IP_NOT_ALLOWED: (&str, &str) = (
    "the project's IP Allow list does not include this address",
    "add this address to the IP Allow list in the Neon console",
);

/// What a failure says, as the rules read it.
struct Facts<'a> {
    stage: Stage,
    code: Option<SqlState>,
    timed_out: bool,
    /// The message, lower case.
    message: &'a str,
}

impl Facts<'_> {
    fn has(&self, s: &str) -> bool {
        self.message.contains(s)
    }
}

/// A failure and its diagnosis: the first rule whose `when` holds names it.
struct Rule {
    when: fn(&Facts) -> bool,
    cause: Cause,
    explanation: &'static str,
    fix: &'static str,
}

/// The rules, in the order they are tried (a narrower one before the
/// broader one of its stage).
const RULES: &[Rule] = &[
    Rule {
        when: |f| f.stage == Stage::Config,
        cause: Cause::ConnectionSettings,
        explanation: "the connection settings cannot be used as given",
        fix: "see the message: it names the parameter to change",
    },
    Rule {
        when: |f| f.stage == Stage::Dns,
        cause: Cause::DnsFailure,
        explanation: "the host name does not resolve",
        fix: "check the host (copy it again from the Neon console); if DNS itself misbehaves, try another resolver or pin the name with --resolve HOST:PORT:ADDR",
    },
    Rule {
        when: |f| f.stage == Stage::Tcp && f.has("refused"),
        cause: Cause::ConnectionRefused,
        explanation: "nothing accepts connections on that address and port",
        fix: "check the port, and that the server (or pooler) is running and listening there (`neonops check --wait` waits for one that is starting)",
    },
    Rule {
        when: |f| f.stage == Stage::Tcp,
        cause: Cause::TcpFailure,
        explanation: "no TCP connection could be made (timeout, unreachable network or a firewall)",
        fix: "check the network path and firewalls; Neon listens on port 5432",
    },
    Rule {
        when: |f| f.stage == Stage::Socket && f.has("no socket file"),
        cause: Cause::NoLocalServer,
        explanation: "no PostgreSQL server runs on this machine with that socket directory and port",
        fix: "start the server, give the directory its socket is in (host=/path/to/dir, or PGHOST), or connect over TCP (host=localhost)",
    },
    Rule {
        when: |f| f.stage == Stage::Socket && f.has("permission denied"),
        cause: Cause::SocketPermissionDenied,
        explanation: "this user may not open the server's socket",
        fix: "run as a user in the server's group, or connect over TCP (host=localhost)",
    },
    Rule {
        when: |f| f.stage == Stage::Socket,
        cause: Cause::SocketRefused,
        explanation: "the socket file exists but no server accepts connections on it (stopped, or restarting)",
        fix: "start the server (or wait for it with `neonops check --wait`)",
    },
    Rule {
        when: |f| f.stage == Stage::Server && f.timed_out,
        cause: Cause::ServerUnresponsive,
        explanation: "the login succeeded but the server (or the pooler in front of it) did not answer a query in time",
        fix: "a paused or saturated pooler (PgBouncer PAUSE, query_wait_timeout) or an overloaded server: check the pooler (SHOW POOLS) and the server's load; retry later",
    },
    Rule {
        when: |f| f.stage == Stage::Auth && f.timed_out,
        cause: Cause::LoginStalled,
        explanation: "TLS completed but the login never finished",
        fix: "a paused or saturated pooler (PgBouncer PAUSE; its auth query needs a server connection), a database name that does not exist behind a PgBouncer whose auth query runs on it (it waits instead of saying so: `neonops check --only direct` names it), or a server still starting: check the database name, the pooler and the server; retry later",
    },
    Rule {
        when: |f| f.timed_out,
        cause: Cause::NoAnswer,
        explanation: "the server accepted the TCP connection but never completed the handshake",
        fix: "something that is not a working PostgreSQL endpoint holds the port, or the compute is stuck: check the host and port; retry later",
    },
    Rule {
        when: |f| {
            f.stage == Stage::Tls && (f.has("hostname mismatch") || f.has("host name mismatch"))
        },
        cause: Cause::CertificateHostMismatch,
        explanation: "the server's certificate does not name the host you connected to",
        fix: "connect with the exact host name from the console (not an IP or an alias), or use sslmode=verify-ca if you must",
    },
    Rule {
        when: |f| {
            f.stage == Stage::Tls
                && (f.has("certificate verify failed")
                    || f.has("self-signed")
                    || f.has("unable to get local issuer"))
        },
        cause: Cause::CertificateUntrusted,
        explanation: "the server's certificate does not chain to a trusted root",
        fix: "for Neon use sslrootcert=system (its certificates chain to ISRG Root X1); otherwise point sslrootcert at the right CA file",
    },
    Rule {
        when: |f| {
            f.stage == Stage::Tls && (f.has("ssl required") || f.has("connection is insecure"))
        },
        cause: Cause::TlsRequired,
        explanation: "the server (or pooler) requires TLS and this connection did not use it",
        fix: "use sslmode=verify-full (with sslrootcert=system for Neon)",
    },
    Rule {
        when: |f| f.stage == Stage::Tls && f.has("does not support tls"),
        cause: Cause::ServerWithoutTls,
        explanation: "the server does not offer TLS but sslmode requires it",
        fix: "enable TLS on the server, or (only on a trusted network) lower sslmode",
    },
    Rule {
        when: |f| f.stage == Stage::Tls,
        cause: Cause::TlsFailure,
        explanation: "the TLS handshake failed",
        fix: "check sslmode, sslrootcert and the server's TLS set-up; the message has the details",
    },
    Rule {
        when: |f| {
            f.stage == Stage::Auth
                && f.code == Some(SqlState::InvalidAuthorizationSpecification)
                && f.has("no pg_hba.conf entry")
                && f.has("no encryption")
        },
        cause: Cause::TlsRequired,
        explanation: "the server only accepts TLS connections (hostssl) and this one was not encrypted",
        fix: "use sslmode=verify-full (or at least require)",
    },
    Rule {
        when: |f| f.stage == Stage::Auth && f.has("no pg_hba.conf entry"),
        cause: Cause::HostNotAllowed,
        explanation: "the server's pg_hba.conf has no entry for this client, user and database",
        fix: "ask the server's owner to allow this address, user and database",
    },
    Rule {
        when: |f| f.stage == Stage::Auth && f.has("role") && f.has("does not exist"),
        cause: Cause::UnknownRole,
        explanation: "no role with that name exists",
        fix: "check the user name in the URL",
    },
    Rule {
        when: |f| {
            f.stage == Stage::Auth
                && (f.code == Some(SqlState::InvalidPassword) || f.has("authentication failed"))
        },
        cause: Cause::AuthenticationFailed,
        explanation: AUTHENTICATION_FAILED.0,
        fix: AUTHENTICATION_FAILED.1,
    },
    Rule {
        when: |f| f.stage == Stage::Auth && f.has("password") && f.has("none was given"),
        cause: Cause::NoPassword,
        explanation: "the server asked for a password and none was given",
        fix: "put the password in the URL, PGPASSWORD, or a password file (~/.pgpass, PGPASSFILE)",
    },
    Rule {
        when: |f| f.stage == Stage::Auth && f.has("authentication error"),
        cause: Cause::ChannelBindingUnavailable,
        explanation: "channel_binding=require, but the server did not offer SCRAM-SHA-256-PLUS over TLS (PgBouncer does not)",
        fix: "use channel_binding=require only where the server supports it (Neon's proxy, PostgreSQL 11+ with TLS), or use prefer",
    },
    Rule {
        when: |f| f.has("no such user"),
        cause: Cause::UnknownRole,
        explanation: "the pooler knows no role with that name (PgBouncer looks the role up before PostgreSQL is asked)",
        fix: "check the user name in the URL; the role must exist on the server",
    },
    Rule {
        when: |f| f.code == Some(SqlState::InvalidCatalogName),
        cause: Cause::UnknownDatabase,
        explanation: "no database with that name exists",
        fix: "check the database name in the URL's path (Neon's default is neondb)",
    },
    Rule {
        when: |f| f.has("remaining connection slots are reserved"),
        cause: Cause::ReservedSlotsOnly,
        explanation: "every slot an ordinary role may use is taken: only the reserved (superuser_reserved_connections / reserved_connections) slots are left",
        fix: "close idle sessions, route the application through the pooled endpoint, or use a larger compute",
    },
    Rule {
        when: |f| f.has("sorry, too many clients already"),
        cause: Cause::MaxConnectionsReached,
        explanation: "the server has no free connection slots (max_connections)",
        fix: "use the pooled endpoint for the application, close idle sessions, or use a larger compute",
    },
    Rule {
        when: |f| f.has("too many connections for role"),
        cause: Cause::RoleConnectionLimit,
        explanation: "the role's own CONNECTION LIMIT is reached",
        fix: "raise it (ALTER ROLE … CONNECTION LIMIT n) or use fewer connections",
    },
    Rule {
        when: |f| f.has("too many connections for database"),
        cause: Cause::DatabaseConnectionLimit,
        explanation: "the database's own CONNECTION LIMIT is reached",
        fix: "raise it (ALTER DATABASE … CONNECTION LIMIT n) or use fewer connections",
    },
    Rule {
        when: |f| f.has("max_client_conn"),
        cause: Cause::PoolerMaxClientConn,
        explanation: "the pooler refuses more clients (max_client_conn)",
        fix: "reduce client-side pools on top of the pooler, or raise max_client_conn (Neon's is 10 000)",
    },
    Rule {
        when: |f| f.has("query_wait_timeout"),
        cause: Cause::PoolerQueryWaitTimeout,
        explanation: "the request waited in the pooler's queue longer than query_wait_timeout: every server connection was busy",
        fix: "shorten transactions, run fewer long queries at once, or use a larger compute (more server connections)",
    },
    Rule {
        when: |f| f.has("unsupported startup parameter"),
        cause: Cause::PoolerStartupParameter,
        explanation: "a transaction pooler rejects startup parameters other than client_encoding, datestyle, timezone, standard_conforming_strings and application_name",
        fix: "remove the parameter (e.g. options=-c search_path=…) from the pooled URL; set it with ALTER ROLE … SET, or use the direct endpoint",
    },
    Rule {
        when: |f| f.has("server login has been failing"),
        cause: Cause::PoolerServerLoginFailing,
        explanation: "the pooler's last login to PostgreSQL for this database and role failed, and it says so without trying again for a while (server_login_retry)",
        fix: "check the database name and the role in the URL (a database that does not exist fails this way too: `neonops check --only direct` names it) and the role's password on the server; the pooler tries again after server_login_retry (15 s by default)",
    },
    Rule {
        when: |f| f.code == Some(SqlState::CannotConnectNow) || f.has("starting up"),
        cause: Cause::ComputeStarting,
        explanation: COMPUTE_STARTING.0,
        fix: COMPUTE_STARTING.1,
    },
];

/// A pooled endpoint's failure named again in the light of the direct
/// endpoint's: a login that stalls at the pooler while the direct endpoint
/// says the database does not exist is that database. PgBouncer's auth
/// query runs on the database the client names, and when it cannot, the
/// client waits instead of being told (pgbouncer/pgbouncer#649); the next
/// clients, for server_login_retry, hear only that "server login has been
/// failing".
pub fn pooled_given_direct(pooled: &Diagnosis, direct: &Diagnosis) -> Option<Diagnosis> {
    let waited = matches!(
        pooled.cause,
        Cause::LoginStalled | Cause::PoolerServerLoginFailing
    );
    (waited && direct.cause == Cause::UnknownDatabase).then(|| Diagnosis {
        cause: Cause::UnknownDatabase,
        explanation:
            "no database with that name exists (the direct endpoint says so; the pooler did not)"
                .into(),
        fix: direct.fix.clone(),
    })
}

/// Name a connection failure. An error neonops does not recognise is shown
/// raw (it is already redacted) with its SQLSTATE, never swallowed.
pub fn diagnose(e: &ConnectError) -> Diagnosis {
    let m = e.message.to_ascii_lowercase();
    let has = |s: &str| m.contains(s);
    // Neon's proxy first: its messages arrive at any stage (the table is
    // the one the retry decision reads).
    if let Some(k) = crate::connect::error::known_message(&e.message)
        && let Some((explanation, fix)) = NEON_CAUSES
            .iter()
            .find(|(c, ..)| *c == k.cause)
            .map(|(_, x, f)| (*x, *f))
    {
        return d(k.cause, explanation, fix);
    }
    if has("ip address") && has("not allowed") {
        return d(Cause::IpNotAllowed, IP_NOT_ALLOWED.0, IP_NOT_ALLOWED.1);
    }
    let facts = Facts {
        stage: e.stage,
        code: e.state(),
        timed_out: e.timed_out,
        message: &m,
    };
    match RULES.iter().find(|r| (r.when)(&facts)) {
        Some(r) => d(r.cause, r.explanation, r.fix),
        None => Diagnosis {
            cause: Cause::Unrecognised,
            explanation: format!(
                "neonops does not recognise this error{}: {}",
                crate::connect::sqlstate::suffix(e.sqlstate.as_deref()),
                e.message
            ),
            fix: "read the server's message above; report it to neonops if it deserves a diagnosis"
                .into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::connect::sqlstate::UNDEFINED as UNKNOWN;
    use std::time::Duration;

    fn err(stage: Stage, code: Option<&str>, message: &str) -> ConnectError {
        ConnectError {
            stage,
            target: "h:5432".into(),
            address: None,
            sqlstate: code.map(str::to_string),
            message: message.into(),
            timed_out: false,
            retryable: false,
            attempts: 1,
            elapsed: Duration::ZERO,
        }
    }

    /// Neon's proxy messages, verbatim from neon.md.
    #[test]
    fn neon_proxy_messages() {
        for (msg, cause) in [
            (
                "Endpoint ID is not specified. Either please upgrade the postgres client library (libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a parameter: '?options=endpoint%3D<endpoint-id>'.",
                "sni_missing",
            ),
            ("Couldn't connect to compute node", "compute_unreachable"),
            (
                "This IP address 203.0.113.7 is not allowed to connect to this endpoint",
                "ip_not_allowed",
            ),
            (
                "Your account or project has exceeded the compute time quota. Upgrade your plan to increase limits.",
                "compute_quota_exceeded",
            ),
            (
                "Control plane request failed: endpoint is disabled",
                "endpoint_disabled",
            ),
            (
                "Control plane request failed: endpoint cannot be found",
                "endpoint_not_found",
            ),
            (
                "You have exceeded the limit of concurrently active endpoints",
                "active_endpoints_limit",
            ),
            ("Too many connections attempts", "proxy_rate_limited"),
            (
                "Failed to acquire permit to connect to the database. Too many database connection attempts are currently ongoing.",
                "proxy_rate_limited",
            ),
        ] {
            assert_eq!(
                diagnose(&err(
                    Stage::Server,
                    Some(SqlState::InternalError.code()),
                    msg
                ))
                .cause,
                cause,
                "{msg}"
            );
        }
    }

    #[test]
    fn a_cause_is_spelt_the_same_in_text_and_json() {
        for c in [
            Cause::SniMissing,
            Cause::Unrecognised,
            Cause::PoolerQueryWaitTimeout,
        ] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    /// The retry decision and the diagnosis read one table of messages:
    /// every cause it names is explained, at any stage.
    #[test]
    fn every_known_message_is_diagnosed_as_its_cause() {
        for k in crate::connect::error::KNOWN_MESSAGES {
            for stage in [Stage::Tls, Stage::Auth, Stage::Server] {
                let message = format!("FATAL: {}", k.says.to_uppercase());
                assert_eq!(
                    diagnose(&err(stage, None, &message)).cause,
                    k.cause,
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn limits_in_both_wordings() {
        for msg in [
            "remaining connection slots are reserved for non-replication superuser connections",
            "remaining connection slots are reserved for roles with privileges of the \"pg_use_reserved_connections\" role",
        ] {
            assert_eq!(
                diagnose(&err(
                    Stage::Server,
                    Some(SqlState::TooManyConnections.code()),
                    msg
                ))
                .cause,
                "reserved_slots_only"
            );
        }
        assert_eq!(
            diagnose(&err(
                Stage::Server,
                Some(SqlState::TooManyConnections.code()),
                "sorry, too many clients already"
            ))
            .cause,
            "max_connections_reached"
        );
        assert_eq!(
            diagnose(&err(
                Stage::Server,
                Some(SqlState::TooManyConnections.code()),
                "too many connections for role \"x\""
            ))
            .cause,
            "role_connection_limit"
        );
        assert_eq!(
            diagnose(&err(
                Stage::Server,
                Some(SqlState::TooManyConnections.code()),
                "too many connections for database \"x\""
            ))
            .cause,
            "database_connection_limit"
        );
    }

    #[test]
    fn unknown_errors_are_shown_raw() {
        let x = diagnose(&err(
            Stage::Server,
            Some(UNKNOWN),
            "the moon is in the wrong phase",
        ));
        assert_eq!(x.cause, "unrecognised");
        assert!(x.explanation.contains(UNKNOWN) && x.explanation.contains("wrong phase"));
    }
}
