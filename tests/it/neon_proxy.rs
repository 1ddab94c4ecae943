//! A small stand-in for Neon's proxy, on loopback: it speaks enough of the
//! PostgreSQL protocol (SSLRequest, TLS with SNI, the startup message) to
//! answer exactly as Neon's proxy does, and it can delay and then pass a
//! connection through to the sandbox like a compute waking from suspend.
//! Each of neonops' diagnoses of Neon's own errors is tested on these bytes.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use openssl::ssl::{NameType, SslAcceptor, SslMethod};

use crate::harness::{Neonops, Run, sandbox};

const SSL_REQUEST: u32 = 80877103;

/// Verbatim messages of Neon's proxy (../shared/reference/neon.md), chosen
/// by the endpoint id's second word: `ep-<mode>-a1b2c3d4`.
fn message_for(endpoint: &str) -> &'static str {
    let mode = endpoint
        .trim_start_matches("ep-")
        .split('-')
        .next()
        .unwrap_or("");
    match mode {
        "quota" => {
            "Your account or project has exceeded the compute time quota. Upgrade your plan to increase limits."
        }
        "disabled" => "Control plane request failed: endpoint is disabled",
        "missing" => "Control plane request failed: endpoint cannot be found",
        "ipblock" => {
            "This IP address 127.0.0.1 is not allowed to connect to this endpoint. Check your IP Allow list."
        }
        "busy" => "Too many connections attempts",
        "permit" => {
            "Failed to acquire permit to connect to the database. Too many database connection attempts are currently ongoing."
        }
        "limit" => "You have exceeded the limit of concurrently active endpoints",
        _ => "Couldn't connect to compute node",
    }
}

const NO_ENDPOINT: &str = "Endpoint ID is not specified. Either please upgrade the postgres client library (libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a parameter: '?options=endpoint%3D<endpoint-id>'.";
const INSECURE: &str = "connection is insecure (try using `sslmode=require`)";

pub struct NeonProxy {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
    pub sni: Arc<Mutex<Vec<Option<String>>>>,
}

fn error_response(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (t, v) in [
        (b'S', "ERROR"),
        (b'V', "ERROR"),
        (b'C', code),
        (b'M', message),
    ] {
        body.push(t);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut out = vec![b'E'];
    out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

fn read_startup(s: &mut impl Read) -> Option<(u32, Vec<u8>)> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).ok()?;
    let len = u32::from_be_bytes(len) as usize;
    let mut rest = vec![0u8; len.checked_sub(4)?];
    s.read_exact(&mut rest).ok()?;
    let code = u32::from_be_bytes(rest[..4].try_into().ok()?);
    Some((code, rest[4..].to_vec()))
}

fn params(body: &[u8]) -> Vec<(String, String)> {
    let parts: Vec<String> = body
        .split(|b| *b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    parts
        .chunks(2)
        .filter(|c| c.len() == 2 && !c[0].is_empty())
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

fn relay(a: TcpStream, b: TcpStream) {
    let (mut a2, mut b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let (mut a, mut b) = (a, b);
    let t = thread::spawn(move || {
        let _ = std::io::copy(&mut a, &mut b);
        let _ = b.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut b2, &mut a2);
    let _ = a2.shutdown(Shutdown::Write);
    let _ = t.join();
}

impl NeonProxy {
    /// `waking`: from the second connection on, wait this long and pass the
    /// connection through to this upstream (the compute is awake).
    pub fn start(waking: Option<(Duration, SocketAddr)>) -> NeonProxy {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["*.sandbox.aws.neon.tech".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
        acceptor
            .set_certificate(&openssl::x509::X509::from_pem(cert.pem().as_bytes()).unwrap())
            .unwrap();
        acceptor
            .set_private_key(
                &openssl::pkey::PKey::private_key_from_pem(key.serialize_pem().as_bytes()).unwrap(),
            )
            .unwrap();
        let acceptor = Arc::new(acceptor.build());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let sni = Arc::new(Mutex::new(Vec::new()));
        let (c, s) = (connections.clone(), sni.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let n = c.fetch_add(1, Ordering::SeqCst) + 1;
                let (acceptor, sni) = (acceptor.clone(), s.clone());
                thread::spawn(move || {
                    if let Some((delay, upstream)) = waking
                        && n >= 2
                    {
                        thread::sleep(delay);
                        if let Ok(up) = TcpStream::connect(upstream) {
                            relay(stream, up);
                        }
                        return;
                    }
                    Self::answer(stream, &acceptor, &sni);
                });
            }
        });
        NeonProxy {
            port,
            connections,
            sni,
        }
    }

    fn answer(mut stream: TcpStream, acceptor: &SslAcceptor, sni: &Mutex<Vec<Option<String>>>) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Some((code, body)) = read_startup(&mut stream) else {
            return;
        };
        if code != SSL_REQUEST {
            // A plain startup message: Neon requires TLS.
            let _ = stream.write_all(&error_response("08P01", INSECURE));
            return;
        }
        if stream.write_all(b"S").is_err() {
            return;
        }
        let _ = body;
        let Ok(mut tls) = acceptor.accept(stream) else {
            return;
        };
        let server_name = tls
            .ssl()
            .servername(NameType::HOST_NAME)
            .map(str::to_string);
        sni.lock().unwrap().push(server_name.clone());
        let Some((_, startup)) = read_startup(&mut tls) else {
            return;
        };
        let options = params(&startup)
            .into_iter()
            .find(|(k, _)| k == "options")
            .map(|(_, v)| v);
        // As the proxy does: the endpoint from SNI's first label (without
        // -pooler), else from options=endpoint=<id>.
        let endpoint = server_name
            .as_deref()
            .and_then(|h| h.split('.').next())
            .map(|l| l.trim_end_matches("-pooler").to_string())
            .or_else(|| {
                options.as_deref().and_then(|o| {
                    o.split_whitespace()
                        .find_map(|w| {
                            w.strip_prefix("endpoint=")
                                .or_else(|| w.strip_prefix("project="))
                        })
                        .map(str::to_string)
                })
            });
        let reply = match endpoint {
            None => error_response("XX000", NO_ENDPOINT),
            Some(e) => error_response("XX000", message_for(&e)),
        };
        let _ = tls.write_all(&reply);
        let _ = tls.shutdown();
    }
}

fn doctor_through(proxy: &NeonProxy, endpoint_id: &str, budget: &str) -> (Run, serde_json::Value) {
    let direct = format!("{endpoint_id}.sandbox.aws.neon.tech");
    let pooled = format!("{endpoint_id}-pooler.sandbox.aws.neon.tech");
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", budget)
        .env(
            "DATABASE_URL",
            format!(
                "postgresql://app:pw@{pooled}:{}/neondb?sslmode=require",
                proxy.port
            ),
        )
        .args([
            "--json",
            "--resolve",
            &format!("{pooled}:{}:127.0.0.1", proxy.port),
        ])
        .args(["--resolve", &format!("{direct}:{}:127.0.0.1", proxy.port)])
        .args(["doctor"])
        .run();
    let v = r.json();
    (r, v)
}

fn cause(v: &serde_json::Value, ep: &str) -> (String, u64) {
    let p = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["endpoint"] == ep)
        .unwrap();
    (
        p["diagnosis"]["cause"]
            .as_str()
            .unwrap_or("none")
            .to_string(),
        p["error"]["attempts"].as_u64().unwrap_or(0),
    )
}

/// `status` (work, which retries) through the proxy to one endpoint.
fn status_through(proxy: &NeonProxy, endpoint_id: &str, budget: &str) -> Run {
    let direct = format!("{endpoint_id}.sandbox.aws.neon.tech");
    let url = format!(
        "postgresql://app:pw@{direct}:{}/neondb?sslmode=require",
        proxy.port
    );
    crate::connect::status_direct(
        &url,
        budget,
        &["--resolve", &format!("{direct}:{}:127.0.0.1", proxy.port)],
    )
}

#[test]
fn neon_proxy_errors_are_diagnosed_and_retried_only_when_it_helps() {
    let proxy = NeonProxy::start(None);
    for (id, want, retried) in [
        ("ep-quota-a1b2c3d4", "compute_quota_exceeded", false),
        ("ep-disabled-a1b2c3d4", "endpoint_disabled", false),
        ("ep-missing-a1b2c3d4", "endpoint_not_found", false),
        ("ep-ipblock-a1b2c3d4", "ip_not_allowed", false),
        ("ep-limit-a1b2c3d4", "active_endpoints_limit", false),
        ("ep-busy-a1b2c3d4", "proxy_rate_limited", true),
        ("ep-permit-a1b2c3d4", "proxy_rate_limited", true),
        ("ep-down-a1b2c3d4", "compute_unreachable", true),
    ] {
        // doctor diagnoses at once: one attempt per endpoint.
        let (r, v) = doctor_through(&proxy, id, "30s");
        r.code(3);
        for ep in ["pooled", "direct"] {
            let (got, attempts) = cause(&v, ep);
            assert_eq!(got, want, "{id} {ep}");
            assert_eq!(attempts, 1, "{id} {ep}: a diagnosis does not retry");
        }
        // Work retries, but only what a retry can fix.
        let r = status_through(&proxy, id, "1500ms");
        r.code(3);
        let attempts = crate::connect::report_error_of(&r).attempts;
        if retried {
            assert!(
                attempts >= 2,
                "{id}: a retry can help, but attempts = {attempts}"
            );
        } else {
            assert_eq!(attempts, 1, "{id}: must not be retried");
        }
    }
    // The proxy saw SNI with the host name, -pooler and all.
    let seen = proxy.sni.lock().unwrap().clone();
    assert!(
        seen.contains(&Some(
            "ep-quota-a1b2c3d4-pooler.sandbox.aws.neon.tech".to_string()
        )),
        "{seen:?}"
    );
}

#[test]
fn without_sni_the_endpoint_goes_in_options() {
    let proxy = NeonProxy::start(None);
    // An IP address as the host: no SNI is sent.
    let url = format!(
        "postgresql://app:pw@127.0.0.1:{}/neondb?sslmode=require",
        proxy.port
    );
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args(["--json", "check", "--direct-url", &url])
        .run();
    r.code(3);
    let v: serde_json::Value = r.json();
    assert_eq!(v["endpoints"][0]["diagnosis"]["cause"], "sni_missing");
    assert_eq!(v["endpoints"][0]["error"]["stage"], "tls");
    // Neon's fallback: options=endpoint%3D<id> is passed through.
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args([
            "--json",
            "check",
            "--direct-url",
            &format!("{url}&options=endpoint%3Dep-quota-a1b2c3d4"),
        ])
        .run();
    r.code(3);
    let v: serde_json::Value = r.json();
    assert_eq!(
        v["endpoints"][0]["diagnosis"]["cause"],
        "compute_quota_exceeded"
    );
    // And plain connections are refused as Neon refuses them.
    let r = Neonops::new()
        .env("NEONOPS_CONNECT_BUDGET", "0s")
        .args([
            "--json",
            "check",
            "--direct-url",
            &url.replace("sslmode=require", "sslmode=disable"),
        ])
        .run();
    r.code(3);
    let v: serde_json::Value = r.json();
    assert_eq!(v["endpoints"][0]["diagnosis"]["cause"], "tls_required");
}

/// The compute is suspended: the first attempt gets "Couldn't connect to
/// compute node"; the next is held while it wakes, then reaches PostgreSQL.
#[test]
fn a_waking_compute_is_reached_by_retrying() {
    let s = sandbox();
    let proxy = NeonProxy::start(Some((
        Duration::from_millis(1500),
        format!("127.0.0.3:{}", s.port).parse().unwrap(),
    )));
    let url = format!(
        "postgresql://{}@{}:{}/{}?sslmode=require",
        s.role, s.direct_host, proxy.port, s.database
    );
    let r = crate::connect::status_direct(
        &url,
        "20s",
        &[
            "--resolve",
            &format!("{}:{}:127.0.0.1", s.direct_host, proxy.port),
        ],
    );
    r.code(0);
    let v: serde_json::Value = r.json();
    assert_eq!(v["ok"], true);
    assert!(proxy.connections.load(Ordering::SeqCst) >= 2);
    assert!(
        r.stderr.contains("Couldn't connect to compute node"),
        "{}",
        r.stderr
    );
}
