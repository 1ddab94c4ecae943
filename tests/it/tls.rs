//! The sslmode matrix against the sandbox (hostssl only, its own CA), each
//! mode behaving as libpq's does.

use crate::harness::{Neonops, Run, other_ca, sandbox};
use crate::json::CheckReport;

/// `check --only direct|pooled` for a URL on the sandbox, with extra query text.
fn check(endpoint: &str, host: &str, query: &str) -> Run {
    let s = sandbox();
    let url = format!(
        "postgresql://{}@{host}:{}/{}?{query}",
        s.role, s.port, s.database
    );
    let flag = if endpoint == "direct" {
        "--direct-url"
    } else {
        "--database-url"
    };
    Neonops::new()
        .sandbox()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json", "check", "--only", endpoint, flag, &url])
        .run()
}

#[track_caller]
fn ok(r: &Run, tls: bool) {
    r.code(0);
    let rep: CheckReport = r.json();
    assert!(rep.ok);
    assert_eq!(rep.endpoints.len(), 1);
    assert_eq!(rep.endpoints[0].tls, Some(tls), "{}", r.stdout);
}

#[track_caller]
fn fails(r: &Run, stage: &str, message: &str) {
    r.code(3);
    let rep: CheckReport = r.json();
    let e = rep.endpoints[0].error.as_ref().expect("an error");
    assert_eq!(e.stage, stage, "{e:?}");
    assert!(
        e.message.contains(message),
        "{:?} lacks {message:?}",
        e.message
    );
}

fn ca() -> String {
    format!("sslrootcert={}", sandbox().ca_file.display())
}

#[test]
fn verify_full_passes_with_the_sandbox_ca_on_both_endpoints() {
    let s = sandbox();
    ok(
        &check(
            "direct",
            &s.direct_host,
            &format!("sslmode=verify-full&{}", ca()),
        ),
        true,
    );
    ok(
        &check(
            "pooled",
            &s.pooled_host,
            &format!("sslmode=verify-full&{}", ca()),
        ),
        true,
    );
}

#[test]
fn verify_full_fails_with_another_ca() {
    let s = sandbox();
    let (_d, other) = other_ca();
    for (ep, host) in [("direct", &s.direct_host), ("pooled", &s.pooled_host)] {
        fails(
            &check(
                ep,
                host,
                &format!("sslmode=verify-full&sslrootcert={other}"),
            ),
            "tls",
            "certificate verify failed",
        );
    }
}

#[test]
fn verify_full_fails_with_a_wrong_host_name_and_verify_ca_does_not() {
    let s = sandbox();
    let name = "wrong-name.example.com";
    let url = |mode: &str| {
        format!(
            "postgresql://{}@{name}:{}/{}?sslmode={mode}&{}",
            s.role,
            s.port,
            s.database,
            ca()
        )
    };
    let pin = format!("{name}:{}:127.0.0.3", s.port);
    let run = |mode: &str| {
        Neonops::new()
            .sandbox()
            .env("NEONOPS_CONNECT_BUDGET", "0s")
            .args([
                "--json",
                "--resolve",
                &pin,
                "check",
                "--only",
                "direct",
                "--direct-url",
                &url(mode),
            ])
            .run()
    };
    fails(&run("verify-full"), "tls", "certificate verify failed");
    ok(&run("verify-ca"), true);
}

#[test]
fn require_encrypts_without_a_ca_and_verifies_with_one() {
    let s = sandbox();
    ok(&check("direct", &s.direct_host, "sslmode=require"), true);
    ok(&check("pooled", &s.pooled_host, "sslmode=require"), true);
    let (_d, other) = other_ca();
    fails(
        &check(
            "direct",
            &s.direct_host,
            &format!("sslmode=require&sslrootcert={other}"),
        ),
        "tls",
        "certificate verify failed",
    );
}

#[test]
fn prefer_and_allow_end_up_encrypted_on_a_hostssl_server() {
    let s = sandbox();
    ok(&check("direct", &s.direct_host, "sslmode=prefer"), true);
    ok(&check("direct", &s.direct_host, "sslmode=allow"), true);
}

#[test]
fn disable_is_refused_by_the_hostssl_only_server_with_a_named_error() {
    let s = sandbox();
    let r = check("direct", &s.direct_host, "sslmode=disable");
    fails(&r, "auth", "no pg_hba.conf entry");
    let rep: CheckReport = r.json();
    let e = rep.endpoints[0].error.as_ref().unwrap();
    assert_eq!(e.sqlstate.as_deref(), Some("28000"));
    assert!(e.message.contains("no encryption"), "{}", e.message);
    assert_eq!(e.attempts, 1);
    // PgBouncer insists on TLS too.
    fails(
        &check("pooled", &s.pooled_host, "sslmode=disable"),
        "tls",
        "SSL required",
    );
}

#[test]
fn verify_modes_need_a_root_certificate() {
    let s = sandbox();
    fails(
        &check("direct", &s.direct_host, "sslmode=verify-full"),
        "config",
        "sslrootcert=system",
    );
    // The system's roots do not know the sandbox CA.
    fails(
        &check(
            "direct",
            &s.direct_host,
            "sslmode=verify-full&sslrootcert=system",
        ),
        "tls",
        "certificate verify failed",
    );
}

#[test]
fn the_default_root_certificate_file_is_used_as_libpq_does() {
    let s = sandbox();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".postgresql")).unwrap();
    std::fs::copy(&s.ca_file, home.path().join(".postgresql/root.crt")).unwrap();
    let url = format!(
        "postgresql://{}@{}:{}/{}?sslmode=verify-full",
        s.role, s.direct_host, s.port, s.database
    );
    let r = Neonops::new()
        .sandbox()
        .env("HOME", home.path())
        .args(["--json", "check", "--only", "direct", "--direct-url", &url])
        .run();
    ok(&r, true);
}

#[test]
fn channel_binding_require_works_direct_and_is_refused_by_pgbouncer() {
    let s = sandbox();
    ok(
        &check(
            "direct",
            &s.direct_host,
            &format!("sslmode=verify-full&{}&channel_binding=require", ca()),
        ),
        true,
    );
    // PgBouncer 1.18 offers no SCRAM-SHA-256-PLUS: the client refuses to authenticate without it.
    fails(
        &check(
            "pooled",
            &s.pooled_host,
            &format!("sslmode=verify-full&{}&channel_binding=require", ca()),
        ),
        "auth",
        "authentication error",
    );
}

/// An HTTPS stand-in for the Neon API on loopback, its certificate for
/// `localhost` from a CA of its own: every request gets `{"branches": []}`.
/// Returns its port and the CA's PEM file.
fn https_api() -> (u16, tempfile::TempDir, std::path::PathBuf) {
    use openssl::ssl::{SslAcceptor, SslMethod};
    use std::io::{Read, Write};
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name = rcgen::DistinguishedName::new();
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "neonops test API CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let mut leaf = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf.distinguished_name = rcgen::DistinguishedName::new();
    leaf.distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("api-ca.crt");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    let mut a = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    a.set_certificate(&openssl::x509::X509::from_pem(cert.pem().as_bytes()).unwrap())
        .unwrap();
    a.set_private_key(
        &openssl::pkey::PKey::private_key_from_pem(key.serialize_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    let acceptor = std::sync::Arc::new(a.build());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let acceptor = acceptor.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let Ok(mut tls) = acceptor.accept(stream) else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"branches": []}"#;
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.shutdown();
            });
        }
    });
    (port, dir, ca_file)
}

/// The Neon API is reached over the same TLS stack as PostgreSQL (OpenSSL)
/// and trusts the system's roots (here, SSL_CERT_FILE, as OpenSSL reads
/// it): an API whose CA is among them answers; one whose CA is not is a
/// certificate failure, said in doctor's finding.
#[test]
fn the_neon_api_trusts_the_systems_roots_and_no_other() {
    let (port, _dir, ca_file) = https_api();
    let cfg = tempfile::tempdir().unwrap();
    let toml = cfg.path().join("neonops.toml");
    std::fs::write(&toml, "[neon]\nproject_id = \"p-stand-in\"\n").unwrap();
    let s = sandbox();
    let url = s.url_with(&s.pooled_host, &s.role, &s.database);
    let doctor = |ca: Option<&std::path::Path>| {
        let mut n = Neonops::new()
            .sandbox()
            .env("DATABASE_URL", &url)
            .env("NEON_API_KEY", "napi_stand-in")
            .env("NEON_API_HOST", format!("https://localhost:{port}/api/v2"))
            .args(["--json", "--config"])
            .arg_path(&toml)
            .args(["doctor"]);
        if let Some(ca) = ca {
            n = n.env("SSL_CERT_FILE", ca);
        }
        let r = n.run();
        let v: serde_json::Value = r.json();
        v["environments"]
            .as_array()
            .and_then(|e| e.first())
            .map(|e| e["findings"].clone())
            .unwrap_or_else(|| v["findings"].clone())
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "rehearsal branches")
            .cloned()
            .unwrap_or_else(|| panic!("no rehearsal-branches finding:\n{v}"))
    };
    let trusted = doctor(Some(&ca_file));
    assert_eq!(trusted["status"], "pass", "{trusted}");
    assert!(
        trusted["detail"].as_str().unwrap().contains("p-stand-in"),
        "{trusted}"
    );
    let untrusted = doctor(None);
    assert_eq!(untrusted["status"], "warn", "{untrusted}");
    let detail = untrusted["detail"].as_str().unwrap().to_lowercase();
    assert!(
        detail.contains("could not reach the neon api"),
        "{untrusted}"
    );
    assert!(detail.contains("certificate"), "{untrusted}");
}
