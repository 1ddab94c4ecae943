//! TLS with libpq's sslmode semantics, on OpenSSL directly.
//!
//! A context holds only what its connections need: no trusted roots unless
//! the connection verifies the server, then the named `sslrootcert` file, or
//! the system's roots for `sslrootcert=system`. (native-tls, used before,
//! parsed the whole system CA bundle for every connector, even for
//! `sslmode=disable` and even when told to trust only a given file: 60 to
//! 100 ms of CPU per process.) Contexts are built once per process and shared.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::ssl::{
    Ssl, SslContext, SslFiletype, SslMethod, SslMode as Mode, SslOptions, SslVerifyMode, SslVersion,
};
use openssl::x509::{X509, X509VerifyResult, verify::X509CheckFlags};
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

fn version(v: TlsVersion) -> SslVersion {
    match v {
        TlsVersion::Tls10 => SslVersion::TLS1,
        TlsVersion::Tls11 => SslVersion::TLS1_1,
        TlsVersion::Tls12 => SslVersion::TLS1_2,
        TlsVersion::Tls13 => SslVersion::TLS1_3,
    }
}

/// Whether the server's certificate chain is verified (verify-ca,
/// verify-full, and require when a root certificate is at hand, as libpq).
pub fn verifies(spec: &ConnectSpec) -> bool {
    matches!(spec.sslmode, SslMode::VerifyCa | SslMode::VerifyFull)
        || (spec.sslmode == SslMode::Require && spec.rootcert != RootCert::None)
}

/// Everything a context depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    verify: bool,
    rootcert: RootCert,
    sslmode: SslMode,
    client_cert: Option<(std::path::PathBuf, std::path::PathBuf)>,
    min: Option<TlsVersion>,
    max: Option<TlsVersion>,
    alpn: bool,
}

/// The context for this connection string: built on first use, then shared
/// by every connection of the process. Errors are configuration errors (a
/// missing or unreadable certificate file), worded like libpq's.
pub fn context(spec: &ConnectSpec) -> Result<SslContext, SetupError> {
    static CACHE: OnceLock<Mutex<HashMap<Key, SslContext>>> = OnceLock::new();
    let key = Key {
        verify: verifies(spec),
        rootcert: spec.rootcert.clone(),
        sslmode: spec.sslmode,
        client_cert: spec.client_cert.clone(),
        min: spec.ssl_min_protocol,
        max: spec.ssl_max_protocol,
        alpn: spec.direct_tls,
    };
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(c) = cache.lock().expect("not poisoned").get(&key) {
        return Ok(c.clone());
    }
    let built = build(&key)?;
    cache
        .lock()
        .expect("not poisoned")
        .insert(key, built.clone());
    Ok(built)
}

fn build(key: &Key) -> Result<SslContext, SetupError> {
    let setup = SetupError::OpenSsl;
    let mut b = SslContext::builder(SslMethod::tls_client()).map_err(setup)?;
    b.set_options(
        SslOptions::ALL | SslOptions::NO_COMPRESSION | SslOptions::NO_SSLV2 | SslOptions::NO_SSLV3,
    );
    b.set_mode(Mode::AUTO_RETRY | Mode::ACCEPT_MOVING_WRITE_BUFFER | Mode::ENABLE_PARTIAL_WRITE);
    b.set_cipher_list("DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK")
        .map_err(setup)?;
    // libpq's default minimum is TLS 1.2.
    b.set_min_proto_version(Some(key.min.map(version).unwrap_or(SslVersion::TLS1_2)))
        .map_err(setup)?;
    b.set_max_proto_version(key.max.map(version))
        .map_err(setup)?;
    if key.verify {
        match &key.rootcert {
            RootCert::System => {
                let probe = openssl_probe::probe();
                if probe.cert_file.is_none() && probe.cert_dir.is_empty() {
                    b.set_default_verify_paths().map_err(setup)?;
                }
                if let Some(f) = &probe.cert_file {
                    b.load_verify_locations(Some(f), None).map_err(|error| {
                        SetupError::SystemRoots {
                            path: f.clone(),
                            error,
                        }
                    })?;
                }
                for d in &probe.cert_dir {
                    let _ = b.load_verify_locations(None, Some(d));
                }
            }
            RootCert::File(path) => {
                for c in read_roots(path)? {
                    b.cert_store_mut().add_cert(c).map_err(setup)?;
                }
            }
            RootCert::None => {
                return Err(SetupError::NoRootCertificate(key.sslmode.as_str()));
            }
        }
        b.set_verify(SslVerifyMode::PEER);
    } else {
        b.set_verify(SslVerifyMode::NONE);
    }
    if let Some((cert, pkey)) = &key.client_cert {
        b.set_certificate_chain_file(cert)
            .map_err(|error| SetupError::ClientCertificate {
                path: cert.clone(),
                error,
            })?;
        b.set_private_key_file(pkey, SslFiletype::PEM)
            .map_err(|error| SetupError::PrivateKey {
                path: pkey.clone(),
                error,
            })?;
        b.check_private_key()
            .map_err(|error| SetupError::KeyMismatch {
                cert: cert.clone(),
                key: pkey.clone(),
                error,
            })?;
    }
    if key.alpn {
        b.set_alpn_protos(b"\x0apostgresql").map_err(setup)?;
    }
    Ok(b.build())
}

fn read_roots(path: &Path) -> Result<Vec<X509>, SetupError> {
    let pem = std::fs::read(path).map_err(|error| SetupError::RootFile {
        path: path.to_path_buf(),
        error,
    })?;
    let certs = X509::stack_from_pem(&pem).map_err(|error| SetupError::RootPem {
        path: path.to_path_buf(),
        error,
    })?;
    if certs.is_empty() {
        return Err(SetupError::NoRootInFile(path.to_path_buf()));
    }
    Ok(certs)
}

/// A TLS context that cannot be made from the connection string (a
/// configuration error, worded like libpq's).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot set up TLS: {0}")]
    OpenSsl(openssl::error::ErrorStack),
    #[error("could not read the system's root certificates ({}): {error}", path.display())]
    SystemRoots {
        path: std::path::PathBuf,
        error: openssl::error::ErrorStack,
    },
    #[error(
        "sslmode={0} needs a root certificate to verify the server, and ~/.postgresql/root.crt does not exist: add sslrootcert=system to trust the system's roots (right for Neon), or sslrootcert=/path/to/ca.pem"
    )]
    NoRootCertificate(&'static str),
    #[error("could not read client certificate file \"{}\": {error}", path.display())]
    ClientCertificate {
        path: std::path::PathBuf,
        error: openssl::error::ErrorStack,
    },
    #[error("could not load private key file \"{}\": {error}", path.display())]
    PrivateKey {
        path: std::path::PathBuf,
        error: openssl::error::ErrorStack,
    },
    #[error("certificate \"{}\" does not match private key file \"{}\": {error}", cert.display(), key.display())]
    KeyMismatch {
        cert: std::path::PathBuf,
        key: std::path::PathBuf,
        error: openssl::error::ErrorStack,
    },
    #[error("could not read root certificate file \"{}\": {error}", path.display())]
    RootFile {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    #[error("root certificate file \"{}\" holds no valid PEM certificate: {error}", path.display())]
    RootPem {
        path: std::path::PathBuf,
        error: openssl::error::ErrorStack,
    },
    #[error("root certificate file \"{}\" holds no certificate", .0.display())]
    NoRootInFile(std::path::PathBuf),
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

fn describe(x: &X509) -> TlsInfo {
    TlsInfo {
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
    }
}

/// When the TLS handshake finished, and what it showed.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub at: std::time::Instant,
    pub info: Option<TlsInfo>,
}

/// A failed handshake, with OpenSSL's verification result when there is one.
#[derive(Debug)]
pub struct HandshakeError(String);

impl std::fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HandshakeError {}

/// A `TlsConnect` that records the handshake, so that a failure after it is
/// put at the auth/server stage and one before it at TLS, and so that
/// `doctor` can show the certificate.
pub struct Recording {
    context: Option<SslContext>,
    domain: String,
    sni: bool,
    verify_host: bool,
    pub done: Arc<Mutex<Option<Handshake>>>,
    /// Receives the BackendKeyData's pid, read above the TLS layer.
    key: super::backend_key::KeyCell,
}

impl Recording {
    /// `context` is `None` for a connection that never asks for TLS; `done`
    /// receives the handshake when it completes.
    pub fn new(
        context: Option<SslContext>,
        spec: &ConnectSpec,
        domain: &str,
        done: Arc<Mutex<Option<Handshake>>>,
        key: super::backend_key::KeyCell,
    ) -> Self {
        Recording {
            key,
            context,
            domain: domain.to_string(),
            sni: spec.sslsni,
            verify_host: spec.sslmode == SslMode::VerifyFull,
            done,
        }
    }

    fn ssl(&self) -> Result<Ssl, HandshakeError> {
        let setup = |e: openssl::error::ErrorStack| HandshakeError(format!("TLS set-up: {e}"));
        let context = self.context.as_ref().ok_or_else(|| {
            HandshakeError("TLS was not prepared for a plain connection".to_string())
        })?;
        let mut ssl = Ssl::new(context).map_err(setup)?;
        let ip = self.domain.parse::<IpAddr>().ok();
        // libpq sends SNI for host names, never for IP addresses.
        if self.sni && ip.is_none() {
            ssl.set_hostname(&self.domain).map_err(setup)?;
        }
        if self.verify_host {
            let param = ssl.param_mut();
            param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
            match ip {
                Some(ip) => param.set_ip(ip).map_err(setup)?,
                None => param.set_host(&self.domain).map_err(setup)?,
            }
        }
        Ok(ssl)
    }
}

/// The TLS stream, with channel binding (tls-server-end-point) for SCRAM-PLUS.
pub struct Stream<S>(super::backend_key::Watched<tokio_openssl::SslStream<S>>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Stream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Stream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// RFC 5929's tls-server-end-point: the hash of the server's certificate,
/// with the certificate's own signature hash (SHA-256 for MD5 and SHA-1).
fn server_end_point(cert: &X509) -> Option<Vec<u8>> {
    let algorithms = cert
        .signature_algorithm()
        .object()
        .nid()
        .signature_algorithms()?;
    let digest = match algorithms.digest {
        Nid::MD5 | Nid::SHA1 => MessageDigest::sha256(),
        nid => MessageDigest::from_nid(nid)?,
    };
    cert.digest(digest).ok().map(|d| d.to_vec())
}

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for Stream<S> {
    fn channel_binding(&self) -> tokio_postgres::tls::ChannelBinding {
        match self
            .0
            .get_ref()
            .ssl()
            .peer_certificate()
            .as_ref()
            .and_then(server_end_point)
        {
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
    type Error = HandshakeError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Stream, HandshakeError>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        let done = self.done.clone();
        let key = self.key.clone();
        let ssl = self.ssl();
        Box::pin(async move {
            let mut s = tokio_openssl::SslStream::new(ssl?, stream)
                .map_err(|e| HandshakeError(format!("TLS set-up: {e}")))?;
            if let Err(e) = Pin::new(&mut s).connect().await {
                let verify = s.ssl().verify_result();
                let mut message = e.to_string();
                if verify != X509VerifyResult::OK {
                    message = format!(
                        "certificate verify failed: {} ({message})",
                        verify.error_string()
                    );
                }
                return Err(HandshakeError(message));
            }
            let info = s.ssl().peer_certificate().as_ref().map(describe);
            *done.lock().expect("not poisoned") = Some(Handshake {
                at: std::time::Instant::now(),
                info,
            });
            Ok(Stream(super::backend_key::Watched::new(s, key)))
        })
    }
}
