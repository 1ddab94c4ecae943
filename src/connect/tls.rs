//! The TLS connector, with libpq's sslmode semantics, built with native-tls.

use std::sync::{Arc, Mutex};

use native_tls::{Certificate, Identity, Protocol, TlsConnector};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::tls::TlsConnect;

use crate::endpoint::spec::{ConnectSpec, RootCert, SslMode, TlsVersion};

/// What neonops asks of TLS for one connection attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Plain,
    /// TLS if the server offers it (prefer), else plain.
    Prefer,
    /// TLS or fail.
    Require,
}

fn protocol(v: TlsVersion) -> Protocol {
    match v {
        TlsVersion::Tls10 => Protocol::Tlsv10,
        TlsVersion::Tls11 => Protocol::Tlsv11,
        TlsVersion::Tls12 => Protocol::Tlsv12,
        TlsVersion::Tls13 => Protocol::Tlsv13,
    }
}

/// Build the connector. Errors are configuration errors (a missing or
/// unreadable certificate file), worded like libpq's.
pub fn connector(spec: &ConnectSpec) -> Result<TlsConnector, String> {
    let mut b = TlsConnector::builder();
    b.use_sni(spec.sslsni);
    let verify = matches!(spec.sslmode, SslMode::VerifyCa | SslMode::VerifyFull)
        || (spec.sslmode == SslMode::Require && spec.rootcert != RootCert::None);
    if verify {
        match &spec.rootcert {
            RootCert::System => {}
            RootCert::File(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    format!(
                        "could not read root certificate file \"{}\": {e}",
                        path.display()
                    )
                })?;
                let certs = Certificate::stack_from_pem(&pem).map_err(|e| {
                    format!(
                        "root certificate file \"{}\" holds no valid PEM certificate: {e}",
                        path.display()
                    )
                })?;
                if certs.is_empty() {
                    return Err(format!(
                        "root certificate file \"{}\" holds no certificate",
                        path.display()
                    ));
                }
                for c in certs {
                    b.add_root_certificate(c);
                }
                // libpq trusts only the given file.
                b.disable_built_in_roots(true);
            }
            RootCert::None => {
                return Err(format!(
                    "sslmode={} needs a root certificate to verify the server, and ~/.postgresql/root.crt does not exist: add sslrootcert=system to trust the system's roots (right for Neon), or sslrootcert=/path/to/ca.pem",
                    spec.sslmode.as_str()
                ));
            }
        }
        // verify-ca, and require with a root certificate, check the chain only.
        b.danger_accept_invalid_hostnames(spec.sslmode != SslMode::VerifyFull);
    } else {
        b.danger_accept_invalid_certs(true);
        b.danger_accept_invalid_hostnames(true);
    }
    if let Some((cert, key)) = &spec.client_cert {
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|e| {
                format!(
                    "could not read client certificate file \"{}\": {e}",
                    p.display()
                )
            })
        };
        let identity = Identity::from_pkcs8(&read(cert)?, &read(key)?)
            .map_err(|e| format!("invalid client certificate or key: {e}"))?;
        b.identity(identity);
    }
    b.min_protocol_version(Some(
        spec.ssl_min_protocol
            .map(protocol)
            .unwrap_or(Protocol::Tlsv12),
    ));
    b.max_protocol_version(spec.ssl_max_protocol.map(protocol));
    if spec.direct_tls {
        postgres_native_tls::set_postgresql_alpn(&mut b);
    }
    b.build().map_err(|e| format!("cannot set up TLS: {e}"))
}

/// A `TlsConnect` that notes when the handshake completed, so that a failure
/// after it is put at the auth/server stage and one before it at TLS.
pub struct Recording {
    inner: postgres_native_tls::TlsConnector,
    pub done: Arc<Mutex<bool>>,
}

impl Recording {
    pub fn new(connector: TlsConnector, domain: &str) -> Self {
        Recording {
            inner: postgres_native_tls::TlsConnector::new(connector, domain),
            done: Arc::new(Mutex::new(false)),
        }
    }
}

impl<S> TlsConnect<S> for Recording
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = postgres_native_tls::TlsStream<S>;
    type Error = native_tls::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Self::Stream, native_tls::Error>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        let done = self.done.clone();
        let fut = TlsConnect::<S>::connect(self.inner, stream);
        Box::pin(async move {
            let s = fut.await?;
            *done.lock().expect("not poisoned") = true;
            Ok(s)
        })
    }
}
