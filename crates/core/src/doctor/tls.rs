//! TLS, judged by where the server is: on this machine (loopback, a Unix
//! socket) an unencrypted connection is fine; on a private network it is a
//! warning; anywhere else, and for every Neon host, it fails.

use std::net::IpAddr;

use super::{Finding, Probe, Status};
use crate::endpoint::spec::{RootCert, SslMode};
use crate::endpoint::{ConnectSpec, DatabaseUrl, EndpointKind, Locality, locality};

use crate::target::Target;

/// Where the endpoint's server is: a Neon host is always public; otherwise
/// the socket, the host as written, or the addresses it resolved to.
fn where_is(neon: bool, spec: &ConnectSpec, p: &Probe) -> Locality {
    if neon {
        return Locality::Public;
    }
    if p.unix_socket {
        return Locality::Local;
    }
    let addresses: Vec<IpAddr> = p.addresses.iter().filter_map(|a| a.parse().ok()).collect();
    spec.targets
        .iter()
        .map(|t| locality::locality(&t.host, &addresses))
        .max()
        .unwrap_or(Locality::Public)
}

fn fix(neon: bool) -> String {
    if neon {
        "use sslmode=verify-full&sslrootcert=system (Neon's certificates chain to ISRG Root X1)"
            .into()
    } else {
        "use sslmode=verify-full with sslrootcert=<the server's CA file> (or system for a public CA)"
            .into()
    }
}

/// For the doctor report: resolve the URL, then judge it.
pub(super) fn for_url(target: &Target, url: &DatabaseUrl, p: &Probe) -> Vec<Finding> {
    match ConnectSpec::resolve(url, &target.pg_env) {
        Ok(spec) => findings(&url.kind(target.poolers()), &spec, p),
        Err(_) => Vec::new(),
    }
}

/// The "tls mode" finding (what the URL asks for) and, when the connection
/// was made without TLS, the "encryption" finding.
fn findings(kind: &EndpointKind, spec: &ConnectSpec, p: &Probe) -> Vec<Finding> {
    let neon = matches!(
        kind,
        EndpointKind::NeonPooled { .. } | EndpointKind::NeonDirect { .. }
    );
    let place = where_is(neon, spec, p);
    let ep = Some(p.endpoint);
    let mode = spec.sslmode.as_str();
    let weak = |what: String| match place {
        Locality::Local => (
            Status::Pass,
            format!(
                "{what}; the server is {}, so the traffic never leaves it",
                place.describe()
            ),
        ),
        Locality::Private => (Status::Warn, format!("{what}, {}", place.describe())),
        Locality::Public => (Status::Warn, what),
    };
    let (status, detail) = match (spec.sslmode, &spec.rootcert) {
        (SslMode::VerifyFull, _) => (
            Status::Pass,
            "sslmode=verify-full: encrypted, server verified".to_string(),
        ),
        (SslMode::VerifyCa, _) => weak("sslmode=verify-ca: the host name is not checked".into()),
        (SslMode::Require, RootCert::None) => {
            weak("sslmode=require encrypts but does not verify the server".into())
        }
        (SslMode::Require, _) => weak(
            "sslmode=require with a root certificate verifies the chain, not the host name".into(),
        ),
        _ => {
            let what = format!("sslmode={mode} may send the password and data unencrypted");
            match place {
                Locality::Public if neon => (
                    Status::Fail,
                    format!("{what}: Neon requires TLS on every connection"),
                ),
                Locality::Public => (Status::Fail, format!("{what} {}", place.describe())),
                _ => weak(what),
            }
        }
    };
    let mut f = vec![Finding::new(
        status,
        "tls mode",
        ep,
        detail,
        (status != Status::Pass).then(|| fix(neon)),
    )];
    if p.error.is_none() && p.encrypted == Some(false) {
        let (status, detail) = match place {
            Locality::Local => (
                Status::Pass,
                format!(
                    "the connection is not encrypted, and need not be: the server is {}",
                    place.describe()
                ),
            ),
            Locality::Private => (
                Status::Warn,
                format!(
                    "the connection is not encrypted; the server is {}",
                    place.describe()
                ),
            ),
            Locality::Public => (
                Status::Fail,
                format!(
                    "the connection is not encrypted; the server is {}",
                    place.describe()
                ),
            ),
        };
        f.push(Finding::new(
            status,
            "encryption",
            ep,
            detail,
            (status != Status::Pass).then(|| fix(neon)),
        ));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::PgEnv;

    fn probe(addresses: &[&str], encrypted: bool) -> Probe {
        Probe {
            endpoint: "direct",
            url: String::new(),
            source: String::new(),
            kind: String::new(),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
            timings: None,
            tls: None,
            encrypted: Some(encrypted),
            unix_socket: false,
            tls_version: None,
            latency_ms: None,
            samples_ms: Vec::new(),
            server_version: None,
            error: None,
            diagnosis: None,
            session: None,
        }
    }

    fn judge(url: &str, addresses: &[&str]) -> Vec<(String, Status)> {
        let url = DatabaseUrl::parse(url).unwrap();
        let spec = ConnectSpec::resolve(&url, &PgEnv::empty()).unwrap();
        let encrypted = spec.sslmode != SslMode::Disable;
        findings(&url.kind(&[]), &spec, &probe(addresses, encrypted))
            .into_iter()
            .map(|f| (f.check, f.status))
            .collect()
    }

    #[test]
    fn plain_connections_are_judged_by_where_the_server_is() {
        let s = |c: &str, st: Status| (c.to_string(), st);
        // A name that resolved to a private address: a warning.
        assert_eq!(
            judge("postgres://u@db.internal/d?sslmode=disable", &["10.0.3.4"]),
            [s("tls mode", Status::Warn), s("encryption", Status::Warn)]
        );
        // Loopback: fine.
        assert_eq!(
            judge("postgres://u@localhost/d?sslmode=disable", &["127.0.0.1"]),
            [s("tls mode", Status::Pass), s("encryption", Status::Pass)]
        );
        // A public address, and a Neon host whatever it resolves to: a failure.
        assert_eq!(
            judge(
                "postgres://u@db.example.com/d?sslmode=disable",
                &["203.0.113.9"]
            ),
            [s("tls mode", Status::Fail), s("encryption", Status::Fail)]
        );
        assert_eq!(
            judge(
                "postgres://u@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/d?sslmode=disable",
                &["127.0.0.1"]
            ),
            [s("tls mode", Status::Fail), s("encryption", Status::Fail)]
        );
        // require without a CA: a warning unless the server is on this machine.
        assert_eq!(
            judge("postgres://u@10.0.0.2/d?sslmode=require", &[]),
            [s("tls mode", Status::Warn)]
        );
        assert_eq!(
            judge("postgres://u@127.0.0.1/d?sslmode=require", &[]),
            [s("tls mode", Status::Pass)]
        );
    }
}
