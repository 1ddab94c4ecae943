//! Resolving a connection string as libpq does: values in the string win,
//! then `PG*` variables, then libpq's defaults; every value checked against
//! what libpq accepts, and a note for everything translated or ignored.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::spec::{
    ChannelBinding, ConnectSpec, Note, PG_VARS, PgEnv, RootCert, SessionAttrs, SslMode, Target,
    TlsVersion,
};
use super::{DatabaseUrl, Handling, Secret, UrlError, params};

impl ConnectSpec {
    /// Resolve the connection string as libpq would: values in the string
    /// win, then `PG*` variables, then libpq's defaults.
    pub fn resolve(url: &DatabaseUrl, env: &PgEnv) -> Result<ConnectSpec, UrlError> {
        let (v, notes) = Values::gather(url, env)?;
        let targets = targets(&v)?;
        let user = v
            .get("user")
            .map(str::to_string)
            .or_else(|| env.os_user.clone())
            .unwrap_or_else(|| "postgres".into());
        let dbname = v
            .get("dbname")
            .map(str::to_string)
            .unwrap_or_else(|| user.clone());
        let tls = Tls::resolve(&v, env)?;
        let opt_secs = |k: &str| {
            v.set(k)
                .map(|s| non_negative(k, s).map(Duration::from_secs))
                .transpose()
        };
        Ok(ConnectSpec {
            targets,
            user,
            password: v.0.get("password").map(|(p, _)| Secret::new(p.clone())),
            passfile: v
                .get("passfile")
                .map(PathBuf::from)
                .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass"))),
            dbname,
            application_name: v.get("application_name").map(str::to_string),
            fallback_application_name: v.get("fallback_application_name").map(str::to_string),
            options: v.get("options").map(str::to_string),
            sslmode: tls.sslmode,
            rootcert: tls.rootcert,
            client_cert: tls.client_cert,
            // libpq sends SNI when the value starts with 1, whatever follows.
            sslsni: v.0.get("sslsni").is_none_or(|(s, _)| s.starts_with('1')),
            channel_binding: v.choice(
                "channel_binding",
                ChannelBinding::Prefer,
                &[
                    ("prefer", ChannelBinding::Prefer),
                    ("disable", ChannelBinding::Disable),
                    ("require", ChannelBinding::Require),
                ],
                "disable, prefer or require",
            )?,
            connect_timeout: match v.set("connect_timeout") {
                None => None,
                // libpq: 0 or less waits forever; 1 is raised to 2.
                Some(s) => match int_param("connect_timeout", s)? {
                    ..=0 => None,
                    1 => Some(Duration::from_secs(2)),
                    n => Some(Duration::from_secs(n as u64)),
                },
            },
            keepalives: v
                .set("keepalives")
                .map(|s| int_param("keepalives", s).map(|n| n != 0))
                .transpose()?
                .unwrap_or(true),
            keepalives_idle: opt_secs("keepalives_idle")?,
            keepalives_interval: opt_secs("keepalives_interval")?,
            keepalives_count: v
                .set("keepalives_count")
                .map(|s| non_negative("keepalives_count", s).map(|n| n as u32))
                .transpose()?,
            tcp_user_timeout: v
                .set("tcp_user_timeout")
                .map(|s| non_negative("tcp_user_timeout", s).map(Duration::from_millis))
                .transpose()?,
            target_session_attrs: v.choice(
                "target_session_attrs",
                SessionAttrs::Any,
                &[
                    ("any", SessionAttrs::Any),
                    ("read-write", SessionAttrs::ReadWrite),
                    ("read-only", SessionAttrs::ReadOnly),
                    ("primary", SessionAttrs::Primary),
                    ("standby", SessionAttrs::Standby),
                    ("prefer-standby", SessionAttrs::PreferStandby),
                ],
                "any, read-write, read-only, primary, standby or prefer-standby",
            )?,
            load_balance_hosts: v.choice(
                "load_balance_hosts",
                false,
                &[("disable", false), ("random", true)],
                "disable or random",
            )?,
            ssl_min_protocol: tls.min_protocol,
            ssl_max_protocol: tls.max_protocol,
            direct_tls: tls.direct,
            search_path: v.get("schema").map(str::to_string),
            notes,
        })
    }
}

/// The raw values in force, by libpq keyword: each with where it came from
/// (`url`, how the URL said it, or the variable).
struct Values(BTreeMap<String, (String, String)>);

impl Values {
    /// The `PG*` variables, overridden by the connection string's settings;
    /// a note for each setting translated or ignored and each value taken
    /// from the environment.
    fn gather(url: &DatabaseUrl, env: &PgEnv) -> Result<(Values, Vec<Note>), UrlError> {
        let mut values = BTreeMap::new();
        for (key, var) in PG_VARS {
            if let Some(v) = env.vars.get(*var) {
                values.insert(key.to_string(), (v.clone(), var.to_string()));
            }
        }
        let mut v = Values(values);
        let mut notes = v.take_url(url)?;
        for (key, (value, source)) in &v.0 {
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
        Ok((v, notes))
    }

    /// The connection string's settings, over the environment's.
    fn take_url(&mut self, url: &DatabaseUrl) -> Result<Vec<Note>, UrlError> {
        let values = &mut self.0;
        let mut notes = Vec::new();
        // Hosts and ports as libpq stores them: lists joined with commas
        // (the URL's authority may list several).
        if let Some(h) = url.keyword("host") {
            values.remove("hostaddr");
            values.insert("host".into(), (h, "url".into()));
        }
        if let Some(p) = url.keyword("port") {
            values.insert("port".into(), (p, "url".into()));
        }
        for s in url.settings() {
            let (handling, why) = params::handling(&s.key, &s.value).expect("checked at parse");
            let note = |key: &str| Note {
                key: key.to_string(),
                value: if super::parse::is_secret_key(&s.key) {
                    super::MASK.to_string()
                } else {
                    s.value.clone()
                },
                handling,
                why: why.clone(),
                source: "url".into(),
            };
            match handling {
                Handling::Used => {
                    if !matches!(s.key.as_str(), "host" | "port") {
                        values.insert(s.key.clone(), (s.value.clone(), "url".into()));
                    }
                }
                Handling::Translated => {
                    let mode = match s.key.as_str() {
                        "requiressl" => Some(params::requiressl_to_sslmode(&s.value)),
                        "ssl" => Some(params::ssl_to_sslmode(&s.value).ok_or_else(|| {
                            invalid("ssl", &s.value, "true, false, require, disable, prefer, allow, verify-ca or verify-full")
                        })?),
                        _ => None,
                    };
                    match mode {
                        Some(mode) => values
                            .insert("sslmode".into(), (mode.into(), format!("url ({})", s.key))),
                        None => values.insert(s.key.clone(), (s.value.clone(), "url".into())),
                    };
                    notes.push(note(&s.key));
                }
                Handling::Ignored => notes.push(note(&s.key)),
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
        Ok(notes)
    }

    /// A value, if not empty: an empty value is no value for most keys
    /// (host, port, user…), as in libpq.
    fn get(&self, k: &str) -> Option<&str> {
        self.set(k).filter(|v| !v.is_empty())
    }

    /// A value, even empty: for a setting with a fixed set of values, or a
    /// number, libpq rejects an empty one, and so does neonops.
    fn set(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(|(v, _)| v.as_str())
    }

    /// One of a fixed set of values (`default` when not set).
    fn choice<T: Copy>(
        &self,
        key: &str,
        default: T,
        options: &[(&str, T)],
        expected: &str,
    ) -> Result<T, UrlError> {
        match self.set(key) {
            None => Ok(default),
            Some(v) => options
                .iter()
                .find(|(name, _)| *name == v)
                .map(|(_, t)| *t)
                .ok_or_else(|| invalid(key, v, expected)),
        }
    }
}

/// Hosts, ports, hostaddrs: lists split at commas and not trimmed, as
/// libpq does; one target for each host (or hostaddr).
fn targets(v: &Values) -> Result<Vec<Target>, UrlError> {
    let list =
        |k: &str| -> Vec<&str> { v.get(k).map(|s| s.split(',').collect()).unwrap_or_default() };
    let (host_list, addr_list, port_list) = (list("host"), list("hostaddr"), list("port"));
    let n = host_list.len().max(addr_list.len()).max(1);
    if !host_list.is_empty() && !addr_list.is_empty() && host_list.len() != addr_list.len() {
        return Err(UrlError::Other(format!(
            "{} hosts but {} hostaddr values: give one hostaddr per host",
            host_list.len(),
            addr_list.len()
        )));
    }
    if port_list.len() > 1 && port_list.len() != n {
        return Err(UrlError::Other(format!(
            "{n} hosts but {} ports: give one port, or one per host",
            port_list.len()
        )));
    }
    (0..n)
        .map(|i| {
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
                Some(h) => h.to_string(),
                None => match hostaddr {
                    Some(a) => a.to_string(),
                    None => default_socket_dir(),
                },
            };
            Ok(Target {
                host,
                port,
                hostaddr,
            })
        })
        .collect()
}

/// The TLS settings, checked together as libpq checks them.
struct Tls {
    sslmode: SslMode,
    rootcert: RootCert,
    client_cert: Option<(PathBuf, PathBuf)>,
    direct: bool,
    min_protocol: Option<TlsVersion>,
    max_protocol: Option<TlsVersion>,
}

impl Tls {
    fn resolve(v: &Values, env: &PgEnv) -> Result<Tls, UrlError> {
        let rootcert = match v.get("sslrootcert") {
            Some("system") => RootCert::System,
            Some(p) => RootCert::File(PathBuf::from(p)),
            None => match &env.home {
                Some(h) if h.join(".postgresql/root.crt").is_file() => {
                    RootCert::File(h.join(".postgresql/root.crt"))
                }
                _ => RootCert::None,
            },
        };
        let sslmode = match v.set("sslmode") {
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
        let direct = v.choice(
            "sslnegotiation",
            false,
            &[("postgres", false), ("direct", true)],
            "postgres or direct",
        )?;
        if direct && sslmode < SslMode::Require {
            return Err(UrlError::Other(format!(
                "weak sslmode \"{}\" may not be used with sslnegotiation=direct (use \"require\" or stronger)",
                sslmode.as_str()
            )));
        }
        let protocol = |k: &str| {
            v.get(k)
                .map(|s| tls_version(k, s))
                .transpose()
                .map(Option::flatten)
        };
        let (min_protocol, max_protocol) = (
            protocol("ssl_min_protocol_version")?,
            protocol("ssl_max_protocol_version")?,
        );
        if let (Some(min), Some(max)) = (min_protocol, max_protocol)
            && min > max
        {
            return Err(UrlError::Other(
                "invalid SSL protocol version range: ssl_min_protocol_version is above ssl_max_protocol_version".into(),
            ));
        }
        Ok(Tls {
            sslmode,
            rootcert,
            client_cert: client_cert(v)?,
            direct,
            min_protocol,
            max_protocol,
        })
    }
}

/// The client certificate and key, as `sslcertmode` wants them.
fn client_cert(v: &Values) -> Result<Option<(PathBuf, PathBuf)>, UrlError> {
    let pair = match (v.get("sslcert"), v.get("sslkey")) {
        (Some(c), Some(k)) => Some((PathBuf::from(c), PathBuf::from(k))),
        _ => None,
    };
    match v.set("sslcertmode") {
        Some("disable") => Ok(None),
        Some("allow") => Ok(pair),
        Some("require") => pair
            .map(Some)
            .ok_or_else(|| UrlError::Other("sslcertmode=require needs sslcert and sslkey".into())),
        Some(m) => Err(invalid("sslcertmode", m, "disable, allow or require")),
        None if pair.is_none() && (v.get("sslcert").is_some() || v.get("sslkey").is_some()) => Err(
            UrlError::Other("a client certificate needs both sslcert and sslkey".into()),
        ),
        None => Ok(pair),
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
pub(super) fn numeric_host(s: &str) -> Option<IpAddr> {
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
pub(super) fn int_param(key: &str, v: &str) -> Result<i32, UrlError> {
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

fn default_socket_dir() -> String {
    for d in ["/var/run/postgresql", "/tmp"] {
        if std::path::Path::new(d).is_dir() {
            return d.to_string();
        }
    }
    "localhost".to_string()
}
