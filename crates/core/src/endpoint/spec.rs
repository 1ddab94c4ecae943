//! From a connection string (plus libpq's `PG*` variables) to typed
//! connection parameters, with a note for everything translated or ignored.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::{Handling, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum RootCert {
    /// No root certificate: encryption without verification (require) or an
    /// error for verify-ca/verify-full.
    None,
    File(PathBuf),
    /// The system's trusted roots (`sslrootcert=system`).
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelBinding {
    Disable,
    Prefer,
    Require,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsVersion {
    Tls10,
    Tls11,
    Tls12,
    Tls13,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub hostaddr: Option<IpAddr>,
}

impl Target {
    pub fn is_unix_socket(&self) -> bool {
        self.host.starts_with('/') || self.host.starts_with('@')
    }
}

/// Where a value neonops uses came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub key: String,
    /// The value as written (secrets masked).
    pub value: String,
    pub handling: Handling,
    /// Why it is translated or ignored (empty when simply used).
    pub why: String,
    /// "url" or the environment variable it came from.
    pub source: String,
}

/// Everything needed to connect, typed and validated.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectSpec {
    pub targets: Vec<Target>,
    pub user: String,
    pub password: Option<Secret>,
    pub passfile: Option<PathBuf>,
    pub dbname: String,
    /// `None`: neonops uses `fallback_application_name` or `neonops/<version>`.
    pub application_name: Option<String>,
    pub fallback_application_name: Option<String>,
    pub options: Option<String>,
    pub sslmode: SslMode,
    pub rootcert: RootCert,
    pub client_cert: Option<(PathBuf, PathBuf)>,
    pub sslsni: bool,
    pub channel_binding: ChannelBinding,
    pub connect_timeout: Option<Duration>,
    pub keepalives: bool,
    pub keepalives_idle: Option<Duration>,
    pub keepalives_interval: Option<Duration>,
    pub keepalives_count: Option<u32>,
    pub tcp_user_timeout: Option<Duration>,
    pub target_session_attrs: SessionAttrs,
    pub load_balance_hosts: bool,
    pub ssl_min_protocol: Option<TlsVersion>,
    pub ssl_max_protocol: Option<TlsVersion>,
    pub direct_tls: bool,
    pub search_path: Option<String>,
    pub notes: Vec<Note>,
}

/// The libpq environment: `PG*` variables, the home directory and the OS user.
#[derive(Debug, Clone, Default)]
pub struct PgEnv {
    pub(super) vars: BTreeMap<String, String>,
    pub(super) home: Option<PathBuf>,
    pub(super) os_user: Option<String>,
}

/// libpq keyword → environment variable, for the ones neonops honours.
pub const PG_VARS: &[(&str, &str)] = &[
    ("host", "PGHOST"),
    ("hostaddr", "PGHOSTADDR"),
    ("port", "PGPORT"),
    ("dbname", "PGDATABASE"),
    ("user", "PGUSER"),
    ("password", "PGPASSWORD"),
    ("passfile", "PGPASSFILE"),
    ("options", "PGOPTIONS"),
    ("application_name", "PGAPPNAME"),
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("sslsni", "PGSSLSNI"),
    ("sslnegotiation", "PGSSLNEGOTIATION"),
    ("channel_binding", "PGCHANNELBINDING"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
    ("load_balance_hosts", "PGLOADBALANCEHOSTS"),
    ("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION"),
    ("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION"),
    ("client_encoding", "PGCLIENTENCODING"),
];

impl PgEnv {
    pub fn empty() -> Self {
        PgEnv::default()
    }

    /// Snapshot of this process's environment.
    pub fn from_process() -> Self {
        PgEnv::from_env(&|k| std::env::var(k).ok())
    }

    /// The `PG*` variables (and `HOME`) as `env` gives them.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        let vars: BTreeMap<String, String> = PG_VARS
            .iter()
            .filter_map(|(_, var)| env(var).map(|v| (var.to_string(), v)))
            .collect();
        if let Some(p) = vars.get("PGPASSWORD") {
            super::secret::remember(p);
        }
        let os_user = nix::unistd::User::from_uid(nix::unistd::getuid())
            .ok()
            .flatten()
            .map(|u| u.name);
        PgEnv {
            vars,
            home: env("HOME").map(PathBuf::from),
            os_user,
        }
    }

    pub fn with_var(mut self, var: &str, value: &str) -> Self {
        self.vars.insert(var.to_string(), value.to_string());
        self
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// The variables set that say which server to reach (as opposed to how:
    /// a password file, a root certificate…), as `NAME=value`.
    pub fn target_vars(&self) -> Vec<String> {
        ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"]
            .iter()
            .filter_map(|v| self.vars.get(*v).map(|x| format!("{v}={x}")))
            .collect()
    }

    /// Every variable set, by name.
    pub fn names(&self) -> Vec<&str> {
        self.vars.keys().map(String::as_str).collect()
    }

    /// The connection parameters these variables set, as a libpq key=value
    /// string (without the password, which stays in the environment).
    pub fn keyword_string(&self) -> String {
        PG_VARS
            .iter()
            .filter(|(key, _)| *key != "password")
            .filter_map(|(key, var)| self.vars.get(*var).map(|v| (key, v)))
            .map(|(key, v)| format!("{key}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl ConnectSpec {
    /// Warnings about the security and shape of these settings.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let remote = self
            .targets
            .iter()
            .any(|t| !t.is_unix_socket() && !is_loopback_name(&t.host));
        match self.sslmode {
            SslMode::Disable | SslMode::Allow if remote => w.push(format!(
                "sslmode={} may send the password and data in clear text: use sslmode=verify-full",
                self.sslmode.as_str()
            )),
            SslMode::Prefer if remote => w.push(
                "sslmode=prefer (the default) falls back to clear text and does not verify the server: use sslmode=verify-full&sslrootcert=system"
                    .into(),
            ),
            SslMode::Require if self.rootcert == RootCert::None => w.push(
                "sslmode=require encrypts but does not verify the server's certificate: use sslmode=verify-full&sslrootcert=system"
                    .into(),
            ),
            SslMode::VerifyCa => w.push(
                "sslmode=verify-ca checks the certificate chain but not the host name: use verify-full".into(),
            ),
            _ => {}
        }
        if !self.sslsni {
            w.push("sslsni=0: Neon's proxy needs SNI to find the endpoint".into());
        }
        if self
            .connect_timeout
            .is_some_and(|t| t < Duration::from_secs(10))
        {
            w.push(
                "connect_timeout under 10 s may fail while a suspended Neon compute wakes up"
                    .into(),
            );
        }
        w
    }
}

fn is_loopback_name(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::super::{DatabaseUrl, resolve::numeric_host};
    use super::*;

    fn spec(s: &str, env: &PgEnv) -> ConnectSpec {
        ConnectSpec::resolve(&DatabaseUrl::parse(s).unwrap(), env).unwrap()
    }

    #[test]
    fn translations_are_reported() {
        let s = spec(
            "postgresql+asyncpg://u:p@h/db?ssl=require&pgbouncer=true&connection_limit=1&schema=app",
            &PgEnv::empty(),
        );
        assert_eq!(s.sslmode, SslMode::Require);
        assert_eq!(s.search_path.as_deref(), Some("app"));
        let keys: Vec<_> = s
            .notes
            .iter()
            .map(|n| (n.key.as_str(), n.handling))
            .collect();
        assert!(keys.contains(&("ssl", Handling::Translated)));
        assert!(keys.contains(&("pgbouncer", Handling::Ignored)));
        assert!(keys.contains(&("connection_limit", Handling::Ignored)));
        assert!(keys.contains(&("schema", Handling::Translated)));
    }

    #[test]
    fn pg_env_fills_what_the_url_lacks() {
        let env = PgEnv::empty()
            .with_var("PGSSLMODE", "verify-full")
            .with_var("PGPASSWORD", "pw")
            .with_var("PGPORT", "6543")
            .with_var("PGHOST", "ignored-because-url-has-one");
        let s = spec("postgres://u@h/db", &env);
        assert_eq!(s.sslmode, SslMode::VerifyFull);
        assert!(s.password.is_some());
        assert_eq!(s.targets[0].host, "h");
        assert_eq!(s.targets[0].port, 6543);
        let s = spec("postgres://u@h/db?sslmode=disable", &env);
        assert_eq!(s.sslmode, SslMode::Disable);
    }

    #[test]
    fn multi_host_ports() {
        let s = spec("postgres://a:1,b,[::1]:3/db", &PgEnv::empty());
        let t: Vec<_> = s
            .targets
            .iter()
            .map(|t| (t.host.as_str(), t.port))
            .collect();
        assert_eq!(t, [("a", 1), ("b", 5432), ("::1", 3)]);
        let s = spec("host=a,b port=7 dbname=d", &PgEnv::empty());
        assert_eq!(s.targets[1].port, 7);
    }

    #[test]
    fn sslrootcert_system_rules() {
        let s = spec("postgres://h/db?sslrootcert=system", &PgEnv::empty());
        assert_eq!(s.sslmode, SslMode::VerifyFull);
        assert!(DatabaseUrl::parse("postgres://h/db?sslrootcert=system&sslmode=require").is_err());
    }

    #[test]
    fn hostaddr_takes_what_inet_aton_takes() {
        let v4 = |s: &str| numeric_host(s).map(|a| a.to_string());
        assert_eq!(v4("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("0").as_deref(), Some("0.0.0.0"));
        assert_eq!(v4("0x7f.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("010.0.0.1").as_deref(), Some("8.0.0.1"));
        assert_eq!(v4("10.65535").as_deref(), Some("10.0.255.255"));
        assert_eq!(v4("::1").as_deref(), Some("::1"));
        for bad in [
            "256.0.0.1",
            "10.65536.1",
            "1.2.3.4.5",
            "a",
            "",
            "1..2",
            "08",
        ] {
            assert_eq!(v4(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_values_name_the_key() {
        for (s, key) in [
            ("postgres://h/db?sslmode=verify", "sslmode"),
            ("postgres://h/db?connect_timeout=ten", "connect_timeout"),
            (
                "postgres://h/db?target_session_attrs=x",
                "target_session_attrs",
            ),
            ("postgres://h/db?hostaddr=not-ip", "hostaddr"),
        ] {
            let e = DatabaseUrl::parse(s).unwrap_err().to_string();
            assert!(e.contains(key), "{s}: {e}");
        }
    }
}
