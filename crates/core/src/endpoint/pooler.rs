//! Poolers known by URL: one declared in `neonops.toml` (`[[pooler]]`), for
//! non-Neon hosts, with how neonops gets around it; and the ones recognised
//! by their host or port (PgBouncer's usual port, Supabase's pooler, AWS
//! RDS Proxy), each with what was assumed and why. The URL is only a first
//! guess: every session's work is proven at run time (connect::proof).

use serde::{Deserialize, Serialize};

/// How a pooler hands out server connections.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PoolMode {
    /// A server connection per transaction: session state does not survive.
    #[default]
    Transaction,
    /// A server connection per client: session work runs through it.
    Session,
    /// A server connection per statement: not even a transaction survives.
    Statement,
}

impl PoolMode {
    /// Session state does not survive it.
    pub fn breaks_sessions(self) -> bool {
        self != PoolMode::Session
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PoolMode::Transaction => "transaction",
            PoolMode::Session => "session",
            PoolMode::Statement => "statement",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pooler {
    pub name: String,
    /// The pooler's host name, as it appears in URLs.
    pub host: String,
    /// Its port, when the host also serves other things.
    pub port: Option<u16>,
    /// The PostgreSQL server behind it, so that neonops can get around it.
    pub direct_host: Option<String>,
    pub direct_port: Option<u16>,
    /// `transaction` (default), `session` or `statement`.
    #[serde(default)]
    pub mode: PoolMode,
}

impl Pooler {
    pub fn matches(&self, host: &str, port: Option<u16>) -> bool {
        self.host.eq_ignore_ascii_case(host) && self.port.is_none_or(|p| port.unwrap_or(5432) == p)
    }
}

/// A pooler recognised by its host or port, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recognised {
    /// What it is taken for.
    pub product: &'static str,
    pub mode: PoolMode,
    /// What in the URL made neonops assume it.
    pub why: String,
}

/// Recognise a pooler by its host name and port (None: no rule knows it).
pub fn recognise(host: &str, port: Option<u16>) -> Option<Recognised> {
    let h = host.to_ascii_lowercase();
    let port = port.unwrap_or(5432);
    if h.ends_with(".pooler.supabase.com") {
        // Supavisor: transaction mode on 6543, session mode on 5432.
        let mode = if port == 6543 {
            PoolMode::Transaction
        } else {
            PoolMode::Session
        };
        return Some(Recognised {
            product: "Supabase's pooler (Supavisor)",
            mode,
            why: format!(
                "the host ends in .pooler.supabase.com and the port is {port} (Supabase: 6543 transaction mode, 5432 session mode)"
            ),
        });
    }
    if h.ends_with(".rds.amazonaws.com") && h.split('.').any(|l| l.starts_with("proxy-")) {
        return Some(Recognised {
            product: "AWS RDS Proxy",
            mode: PoolMode::Transaction,
            why: "the host is an RDS Proxy endpoint (a proxy-… label under rds.amazonaws.com): it multiplexes transactions, and pins a client to a connection only when the session changes state".into(),
        });
    }
    if port == 6432 {
        return Some(Recognised {
            product: "PgBouncer",
            mode: PoolMode::Transaction,
            why: "the port is 6432, PgBouncer's usual port (its pool mode is not visible in the URL: transaction mode assumed; the session is measured before any session work)".into(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poolers_are_recognised_by_host_and_port_with_the_reason() {
        let s = recognise("aws-0-eu-central-1.pooler.supabase.com", Some(6543)).unwrap();
        assert_eq!(s.mode, PoolMode::Transaction);
        assert!(s.why.contains("6543"), "{}", s.why);
        let s = recognise("AWS-0-eu-central-1.pooler.supabase.com", None).unwrap();
        assert_eq!(s.mode, PoolMode::Session);
        let r = recognise(
            "my-proxy.proxy-c1abc2defgh3.us-east-1.rds.amazonaws.com",
            Some(5432),
        )
        .unwrap();
        assert_eq!(
            (r.product, r.mode),
            ("AWS RDS Proxy", PoolMode::Transaction)
        );
        // An RDS instance is not its proxy.
        assert!(recognise("db.c1abc2defgh3.us-east-1.rds.amazonaws.com", None).is_none());
        let b = recognise("10.0.0.5", Some(6432)).unwrap();
        assert_eq!(b.product, "PgBouncer");
        assert!(recognise("db.example.com", Some(5432)).is_none());
        assert!(recognise("db.example.com", None).is_none());
    }

    #[test]
    fn the_declared_mode_is_typed() {
        let p: Pooler = toml::from_str("name = \"p\"\nhost = \"h\"\nmode = \"session\"").unwrap();
        assert_eq!(p.mode, PoolMode::Session);
        let p: Pooler = toml::from_str("name = \"p\"\nhost = \"h\"").unwrap();
        assert_eq!(p.mode, PoolMode::Transaction);
        let e = toml::from_str::<Pooler>("name = \"p\"\nhost = \"h\"\nmode = \"sesion\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("transaction") && e.contains("session"), "{e}");
    }
}
