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

/// What the TLS handshake showed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TlsInfo {
    /// The certificate's subject (CN, or the whole name).
    pub subject: String,
    pub issuer: String,
    /// DNS names the certificate covers.
    pub names: Vec<String>,
    /// Not after, as OpenSSL prints it.
    pub not_after: String,
}

fn name_of(n: &openssl::x509::X509NameRef) -> String {
    n.entries()
        .map(|e| {
            format!(
                "{}={}",
                e.object().nid().short_name().unwrap_or("?"),
                e.data().to_string().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(cert: &native_tls::Certificate) -> Option<TlsInfo> {
    let x = openssl::x509::X509::from_der(&cert.to_der().ok()?).ok()?;
    Some(TlsInfo {
        subject: name_of(x.subject_name()),
        issuer: name_of(x.issuer_name()),
        names: x
            .subject_alt_names()
            .map(|sans| {
                sans.iter()
                    .filter_map(|n| n.dnsname().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        not_after: x.not_after().to_string(),
    })
}

/// When the TLS handshake finished, and what it showed.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub at: std::time::Instant,
    pub info: Option<TlsInfo>,
}

/// A `TlsConnect` that records the handshake, so that a failure after it is
/// put at the auth/server stage and one before it at TLS, and so that
/// `doctor` can show the certificate.
pub struct Recording {
    connector: tokio_native_tls::TlsConnector,
    domain: String,
    pub done: Arc<Mutex<Option<Handshake>>>,
}

impl Recording {
    pub fn new(connector: TlsConnector, domain: &str) -> Self {
        Recording {
            connector: connector.into(),
            domain: domain.to_string(),
            done: Arc::new(Mutex::new(None)),
        }
    }
}

/// The TLS stream, with channel binding (tls-server-end-point) for SCRAM-PLUS.
pub struct Stream<S>(tokio_native_tls::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Stream<S> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Stream<S> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for Stream<S> {
    fn channel_binding(&self) -> tokio_postgres::tls::ChannelBinding {
        match self.0.get_ref().tls_server_end_point().ok().flatten() {
            Some(buf) => tokio_postgres::tls::ChannelBinding::tls_server_end_point(buf),
            None => tokio_postgres::tls::ChannelBinding::none(),
        }
    }
}

impl<S> TlsConnect<S> for Recording
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = Stream<S>;
    type Error = native_tls::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Self::Stream, native_tls::Error>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        let done = self.done.clone();
        Box::pin(async move {
            let s = self.connector.connect(&self.domain, stream).await?;
            let info = s
                .get_ref()
                .peer_certificate()
                .ok()
                .flatten()
                .as_ref()
                .and_then(describe);
            *done.lock().expect("not poisoned") = Some(Handshake {
                at: std::time::Instant::now(),
                info,
            });
            Ok(Stream(s))
        })
    }
}
