//! Every parameter a connection string may carry: libpq 15–17 keywords and the
//! foreign parameters other tools add. Each is used, translated, ignored (with
//! why) or refused (with the fix); an unknown one is an error.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// applied to the connection as libpq would
    Used,
    /// understood, and turned into something neonops does instead
    Translated,
    /// accepted and ignored
    Ignored,
    /// neonops cannot honour it: an error
    Refused,
}

/// Parameters neonops uses as libpq does.
const USED: &[&str] = &[
    "user",
    "password",
    "dbname",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "application_name",
    "fallback_application_name",
    "options",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslsni",
    "channel_binding",
    "target_session_attrs",
    "load_balance_hosts",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "sslnegotiation",
    "passfile",
    "sslcertmode",
];

/// Parameters whose handling does not depend on their value, and why.
const FIXED: &[(&[&str], Handling, &str)] = &[
    (
        &["sslcompression"],
        Handling::Ignored,
        "TLS compression is disabled in every current TLS library and in PostgreSQL itself",
    ),
    (
        &["krbsrvname", "gsslib", "gssdelegation"],
        Handling::Ignored,
        "Kerberos/GSSAPI authentication is not supported; only matters if the server asks for it",
    ),
    (
        &["service"],
        Handling::Refused,
        "service files (pg_service.conf) are not read by neonops: write the service's parameters into the URL",
    ),
    (
        &["sslpassword"],
        Handling::Refused,
        "encrypted client keys are not supported: decrypt the key (openssl pkey -in key.pem -out plain.pem) and drop sslpassword",
    ),
    (
        &["sslcrl", "sslcrldir"],
        Handling::Refused,
        "certificate revocation lists are not supported by neonops' TLS layer: remove the parameter",
    ),
    (
        &["require_auth"],
        Handling::Refused,
        "require_auth cannot be enforced by neonops: remove it (use channel_binding=require to insist on SCRAM over TLS)",
    ),
    (
        &["requirepeer"],
        Handling::Refused,
        "peer credential checks on Unix sockets are not supported: remove requirepeer",
    ),
    (
        &["replication"],
        Handling::Refused,
        "replication connections are not what neonops makes: remove the replication parameter",
    ),
    // Prisma
    (
        &["pgbouncer"],
        Handling::Ignored,
        "Prisma setting (no prepared statements behind PgBouncer); neonops decides per endpoint and always migrates on the direct one",
    ),
    (
        &["connection_limit"],
        Handling::Ignored,
        "Prisma's client pool size; neonops opens one connection per endpoint (declare application pools in neonops.toml for doctor)",
    ),
    (
        &["pool_timeout"],
        Handling::Ignored,
        "Prisma's wait for a free pooled connection; not used by neonops",
    ),
    (
        &["socket_timeout"],
        Handling::Ignored,
        "Prisma's socket timeout; neonops uses statement_timeout instead",
    ),
    (
        &["statement_cache_size"],
        Handling::Ignored,
        "Prisma's prepared statement cache size; not used by neonops",
    ),
    (
        &["schema"],
        Handling::Translated,
        "Prisma's schema: neonops sets search_path to it after connecting",
    ),
];

/// How neonops treats `key=value`, and why (empty for plain `Used`).
/// `None` when the key is unknown.
pub fn handling(key: &str, value: &str) -> Option<(Handling, String)> {
    use Handling::*;
    if USED.contains(&key) {
        return Some((Used, String::new()));
    }
    if let Some((_, h, why)) = FIXED.iter().find(|(keys, _, _)| keys.contains(&key)) {
        return Some((*h, why.to_string()));
    }
    let (h, why) = match key {
        "client_encoding"
            if value.eq_ignore_ascii_case("utf8")
                || value.eq_ignore_ascii_case("utf-8")
                || value == "auto" =>
        {
            (Used, String::new())
        }
        "client_encoding" => (
            Ignored,
            "neonops always uses UTF8 on the wire; the server converts as needed".into(),
        ),
        "gssencmode" if value == "require" => (
            Refused,
            "neonops has no GSSAPI encryption; remove gssencmode=require and use sslmode=verify-full"
                .into(),
        ),
        "gssencmode" => (
            Ignored,
            "neonops never uses GSSAPI encryption; TLS follows sslmode".into(),
        ),
        // libpq's old spelling, still read by libpq
        "requiressl" => (
            Translated,
            format!(
                "libpq's old spelling: read as sslmode={}",
                requiressl_to_sslmode(value)
            ),
        ),
        // asyncpg, and libpq's own spelling of `ssl=true`
        "ssl" => (
            Translated,
            format!(
                "asyncpg/JDBC spelling: read as sslmode={}",
                ssl_to_sslmode(value).unwrap_or("?")
            ),
        ),
        _ => return None,
    };
    Some((h, why))
}

/// libpq's old `requiressl`: 1… is require, anything else prefer.
pub fn requiressl_to_sslmode(value: &str) -> &'static str {
    if value.starts_with('1') {
        "require"
    } else {
        "prefer"
    }
}

/// `ssl=` as asyncpg, JDBC and libpq's URI parser read it.
pub fn ssl_to_sslmode(value: &str) -> Option<&'static str> {
    Some(match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "require" => "require",
        "false" | "0" | "disable" => "disable",
        "allow" => "allow",
        "prefer" => "prefer",
        "verify-ca" => "verify-ca",
        "verify-full" => "verify-full",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole libpq 15–17 keyword list is known.
    #[test]
    fn every_libpq_keyword_is_known() {
        for k in [
            "service",
            "user",
            "password",
            "passfile",
            "channel_binding",
            "connect_timeout",
            "dbname",
            "host",
            "hostaddr",
            "port",
            "client_encoding",
            "options",
            "application_name",
            "fallback_application_name",
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
            "sslmode",
            "sslcompression",
            "sslcert",
            "sslkey",
            "sslpassword",
            "sslrootcert",
            "sslcrl",
            "sslcrldir",
            "sslsni",
            "requirepeer",
            "ssl_min_protocol_version",
            "ssl_max_protocol_version",
            "gssencmode",
            "krbsrvname",
            "gsslib",
            "replication",
            "target_session_attrs",
            "require_auth",
            "sslcertmode",
            "load_balance_hosts",
            "gssdelegation",
            "sslnegotiation",
        ] {
            assert!(handling(k, "x").is_some(), "{k}");
        }
        assert!(handling("sslmod", "x").is_none());
    }
}
