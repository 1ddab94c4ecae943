//! `neonops url direct|pooled|explain`.

use anyhow::Result;
use serde::Serialize;

use crate::cli::{GlobalArgs, UrlArg, UrlCommand};
use crate::endpoint::spec::{ConnectSpec, Note};
use crate::endpoint::{DatabaseUrl, EndpointKind, Form, Handling, MASK, Origin, params};
use crate::exit::{Exit, usage};
use crate::output::table;
use crate::settings::Settings;

pub fn run(g: &GlobalArgs, cmd: UrlCommand) -> Result<Exit> {
    let settings = Settings::resolve(g, &|k| std::env::var(k).ok())?;
    match cmd {
        UrlCommand::Direct(a) => convert(&settings, &a.url, a.show_password, false),
        UrlCommand::Pooled(a) => convert(&settings, &a.url, a.show_password, true),
        UrlCommand::Explain(a) => explain(&settings, &a),
    }
}

fn input_url(settings: &Settings, arg: &UrlArg) -> Result<(DatabaseUrl, String)> {
    if let Some(text) = &arg.url {
        return Ok((DatabaseUrl::parse(text)?, "the argument".into()));
    }
    settings
        .database_url
        .as_ref()
        .or(settings.direct_url.as_ref())
        .map(|s| (s.value.clone(), s.source.clone()))
        .ok_or_else(|| usage("no URL: pass one as the argument, or set DATABASE_URL"))
}

#[derive(Serialize)]
struct Converted {
    url: String,
    kind: EndpointKind,
    changed: bool,
}

fn convert(settings: &Settings, arg: &UrlArg, show_password: bool, pooled: bool) -> Result<Exit> {
    let (url, _) = input_url(settings, arg)?;
    let out = if pooled {
        url.to_pooled(settings.poolers())?
    } else {
        url.to_direct(settings.poolers())?
    };
    let changed = out.reveal_for_export() != url.reveal_for_export();
    if !changed {
        settings.printer.note(format!(
            "note: the URL is already a {} endpoint; printed unchanged",
            if pooled { "pooled" } else { "direct" }
        ));
    }
    let text = if show_password {
        out.reveal_for_export().to_string()
    } else {
        out.redacted()
    };
    let shown = text.clone();
    settings.printer.report(
        &Converted {
            url: text,
            kind: out.kind(settings.poolers()),
            changed,
        },
        || shown,
    );
    Ok(Exit::Success)
}

/// What `url explain` reports (the `--json` schema).
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub url: String,
    pub source: String,
    pub form: &'static str,
    pub scheme: Option<String>,
    pub driver: Option<String>,
    pub user: String,
    pub password: Option<&'static str>,
    pub database: String,
    pub hosts: Vec<HostExplained>,
    pub classification: String,
    pub direct_url: Option<String>,
    pub pooled_url: Option<String>,
    pub conversion_note: Option<String>,
    pub parameters: Vec<Note>,
    pub effective: Effective,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct HostExplained {
    /// The host in force: as written, from PGHOST, or libpq's default (a
    /// Unix-socket directory when nothing names a host).
    pub host: String,
    pub port: u16,
    /// A directory of a Unix-domain socket, not a host name.
    pub unix_socket: bool,
    /// The socket file (`<dir>/.s.PGSQL.<port>`), for a Unix socket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socket: Option<String>,
    /// Nothing named a host: libpq's default applies.
    pub default: bool,
    #[serde(flatten)]
    pub kind: EndpointKind,
}

impl HostExplained {
    /// `host:port`, or what the socket is.
    fn label(&self) -> String {
        match &self.socket {
            Some(s) if self.default => {
                format!("{s} (the Unix socket in libpq's default directory)")
            }
            Some(s) => format!("{s} (a Unix socket)"),
            None if self.host.contains(':') => format!("[{}]:{}", self.host, self.port),
            None => format!("{}:{}", self.host, self.port),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Effective {
    pub sslmode: &'static str,
    pub sslrootcert: String,
    pub channel_binding: String,
    pub connect_timeout_s: Option<u64>,
    pub application_name: String,
}

pub fn explanation(settings: &Settings, url: &DatabaseUrl, source: String) -> Result<Explanation> {
    let poolers = settings.poolers();
    let spec = ConnectSpec::resolve(url, &settings.pg_env)?;
    let classified = url.classify(poolers);
    let kind = classified
        .first()
        .map(|(_, k)| k.clone())
        .unwrap_or(EndpointKind::Postgres);
    let (scheme, driver, form) = match url.form() {
        Form::Uri { scheme, driver } => (Some(scheme.clone()), driver.clone(), "uri"),
        Form::KeyValue => (None, None, "key_value"),
    };
    let parameters = parameter_notes(url, driver.as_deref(), &spec);

    let warnings = url_warnings(url, &spec, &classified, &kind);
    let pooled = kind.is_pooled();

    let (direct_url, pooled_url, conversion_note) = if pooled {
        match url.to_direct(poolers) {
            Ok(d) => (Some(d.redacted()), Some(url.redacted()), None),
            Err(e) => (None, Some(url.redacted()), Some(e.to_string())),
        }
    } else {
        match url.to_pooled(poolers) {
            Ok(p) => (Some(url.redacted()), Some(p.redacted()), None),
            Err(e) => (Some(url.redacted()), None, Some(e.to_string())),
        }
    };
    Ok(Explanation {
        url: url.redacted(),
        source,
        form,
        scheme,
        driver,
        user: spec.user.clone(),
        password: spec.password.as_ref().map(|_| MASK),
        database: spec.dbname.clone(),
        hosts: hosts_explained(settings, &spec, &classified),
        classification: kind.label().to_string(),
        direct_url,
        pooled_url,
        conversion_note,
        parameters,
        effective: effective(&spec),
        warnings,
    })
}

fn explain(settings: &Settings, arg: &UrlArg) -> Result<Exit> {
    let (url, source) = input_url(settings, arg)?;
    let x = explanation(settings, &url, source)?;
    settings.printer.report(&x, || explanation_text(&x));
    Ok(Exit::Success)
}

/// `url explain`'s tables and warnings.
/// The URL's parameters and the settings from elsewhere: what each does.
fn parameter_notes(url: &DatabaseUrl, driver: Option<&str>, spec: &ConnectSpec) -> Vec<Note> {
    let mut parameters: Vec<Note> = Vec::new();
    if let Some(d) = driver {
        parameters.push(Note {
            key: "scheme".into(),
            value: format!("+{d}"),
            handling: Handling::Ignored,
            why: format!("SQLAlchemy's driver suffix (+{d}); neonops speaks the protocol itself"),
            source: "url".into(),
        });
    }
    for s in url.settings() {
        if !matches!(s.origin, Origin::Query | Origin::Keyword) {
            continue;
        }
        let (handling, why) = params::handling(&s.key, &s.value).expect("checked at parse");
        parameters.push(Note {
            key: s.key.clone(),
            value: if crate::endpoint::parse::is_secret_key(&s.key) {
                MASK.into()
            } else {
                s.value.clone()
            },
            handling,
            why,
            source: "url".into(),
        });
    }
    parameters.extend(spec.notes.iter().filter(|n| n.source != "url").cloned());
    parameters
}

/// What to change in the URL, and what mixes or misses.
fn url_warnings(
    url: &DatabaseUrl,
    spec: &ConnectSpec,
    classified: &[(crate::endpoint::HostRef, EndpointKind)],
    kind: &EndpointKind,
) -> Vec<String> {
    let mut warnings = spec.warnings();
    let kinds: Vec<bool> = classified.iter().map(|(_, k)| k.is_pooled()).collect();
    if kinds.iter().any(|p| *p) && kinds.iter().any(|p| !*p) {
        warnings.push("the host list mixes pooled and direct endpoints".into());
    }
    warnings.extend(
        crate::endpoint::advice::for_endpoint(url, spec, kind)
            .into_iter()
            .map(|a| format!("{}: {}", a.message, a.fix)),
    );
    if matches!(
        *kind,
        EndpointKind::DeclaredPooler {
            can_bypass: false,
            ..
        }
    ) {
        warnings
            .push("this pooler's direct host is not declared: migrations need --direct-url".into());
    }
    warnings
}

/// Each host, with what it is.
fn hosts_explained(
    settings: &Settings,
    spec: &ConnectSpec,
    classified: &[(crate::endpoint::HostRef, EndpointKind)],
) -> Vec<HostExplained> {
    spec.targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (h, kind) = classified
                .get(i)
                .cloned()
                .unwrap_or_else(|| (crate::endpoint::HostRef::default(), EndpointKind::Postgres));
            let unix_socket = t.is_unix_socket();
            HostExplained {
                default: h.name.is_empty()
                    && t.hostaddr.is_none()
                    && !settings.pg_env.names().contains(&"PGHOST"),
                socket: unix_socket.then(|| format!("{}/.s.PGSQL.{}", t.host, t.port)),
                host: t.host.clone(),
                port: t.port,
                unix_socket,
                kind,
            }
        })
        .collect()
}

/// The settings a connection would use, wherever they came from.
fn effective(spec: &ConnectSpec) -> Effective {
    Effective {
        sslmode: spec.sslmode.as_str(),
        sslrootcert: match &spec.rootcert {
            crate::endpoint::spec::RootCert::None => "(none)".into(),
            crate::endpoint::spec::RootCert::System => "system".into(),
            crate::endpoint::spec::RootCert::File(p) => p.display().to_string(),
        },
        channel_binding: format!("{:?}", spec.channel_binding).to_lowercase(),
        connect_timeout_s: spec.connect_timeout.map(|t| t.as_secs()),
        application_name: spec
            .application_name
            .clone()
            .or(spec.fallback_application_name.clone())
            .unwrap_or_else(crate::connect::default_application_name),
    }
}

fn explanation_text(x: &Explanation) -> String {
    let mut out = String::new();
    let mut t = table(&["part", "value"]);
    t.add_row(vec!["url".to_string(), x.url.clone()]);
    t.add_row(vec!["from".to_string(), x.source.clone()]);
    if let Some(s) = &x.scheme {
        t.add_row(vec!["scheme".to_string(), s.clone()]);
    }
    t.add_row(vec!["user".to_string(), x.user.clone()]);
    t.add_row(vec![
        "password".to_string(),
        x.password.unwrap_or("(none)").to_string(),
    ]);
    t.add_row(vec!["database".to_string(), x.database.clone()]);
    for h in &x.hosts {
        let mut kind = h.kind.label().to_string();
        if let EndpointKind::NeonPooled { neon } | EndpointKind::NeonDirect { neon } = &h.kind {
            kind.push_str(&format!(
                "; endpoint {}{}",
                neon.endpoint_id,
                neon.region
                    .as_ref()
                    .map(|r| format!(", region {r}"))
                    .unwrap_or_default()
            ));
        }
        if let Some(a) = h.kind.assumption() {
            kind.push_str(&format!("; {a}"));
        }
        t.add_row(vec!["host".to_string(), format!("{} — {kind}", h.label())]);
    }
    t.add_row(vec!["classification".to_string(), x.classification.clone()]);
    if let Some(d) = &x.direct_url {
        t.add_row(vec!["direct URL".to_string(), d.clone()]);
    }
    if let Some(p) = &x.pooled_url {
        t.add_row(vec!["pooled URL".to_string(), p.clone()]);
    }
    if let Some(n) = &x.conversion_note {
        t.add_row(vec!["conversion".to_string(), n.clone()]);
    }
    let e = &x.effective;
    t.add_row(vec!["sslmode".to_string(), e.sslmode.to_string()]);
    t.add_row(vec!["sslrootcert".to_string(), e.sslrootcert.clone()]);
    t.add_row(vec![
        "channel_binding".to_string(),
        e.channel_binding.clone(),
    ]);
    t.add_row(vec![
        "connect_timeout".to_string(),
        e.connect_timeout_s
            .map(|s| format!("{s}s"))
            .unwrap_or_else(|| "10s (neonops default)".into()),
    ]);
    t.add_row(vec![
        "application_name".to_string(),
        e.application_name.clone(),
    ]);
    out.push_str(&format!("{t}\n"));
    if !x.parameters.is_empty() {
        let mut p = table(&["parameter", "value", "handling", "why", "from"]);
        for n in &x.parameters {
            p.add_row(vec![
                n.key.clone(),
                n.value.clone(),
                format!("{:?}", n.handling).to_lowercase(),
                n.why.clone(),
                n.source.clone(),
            ]);
        }
        out.push_str(&format!("{p}\n"));
    }
    for w in &x.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out.trim_end().to_string()
}
