//! What a connection string should change for the endpoint it names: rules
//! shared by `url explain` (as warnings) and `doctor` (as findings).

use super::spec::{ChannelBinding, ConnectSpec};
use super::{DatabaseUrl, EndpointKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Warn,
    /// The connection will fail or misbehave as written.
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// A short name for the rule (`doctor`'s check column).
    pub check: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

fn advice(check: &'static str, severity: Severity, message: String, fix: &str) -> Advice {
    Advice {
        check,
        severity,
        message,
        fix: fix.to_string(),
    }
}

/// Startup parameters in `options` (`-c name=value`, `--name=value`), which a
/// transaction pooler rejects.
pub fn sets_startup_parameters(options: &str) -> bool {
    options
        .split_whitespace()
        .any(|w| w.starts_with("-c") || w.starts_with("--"))
}

/// The rules that depend on the kind of endpoint.
pub fn for_endpoint(url: &DatabaseUrl, spec: &ConnectSpec, kind: &EndpointKind) -> Vec<Advice> {
    let mut out = Vec::new();
    let neon = matches!(
        kind,
        EndpointKind::NeonPooled { .. } | EndpointKind::NeonDirect { .. }
    );
    if neon && spec.channel_binding != ChannelBinding::Require {
        out.push(advice(
            "channel binding",
            Severity::Warn,
            "channel_binding is not required".into(),
            "add channel_binding=require (as Neon's console does), so the password exchange is bound to the TLS session",
        ));
    }
    let pgbouncer_true = url.get("pgbouncer").is_some_and(|p| p.value == "true");
    if kind.is_pooled() {
        if let Some(o) = spec
            .options
            .as_deref()
            .filter(|o| sets_startup_parameters(o))
        {
            out.push(advice(
                "pooler startup parameters",
                Severity::Fail,
                format!("options={o:?} sets startup parameters, which a transaction pooler rejects (unsupported startup parameter)"),
                "remove them from the pooled URL; use ALTER ROLE … SET, or the direct endpoint",
            ));
        }
        let prisma = url.get("connection_limit").is_some() || url.get("pool_timeout").is_some();
        if prisma && !pgbouncer_true {
            out.push(advice(
                "prisma",
                Severity::Warn,
                "a Prisma URL on a pooled endpoint without pgbouncer=true".into(),
                "add pgbouncer=true so that Prisma does not rely on prepared statements",
            ));
        }
    } else if pgbouncer_true {
        out.push(advice(
            "prisma",
            Severity::Warn,
            "pgbouncer=true on an endpoint that is not pooled: Prisma skips prepared statements needlessly".into(),
            "drop pgbouncer=true from the direct URL",
        ));
    }
    out
}
