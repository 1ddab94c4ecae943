//! From a connection string (plus libpq's `PG*` variables) to typed
//! connection parameters, with a note for everything translated or ignored.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::{DatabaseUrl, Handling, Secret, UrlError, params};

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
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
    os_user: Option<String>,
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
        let vars: BTreeMap<String, String> = PG_VARS
            .iter()
            .filter_map(|(_, var)| std::env::var(var).ok().map(|v| (var.to_string(), v)))
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
            home: std::env::var_os("HOME").map(PathBuf::from),
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

fn invalid(key: &str, value: &str, expected: &str) -> UrlError {
    UrlError::Value {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

/// A numeric address as libpq reads `hostaddr` (getaddrinfo with
/// AI_NUMERICHOST): IPv6, or IPv4 in any form `inet_aton` takes (`127.1`,
/// `0x7f.1`, `017.0.0.1`, a single number).
pub fn numeric_host(s: &str) -> Option<IpAddr> {
    if let Ok(a) = s.parse::<IpAddr>() {
        return Some(a);
    }
    let part = |p: &str| -> Option<u64> {
        if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if h.is_empty() {
                return Some(0);
            }
            u64::from_str_radix(h, 16).ok()
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()
        } else if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let parts: Vec<u64> = s.split('.').map(part).collect::<Option<_>>()?;
    let (last, head) = parts.split_last()?;
    if head.len() > 3 || head.iter().any(|&p| p > 255) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut v: u64 = *last;
    for (i, p) in head.iter().enumerate() {
        v |= p << (24 - 8 * i as u32);
    }
    Some(IpAddr::V4(std::net::Ipv4Addr::from(v as u32)))
}

fn c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// An integer as libpq reads one (`parse_int_param`, with `strtol`): white
/// space before, an optional sign, digits, white space after; within a C int.
pub fn int_param(key: &str, v: &str) -> Result<i32, UrlError> {
    let bad = || invalid(key, v, "a whole number");
    let t = v.trim_start_matches(c_space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || !digits[n..].chars().all(c_space) {
        return Err(bad());
    }
    let magnitude: i64 = digits[..n].parse().map_err(|_| bad())?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).map_err(|_| bad())
}

/// Seconds (or another unit) that libpq reads as an int, a negative count as 0.
fn non_negative(key: &str, v: &str) -> Result<u64, UrlError> {
    int_param(key, v).map(|n| n.max(0) as u64)
}

/// libpq compares protocol versions without regard to case.
fn tls_version(key: &str, v: &str) -> Result<Option<TlsVersion>, UrlError> {
    let versions = [
        ("TLSv1", TlsVersion::Tls10),
        ("TLSv1.1", TlsVersion::Tls11),
        ("TLSv1.2", TlsVersion::Tls12),
        ("TLSv1.3", TlsVersion::Tls13),
    ];
    if v.is_empty() {
        return Ok(None);
    }
    versions
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(v))
        .map(|(_, t)| Some(*t))
        .ok_or_else(|| invalid(key, v, "TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3"))
}

impl ConnectSpec {
    /// Resolve the connection string as libpq would: values in the string
    /// win, then `PG*` variables, then libpq's defaults.
    pub fn resolve(url: &DatabaseUrl, env: &PgEnv) -> Result<ConnectSpec, UrlError> {
        let mut notes = Vec::new();
        // Effective raw values: key -> (value, source)
        let mut values: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (key, var) in PG_VARS {
            if let Some(v) = env.vars.get(*var) {
                values.insert(key.to_string(), (v.clone(), var.to_string()));
            }
        }
        // URL hosts and ports come as a list (authority form); join them.
        // Hosts and ports as libpq stores them: lists joined with commas.
        if let Some(h) = url.keyword("host") {
            values.remove("hostaddr");
            values.insert("host".into(), (h, "url".into()));
        }
        if let Some(p) = url.keyword("port") {
            values.insert("port".into(), (p, "url".into()));
        }
        for s in url.settings() {
            let (handling, why) = params::handling(&s.key, &s.value).expect("checked at parse");
            let shown = if super::parse::is_secret_key(&s.key) {
                super::MASK.to_string()
            } else {
                s.value.clone()
            };
            match handling {
                Handling::Used => {
                    if !matches!(s.key.as_str(), "host" | "port") {
                        values.insert(s.key.clone(), (s.value.clone(), "url".into()));
                    }
                }
                Handling::Translated => {
                    let key = if s.key == "requiressl" {
                        let mode = params::requiressl_to_sslmode(&s.value);
                        values.insert("sslmode".into(), (mode.into(), "url (requiressl)".into()));
                        "requiressl"
                    } else if s.key == "ssl" {
                        let mode = params::ssl_to_sslmode(&s.value).ok_or_else(|| {
                            invalid("ssl", &s.value, "true, false, require, disable, prefer, allow, verify-ca or verify-full")
                        })?;
                        values.insert("sslmode".into(), (mode.into(), "url (ssl)".into()));
                        "ssl"
                    } else {
                        values.insert(s.key.clone(), (s.value.clone(), "url".into()));
                        s.key.as_str()
                    };
                    notes.push(Note {
                        key: key.to_string(),
                        value: shown,
                        handling,
                        why,
                        source: "url".into(),
                    });
                }
                Handling::Ignored => notes.push(Note {
                    key: s.key.clone(),
                    value: shown,
                    handling,
                    why,
                    source: "url".into(),
                }),
                Handling::Refused => unreachable!("refused at parse"),
            }
        }
        // Not used, but libpq rejects a value outside its set (the last one written counts).
        if let Some(g) = url.get("gssencmode")
            && !matches!(g.value.as_str(), "disable" | "prefer" | "require")
        {
            return Err(invalid(
                "gssencmode",
                &g.value,
                "disable, prefer or require",
            ));
        }
        for (key, (value, source)) in &values {
            if source.starts_with("PG") {
                notes.push(Note {
                    key: key.clone(),
                    value: if key == "password" {
                        super::MASK.into()
                    } else {
                        value.clone()
                    },
                    handling: Handling::Used,
                    why: format!("not in the connection string; taken from {source} as libpq does"),
                    source: source.clone(),
                });
            }
        }
        // An empty value is no value for most keys (host, port, user…), as
        // in libpq; for a setting with a fixed set of values, or a number,
        // libpq rejects it, and so does neonops (`set`).
        let get = |k: &str| {
            values
                .get(k)
                .map(|(v, _)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let set = |k: &str| values.get(k).map(|(v, _)| v.as_str());

        // Hosts, ports, hostaddrs.
        // Lists are split at commas and not trimmed, as libpq does.
        let host_list: Vec<String> = get("host")
            .map(|h| h.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let addr_list: Vec<String> = get("hostaddr")
            .map(|h| h.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let n = host_list.len().max(addr_list.len()).max(1);
        if !host_list.is_empty() && !addr_list.is_empty() && host_list.len() != addr_list.len() {
            return Err(UrlError::Other(format!(
                "{} hosts but {} hostaddr values: give one hostaddr per host",
                host_list.len(),
                addr_list.len()
            )));
        }
        let port_list: Vec<&str> = values
            .get("port")
            .filter(|(p, _)| !p.is_empty())
            .map(|(p, _)| p.split(',').collect())
            .unwrap_or_default();
        if port_list.len() > 1 && port_list.len() != n {
            return Err(UrlError::Other(format!(
                "{n} hosts but {} ports: give one port, or one per host",
                port_list.len()
            )));
        }
        let mut targets = Vec::with_capacity(n);
        for i in 0..n {
            let port_s = if port_list.len() == 1 {
                port_list[0]
            } else {
                port_list.get(i).copied().unwrap_or("")
            };
            let port = if port_s.is_empty() {
                5432
            } else {
                int_param("port", port_s)
                    .ok()
                    .and_then(|p| u16::try_from(p).ok())
                    .filter(|p| *p != 0)
                    .ok_or_else(|| invalid("port", port_s, "a number from 1 to 65535"))?
            };
            let hostaddr = match addr_list.get(i).filter(|a| !a.is_empty()) {
                Some(a) => Some(
                    numeric_host(a)
                        .ok_or_else(|| invalid("hostaddr", a, "a numeric IPv4 or IPv6 address"))?,
                ),
                None => None,
            };
            let host = match host_list.get(i).filter(|h| !h.is_empty()) {
                Some(h) => h.clone(),
                None => match hostaddr {
                    Some(a) => a.to_string(),
                    None => default_socket_dir(),
                },
            };
            targets.push(Target {
                host,
                port,
                hostaddr,
            });
        }

        let user = get("user")
            .map(str::to_string)
            .or_else(|| env.os_user.clone())
            .unwrap_or_else(|| "postgres".into());
        let dbname = get("dbname")
            .map(str::to_string)
            .unwrap_or_else(|| user.clone());
        let password = values.get("password").map(|(v, _)| Secret::new(v.clone()));

        let rootcert = match get("sslrootcert") {
            Some("system") => RootCert::System,
            Some(p) => RootCert::File(PathBuf::from(p)),
            None => match &env.home {
                Some(h) if h.join(".postgresql/root.crt").is_file() => {
                    RootCert::File(h.join(".postgresql/root.crt"))
                }
                _ => RootCert::None,
            },
        };
        let sslmode = match set("sslmode") {
            Some(m) => SslMode::parse(m).ok_or_else(|| {
                invalid(
                    "sslmode",
                    m,
                    "disable, allow, prefer, require, verify-ca or verify-full",
                )
            })?,
            None if rootcert == RootCert::System => SslMode::VerifyFull,
            None => SslMode::Prefer,
        };
        if rootcert == RootCert::System && sslmode != SslMode::VerifyFull {
            return Err(UrlError::Other(format!(
                "weak sslmode \"{}\" may not be used with sslrootcert=system (use \"verify-full\")",
                sslmode.as_str()
            )));
        }
        let client_cert = match set("sslcertmode") {
            Some("disable") => None,
            Some(m @ ("allow" | "require")) => match (get("sslcert"), get("sslkey")) {
                (Some(c), Some(k)) => Some((PathBuf::from(c), PathBuf::from(k))),
                _ if m == "require" => {
                    return Err(UrlError::Other(
                        "sslcertmode=require needs sslcert and sslkey".into(),
                    ));
                }
                _ => None,
            },
            Some(m) => return Err(invalid("sslcertmode", m, "disable, allow or require")),
            None => match (get("sslcert"), get("sslkey")) {
                (Some(c), Some(k)) => Some((PathBuf::from(c), PathBuf::from(k))),
                (Some(_), None) | (None, Some(_)) => {
                    return Err(UrlError::Other(
                        "a client certificate needs both sslcert and sslkey".into(),
                    ));
                }
                (None, None) => None,
            },
        };
        let channel_binding = match set("channel_binding") {
            None | Some("prefer") => ChannelBinding::Prefer,
            Some("disable") => ChannelBinding::Disable,
            Some("require") => ChannelBinding::Require,
            Some(v) => return Err(invalid("channel_binding", v, "disable, prefer or require")),
        };
        let connect_timeout = match set("connect_timeout") {
            None => None,
            // libpq: 0 or less waits forever; 1 is raised to 2.
            Some(v) => match int_param("connect_timeout", v)? {
                ..=0 => None,
                1 => Some(Duration::from_secs(2)),
                n => Some(Duration::from_secs(n as u64)),
            },
        };
        let target_session_attrs = match set("target_session_attrs") {
            None | Some("any") => SessionAttrs::Any,
            Some("read-write") => SessionAttrs::ReadWrite,
            Some("read-only") => SessionAttrs::ReadOnly,
            Some("primary") => SessionAttrs::Primary,
            Some("standby") => SessionAttrs::Standby,
            Some("prefer-standby") => SessionAttrs::PreferStandby,
            Some(v) => {
                return Err(invalid(
                    "target_session_attrs",
                    v,
                    "any, read-write, read-only, primary, standby or prefer-standby",
                ));
            }
        };
        let load_balance_hosts = match set("load_balance_hosts") {
            None | Some("disable") => false,
            Some("random") => true,
            Some(v) => return Err(invalid("load_balance_hosts", v, "disable or random")),
        };
        let direct_tls = match set("sslnegotiation") {
            None | Some("postgres") => false,
            Some("direct") => {
                if sslmode < SslMode::Require {
                    return Err(UrlError::Other(format!(
                        "weak sslmode \"{}\" may not be used with sslnegotiation=direct (use \"require\" or stronger)",
                        sslmode.as_str()
                    )));
                }
                true
            }
            Some(v) => return Err(invalid("sslnegotiation", v, "postgres or direct")),
        };
        let opt_secs = |k: &str| {
            set(k)
                .map(|v| non_negative(k, v).map(Duration::from_secs))
                .transpose()
        };
        let tcp_user_timeout = set("tcp_user_timeout")
            .map(|v| non_negative("tcp_user_timeout", v).map(Duration::from_millis))
            .transpose()?;
        let ssl_min_protocol = get("ssl_min_protocol_version")
            .map(|v| tls_version("ssl_min_protocol_version", v))
            .transpose()?
            .flatten();
        let ssl_max_protocol = get("ssl_max_protocol_version")
            .map(|v| tls_version("ssl_max_protocol_version", v))
            .transpose()?
            .flatten();
        if let (Some(min), Some(max)) = (ssl_min_protocol, ssl_max_protocol)
            && min > max
        {
            return Err(UrlError::Other(
                "invalid SSL protocol version range: ssl_min_protocol_version is above ssl_max_protocol_version".into(),
            ));
        }

        Ok(ConnectSpec {
            targets,
            user,
            password,
            passfile: get("passfile")
                .map(PathBuf::from)
                .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass"))),
            dbname,
            application_name: get("application_name").map(str::to_string),
            fallback_application_name: get("fallback_application_name").map(str::to_string),
            options: get("options").map(str::to_string),
            sslmode,
            rootcert,
            client_cert,
            // libpq sends SNI when the value starts with 1, whatever follows.
            sslsni: values.get("sslsni").is_none_or(|(v, _)| v.starts_with('1')),
            channel_binding,
            connect_timeout,
            keepalives: set("keepalives")
                .map(|v| int_param("keepalives", v).map(|n| n != 0))
                .transpose()?
                .unwrap_or(true),
            keepalives_idle: opt_secs("keepalives_idle")?,
            keepalives_interval: opt_secs("keepalives_interval")?,
            keepalives_count: set("keepalives_count")
                .map(|v| non_negative("keepalives_count", v).map(|n| n as u32))
                .transpose()?,
            tcp_user_timeout,
            target_session_attrs,
            load_balance_hosts,
            ssl_min_protocol,
            ssl_max_protocol,
            direct_tls,
            search_path: get("schema").map(str::to_string),
            notes,
        })
    }

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

fn default_socket_dir() -> String {
    for d in ["/var/run/postgresql", "/tmp"] {
        if std::path::Path::new(d).is_dir() {
            return d.to_string();
        }
    }
    "localhost".to_string()
}

#[cfg(test)]
mod tests {
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
