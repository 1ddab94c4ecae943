//! The endpoint model: a parsed connection string that can only display
//! itself redacted, classified as a Neon pooled/direct endpoint, a declared
//! pooler, or plain PostgreSQL, and converted between pooled and direct by
//! editing exactly the host (for Neon: its first DNS label).

pub mod advice;
pub mod locality;
pub mod neon;
pub mod params;
pub mod parse;
mod pooler;
mod resolve;
pub mod secret;
pub mod spec;

use std::fmt;

use serde::Serialize;
use thiserror::Error;

pub use locality::Locality;
pub use neon::NeonHost;
pub use params::Handling;
pub use parse::{Form, Origin, Setting, Span};
pub use pooler::{PoolMode, Pooler, Recognised};
pub use secret::{MASK, Secret};
pub use spec::{ConnectSpec, PgEnv};

#[derive(Debug, Error)]
pub enum UrlError {
    #[error(transparent)]
    Lex(#[from] parse::LexError),
    #[error(
        "unknown parameter \"{0}\": not a libpq keyword nor a known Prisma/asyncpg parameter (check the spelling, or remove it)"
    )]
    Unknown(String),
    #[error("parameter \"{key}\" is not supported: {why}")]
    Refused { key: String, why: String },
    #[error("invalid value {value:?} for \"{key}\": {expected}")]
    Value {
        key: String,
        value: String,
        expected: String,
    },
    #[error("{0}")]
    Other(String),
}

/// A database connection string. `Display`/`Debug`/`Serialize` mask the
/// password; the whole string is reachable only through
/// [`DatabaseUrl::reveal_for_export`] (used by `url --show-password`), and the
/// password alone through [`Secret::expose_to_connection`].
#[derive(Clone)]
pub struct DatabaseUrl {
    raw: String,
    form: Form,
    settings: Vec<Setting>,
}

/// One host of the (possibly multi-host) connection string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostRef {
    pub name: String,
    /// The port as written for this host, if any.
    pub port: Option<u16>,
    /// Where the host's text is in the raw string (editable in place).
    pub span: Option<Span>,
    /// Where the port's text is, when written next to this host.
    pub port_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EndpointKind {
    NeonPooled {
        neon: NeonHost,
    },
    NeonDirect {
        neon: NeonHost,
    },
    /// A pooler declared in neonops.toml.
    DeclaredPooler {
        pooler: String,
        can_bypass: bool,
        mode: PoolMode,
    },
    /// The direct side of a declared pooler.
    DeclaredDirect {
        pooler: String,
    },
    /// A pooler recognised by its host or port (not declared).
    KnownPooler {
        #[serde(flatten)]
        pooler: Recognised,
    },
    Postgres,
}

impl EndpointKind {
    pub fn is_pooled(&self) -> bool {
        match self {
            EndpointKind::NeonPooled { .. } => true,
            EndpointKind::DeclaredPooler { mode, .. } => mode.breaks_sessions(),
            EndpointKind::KnownPooler { pooler } => pooler.mode.breaks_sessions(),
            _ => false,
        }
    }

    /// What was assumed about it and why, for a pooler recognised by URL.
    pub fn assumption(&self) -> Option<String> {
        match self {
            EndpointKind::KnownPooler { pooler } => Some(format!(
                "taken for {} in {} mode: {}",
                pooler.product,
                pooler.mode.as_str(),
                pooler.why
            )),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            EndpointKind::NeonPooled { .. } => "Neon pooled endpoint (PgBouncer, transaction mode)",
            EndpointKind::NeonDirect { .. } => "Neon direct endpoint",
            EndpointKind::DeclaredPooler { .. } => "connection pooler (declared in neonops.toml)",
            EndpointKind::KnownPooler { pooler } if pooler.mode.breaks_sessions() => {
                "connection pooler (recognised by its host or port)"
            }
            EndpointKind::KnownPooler { .. } => "session pooler (recognised by its host or port)",
            EndpointKind::DeclaredDirect { .. } => "direct endpoint behind a declared pooler",
            EndpointKind::Postgres => "PostgreSQL (no pooler known)",
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConvertError {
    #[error(
        "{host} is not a Neon endpoint and no pooler in neonops.toml matches it, so neonops cannot tell its {want} counterpart: give the {want} URL yourself, or declare the pooler under [[pooler]] in neonops.toml"
    )]
    Unknown { host: String, want: &'static str },
    #[error(
        "{host} is behind the pooler \"{pooler}\" declared in neonops.toml, which has no direct_host: add direct_host (and direct_port) to that [[pooler]] entry, or give the direct URL with --direct-url"
    )]
    NoBypass { host: String, pooler: String },
    #[error(
        "the host {0} is written with escapes or percent-encoding, so neonops cannot edit it in place: write it plainly"
    )]
    NotVerbatim(String),
    #[error(
        "the connection string names no host (libpq then connects to a local server through the Unix socket in its default directory), so there is no {want} endpoint to derive: give the {want} URL yourself"
    )]
    NoHost { want: &'static str },
}

impl DatabaseUrl {
    /// Parse a connection string held as a secret (one the Neon API handed
    /// out, password included): the password stays inside the URL, which
    /// displays itself redacted.
    pub fn parse_secret(input: &Secret) -> Result<Self, UrlError> {
        Self::parse(input.expose_to_connection())
    }

    /// Parse and validate every parameter (unknown ones are errors).
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let lexed = parse::lex(input)?;
        // Remember every secret as written and as decoded, for the scrubber.
        for s in lexed
            .settings
            .iter()
            .filter(|s| parse::is_secret_key(&s.key))
        {
            secret::remember(&s.value);
            secret::remember(&input[s.span.clone()]);
        }
        let url = DatabaseUrl {
            raw: input.to_string(),
            form: lexed.form,
            settings: lexed.settings,
        };
        url.check_parameters()?;
        Ok(url)
    }

    /// No connection string at all: libpq's `PG*` variables and defaults
    /// decide, read as the key=value string they amount to.
    pub fn from_pg_env(env: &PgEnv) -> Result<Self, UrlError> {
        let text = env.keyword_string();
        if text.is_empty() {
            return Ok(DatabaseUrl {
                raw: String::new(),
                form: Form::KeyValue,
                settings: Vec::new(),
            });
        }
        DatabaseUrl::parse(&text)
    }

    fn check_parameters(&self) -> Result<(), UrlError> {
        for s in &self.settings {
            match params::handling(&s.key, &s.value) {
                None => return Err(UrlError::Unknown(s.key.clone())),
                Some((Handling::Refused, why)) => {
                    return Err(UrlError::Refused {
                        key: s.key.clone(),
                        why,
                    });
                }
                Some(_) => {}
            }
        }
        // Values are checked by building the spec with no environment.
        spec::ConnectSpec::resolve(self, &PgEnv::empty()).map(|_| ())
    }

    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn settings(&self) -> &[Setting] {
        &self.settings
    }

    /// The effective value of a key: the last one written wins, as in libpq.
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.key == key)
    }

    /// The value libpq gives `key` for this string (what `PQconninfoParse`
    /// returns): the last one written wins; the URI's hosts and their ports
    /// are each joined with commas (an empty list is no value), as libpq
    /// joins them.
    pub fn keyword(&self, key: &str) -> Option<String> {
        if key == "sslmode" {
            // libpq stores ssl=true and requiressl as sslmode, in order.
            return self
                .settings
                .iter()
                .fold(None, |mode, s| match s.key.as_str() {
                    "sslmode" => Some(s.value.clone()),
                    "ssl" => params::ssl_to_sslmode(&s.value)
                        .map(str::to_string)
                        .or(mode),
                    "requiressl" => Some(params::requiressl_to_sslmode(&s.value).to_string()),
                    _ => mode,
                });
        }
        // A query parameter comes after the authority: it wins.
        if let Some(last) = self.get(key)
            && last.origin != Origin::Authority
        {
            return Some(last.value.clone());
        }
        if !matches!(key, "host" | "port") {
            return None;
        }
        let mut hosts: Vec<&str> = Vec::new();
        let mut ports: Vec<&str> = Vec::new();
        for s in self
            .settings
            .iter()
            .filter(|s| s.origin == Origin::Authority)
        {
            match s.key.as_str() {
                "host" => {
                    hosts.push(&s.value);
                    ports.push("");
                }
                _ => {
                    if let Some(p) = ports.last_mut() {
                        *p = &s.value;
                    }
                }
            }
        }
        let joined = if key == "host" { hosts } else { ports }.join(",");
        (!joined.is_empty()).then_some(joined)
    }

    /// The whole string with the password. Used only by `neonops url direct|pooled
    /// --show-password`, the one place a password is ever printed.
    pub fn reveal_for_export(&self) -> &str {
        &self.raw
    }

    /// The string as written, with every secret masked.
    pub fn redacted(&self) -> String {
        let mut spans: Vec<&Span> = self
            .settings
            .iter()
            .filter(|s| parse::is_secret_key(&s.key))
            .map(|s| &s.span)
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.start));
        let mut out = self.raw.clone();
        for span in spans {
            out.replace_range(span.clone(), MASK);
        }
        out
    }

    pub fn has_password(&self) -> bool {
        self.get("password").is_some_and(|s| !s.value.is_empty())
    }

    /// The hosts as written (empty when the string names none).
    pub fn hosts(&self) -> Vec<HostRef> {
        let Some(last) = self.get("host") else {
            return Vec::new();
        };
        if last.origin == Origin::Authority {
            let mut hosts: Vec<HostRef> = Vec::new();
            for s in self
                .settings
                .iter()
                .filter(|s| s.origin == Origin::Authority)
            {
                match s.key.as_str() {
                    "host" => hosts.push(HostRef {
                        name: s.value.clone(),
                        port: None,
                        span: s.verbatim.then(|| s.span.clone()),
                        port_span: None,
                    }),
                    "port" => {
                        if let Some(h) = hosts.last_mut() {
                            h.port = s.value.parse().ok();
                            h.port_span = Some(s.span.clone());
                        }
                    }
                    _ => {}
                }
            }
            // A later port= keyword overrides authority ports.
            if let Some(p) = self.get("port").filter(|p| p.origin != Origin::Authority) {
                apply_port_list(&mut hosts, &p.value);
            }
            return hosts;
        }
        let mut offset = last.span.start;
        let mut hosts: Vec<HostRef> = last
            .value
            .split(',')
            .map(|name| {
                let span = offset..offset + name.len();
                offset += name.len() + 1;
                HostRef {
                    name: name.trim().to_string(),
                    port: None,
                    span: (last.verbatim && name.trim() == name).then_some(span),
                    port_span: None,
                }
            })
            .collect();
        if let Some(p) = self.get("port") {
            apply_port_list(&mut hosts, &p.value);
            if hosts.len() == 1 && p.verbatim && !p.value.contains(',') {
                hosts[0].port_span = Some(p.span.clone());
            }
        }
        hosts
    }

    /// Classify every host.
    pub fn classify(&self, poolers: &[Pooler]) -> Vec<(HostRef, EndpointKind)> {
        self.hosts()
            .into_iter()
            .map(|h| {
                let kind = classify_host(&h, poolers);
                (h, kind)
            })
            .collect()
    }

    /// The kind of the endpoint (from the first host; mixed lists are
    /// reported by `explain`).
    pub fn kind(&self, poolers: &[Pooler]) -> EndpointKind {
        self.classify(poolers)
            .into_iter()
            .next()
            .map(|(_, k)| k)
            .unwrap_or(EndpointKind::Postgres)
    }

    pub fn to_direct(&self, poolers: &[Pooler]) -> Result<DatabaseUrl, ConvertError> {
        self.convert(poolers, false)
    }

    pub fn to_pooled(&self, poolers: &[Pooler]) -> Result<DatabaseUrl, ConvertError> {
        self.convert(poolers, true)
    }

    fn convert(&self, poolers: &[Pooler], want_pooled: bool) -> Result<DatabaseUrl, ConvertError> {
        let want = if want_pooled { "pooled" } else { "direct" };
        let classified = self.classify(poolers);
        if classified.is_empty() || classified.iter().all(|(h, _)| h.name.is_empty()) {
            return Err(ConvertError::NoHost { want });
        }
        // (span, replacement), applied from the end of the string.
        let mut edits: Vec<(Span, String)> = Vec::new();
        for (host, kind) in &classified {
            let span = || {
                host.span
                    .clone()
                    .ok_or_else(|| ConvertError::NotVerbatim(host.name.clone()))
            };
            match kind {
                EndpointKind::NeonPooled { neon } | EndpointKind::NeonDirect { neon } => {
                    if neon.pooled != want_pooled {
                        let s = span()?;
                        edits.push((
                            s.start..s.start + neon.first_label_len,
                            neon::first_label(neon, want_pooled),
                        ));
                    }
                }
                EndpointKind::DeclaredPooler { pooler, .. } if !want_pooled => {
                    let p = poolers.iter().find(|p| &p.name == pooler).expect("matched");
                    let Some(direct_host) = &p.direct_host else {
                        return Err(ConvertError::NoBypass {
                            host: host.name.clone(),
                            pooler: pooler.clone(),
                        });
                    };
                    self.swap_host(host, direct_host, p.direct_port, &mut edits)?;
                }
                EndpointKind::DeclaredDirect { pooler } if want_pooled => {
                    let p = poolers.iter().find(|p| &p.name == pooler).expect("matched");
                    self.swap_host(host, &p.host, p.port, &mut edits)?;
                }
                EndpointKind::DeclaredPooler { .. } | EndpointKind::DeclaredDirect { .. } => {}
                EndpointKind::KnownPooler { .. } | EndpointKind::Postgres => {
                    return Err(ConvertError::Unknown {
                        host: match host.name.as_str() {
                            "" => "the local Unix socket (libpq's default directory)".into(),
                            h if h.starts_with('/') => format!("the Unix socket in {h}"),
                            h => h.to_string(),
                        },
                        want,
                    });
                }
            }
        }
        edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
        let mut raw = self.raw.clone();
        for (span, text) in edits {
            raw.replace_range(span, &text);
        }
        Ok(DatabaseUrl::parse(&raw).expect("an edited host keeps the string valid"))
    }

    fn swap_host(
        &self,
        host: &HostRef,
        new_host: &str,
        new_port: Option<u16>,
        edits: &mut Vec<(Span, String)>,
    ) -> Result<(), ConvertError> {
        let span = host
            .span
            .clone()
            .ok_or_else(|| ConvertError::NotVerbatim(host.name.clone()))?;
        match (new_port, &host.port_span) {
            (Some(p), Some(ps)) => edits.push((ps.clone(), p.to_string())),
            (Some(p), None) if p != 5432 => {
                let suffix = match self.form {
                    Form::Uri { .. } => format!(":{p}"),
                    Form::KeyValue => {
                        edits.push((self.raw.len()..self.raw.len(), format!(" port={p}")));
                        String::new()
                    }
                };
                edits.push((span.clone(), format!("{new_host}{suffix}")));
                return Ok(());
            }
            _ => {}
        }
        edits.push((span, new_host.to_string()));
        Ok(())
    }
}

impl DatabaseUrl {
    /// The same connection string naming another database: the database
    /// is replaced where it is written, else added as a parameter
    /// (`?dbname=` or ` dbname=`), which libpq lets win.
    pub fn with_database(&self, db: &str) -> DatabaseUrl {
        const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let uri = matches!(self.form, Form::Uri { .. });
        let escaped = db.replace('\\', "\\\\").replace('\'', "\\'");
        let mut raw = self.raw.clone();
        match self.get("dbname") {
            Some(s) if s.verbatim && !s.value.is_empty() => {
                let quoted = s.span.start > 0 && raw.as_bytes()[s.span.start - 1] == b'\'';
                let text = if uri {
                    percent_encoding::utf8_percent_encode(db, PATH).to_string()
                } else if quoted {
                    escaped
                } else {
                    format!("'{escaped}'")
                };
                raw.replace_range(s.span.clone(), &text);
            }
            _ if uri => {
                let sep = if raw.contains('?') { '&' } else { '?' };
                raw.push_str(&format!(
                    "{sep}dbname={}",
                    percent_encoding::utf8_percent_encode(db, PATH)
                ));
            }
            _ => raw.push_str(&format!(" dbname='{escaped}'")),
        }
        DatabaseUrl::parse(&raw).expect("a database name keeps the string valid")
    }
}

fn apply_port_list(hosts: &mut [HostRef], list: &str) {
    let ports: Vec<Option<u16>> = list.split(',').map(|p| p.trim().parse().ok()).collect();
    for (i, h) in hosts.iter_mut().enumerate() {
        h.port = if ports.len() == 1 {
            ports[0]
        } else {
            ports.get(i).copied().flatten()
        };
        h.port_span = None;
    }
}

fn classify_host(host: &HostRef, poolers: &[Pooler]) -> EndpointKind {
    for p in poolers {
        if p.matches(&host.name, host.port) {
            return EndpointKind::DeclaredPooler {
                pooler: p.name.clone(),
                can_bypass: p.direct_host.is_some(),
                mode: p.mode,
            };
        }
        if let Some(d) = &p.direct_host
            && d.eq_ignore_ascii_case(&host.name)
            && p.direct_port
                .is_none_or(|dp| host.port.unwrap_or(5432) == dp)
        {
            return EndpointKind::DeclaredDirect {
                pooler: p.name.clone(),
            };
        }
    }
    match neon::parse_host(&host.name) {
        Some(neon) if neon.pooled => EndpointKind::NeonPooled { neon },
        Some(neon) => EndpointKind::NeonDirect { neon },
        None => match pooler::recognise(&host.name, host.port) {
            Some(pooler) => EndpointKind::KnownPooler { pooler },
            None => EndpointKind::Postgres,
        },
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", self.redacted())
    }
}

impl Serialize for DatabaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_is_written_where_the_first_was() {
        let cases = [
            (
                "postgres://u:p@h/neondb?sslmode=require",
                "postgres://u:p@h/tenant_7?sslmode=require",
            ),
            (
                "postgres://u:p@h?sslmode=require",
                "postgres://u:p@h?sslmode=require&dbname=tenant_7",
            ),
            ("postgres://u:p@h", "postgres://u:p@h?dbname=tenant_7"),
            (
                "host=h dbname=neondb user=u",
                "host=h dbname='tenant_7' user=u",
            ),
            (
                "host=h dbname='neondb' user=u",
                "host=h dbname='tenant_7' user=u",
            ),
            ("host=h user=u", "host=h user=u dbname='tenant_7'"),
        ];
        for (from, want) in cases {
            let got = DatabaseUrl::parse(from).unwrap().with_database("tenant_7");
            assert_eq!(got.reveal_for_export(), want, "{from}");
            assert_eq!(got.get("dbname").unwrap().value, "tenant_7", "{from}");
        }
        for name in ["a b", "it's", "x/y?z", "é"] {
            for from in ["postgres://h/db", "host=h dbname=db"] {
                let got = DatabaseUrl::parse(from).unwrap().with_database(name);
                assert_eq!(got.get("dbname").unwrap().value, name, "{from} {name}");
            }
        }
    }

    fn url(s: &str) -> DatabaseUrl {
        DatabaseUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn pooled_to_direct_edits_only_the_first_label() {
        let cases = [
            (
                "postgresql://alex:AbC%40%3A%2F%25x@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require",
                "postgresql://alex:AbC%40%3A%2F%25x@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require",
            ),
            (
                "postgres://u:p@ep-calm-snow-aev1ojm4-pooler.c-2.us-east-2.aws.neon.tech:5432/db?options=endpoint%3Dep-calm-snow-aev1ojm4",
                "postgres://u:p@ep-calm-snow-aev1ojm4.c-2.us-east-2.aws.neon.tech:5432/db?options=endpoint%3Dep-calm-snow-aev1ojm4",
            ),
            (
                "host=ep-x-123456-pooler.eastus2.azure.neon.tech dbname=d user=u password='a b'",
                "host=ep-x-123456.eastus2.azure.neon.tech dbname=d user=u password='a b'",
            ),
            (
                "postgresql+asyncpg://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db?ssl=require",
                "postgresql+asyncpg://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/db?ssl=require",
            ),
        ];
        for (pooled, direct) in cases {
            let d = url(pooled).to_direct(&[]).unwrap();
            assert_eq!(d.reveal_for_export(), direct);
            let p = url(direct).to_pooled(&[]).unwrap();
            assert_eq!(p.reveal_for_export(), pooled);
        }
    }

    #[test]
    fn plain_host_cannot_be_converted() {
        let e = url("postgres://u:p@db.example.com/d")
            .to_direct(&[])
            .unwrap_err();
        assert!(matches!(e, ConvertError::Unknown { .. }));
    }

    #[test]
    fn redaction_masks_every_password_form() {
        for (s, want) in [
            ("postgres://u:s3cr%40t@h/d", "postgres://u:****@h/d"),
            (
                "postgres://u@h/d?password=s3cr3t&sslmode=require",
                "postgres://u@h/d?password=****&sslmode=require",
            ),
            (
                "host=h password='s3 cr3t' user=u",
                "host=h password='****' user=u",
            ),
        ] {
            let u = url(s);
            assert_eq!(u.redacted(), want);
            assert_eq!(u.to_string(), want);
            assert!(!format!("{u:?}").contains("s3"));
        }
    }

    #[test]
    fn unknown_and_refused_parameters_are_errors() {
        let e = DatabaseUrl::parse("postgres://h/d?sslmod=require").unwrap_err();
        assert!(e.to_string().contains("\"sslmod\""), "{e}");
        let e = DatabaseUrl::parse("postgres://h/d?service=x").unwrap_err();
        assert!(matches!(e, UrlError::Refused { .. }));
    }
}
