//! The process id in the server's BackendKeyData message, read off the wire
//! during the startup (the driver keeps it private). PostgreSQL sends its
//! own backend's pid there; a pooler or proxy that hands out cancel keys of
//! its own (PgBouncer in every mode, pgcat, Neon's proxy) sends another
//! number. Compared with `pg_backend_pid()`, it tells whether the session
//! is PostgreSQL's own (see `connect::proof`).
//!
//! A watcher follows the bytes each way without changing them: what the
//! client writes first (an SSLRequest, a StartupMessage, a TLS ClientHello)
//! says how to read what comes back. Under TLS the plaintext is watched
//! above the TLS layer by a second watcher sharing the same cell; the one
//! below stops at the server's `S`. It stops for good at ReadyForQuery.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const SSL_REQUEST: u32 = 80877103;
const GSSENC_REQUEST: u32 = 80877104;
const PROTOCOL_3: u32 = 3 << 16;

/// Where the pid lands once read.
pub type KeyCell = Arc<Mutex<Option<i32>>>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Nothing written yet.
    Start,
    /// The client asked for TLS: the next byte read answers.
    SslAnswer,
    /// Reading the server's messages: the header gathered so far, and the
    /// bytes of the current message's body still to come.
    Messages {
        header: Vec<u8>,
        body_left: usize,
        key: Option<Vec<u8>>,
    },
    /// Done, or not ours to read (TLS bytes, an unknown start).
    Off,
}

/// The state machine, fed what is written and what is read.
#[derive(Debug)]
pub struct Watch {
    state: State,
    cell: KeyCell,
}

impl Watch {
    pub fn new(cell: KeyCell) -> Watch {
        Watch {
            state: State::Start,
            cell,
        }
    }

    pub fn wrote(&mut self, buf: &[u8]) {
        if self.state != State::Start {
            return;
        }
        let code = (buf.len() >= 8).then(|| u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]));
        self.state = match code {
            Some(SSL_REQUEST) => State::SslAnswer,
            Some(PROTOCOL_3) => State::Messages {
                header: Vec::with_capacity(5),
                body_left: 0,
                key: None,
            },
            Some(GSSENC_REQUEST) | Some(_) | None => State::Off,
        };
    }

    pub fn read(&mut self, mut buf: &[u8]) {
        while !buf.is_empty() {
            match &mut self.state {
                State::Start | State::Off => return,
                State::SslAnswer => {
                    // 'S': TLS follows (watched above it); 'N': plain, and
                    // the client's next write is its StartupMessage.
                    self.state = if buf[0] == b'N' {
                        State::Start
                    } else {
                        State::Off
                    };
                    buf = &buf[1..];
                }
                State::Messages {
                    header,
                    body_left,
                    key,
                } => {
                    if *body_left > 0 {
                        let n = (*body_left).min(buf.len());
                        if let Some(k) = key.as_mut() {
                            k.extend_from_slice(&buf[..n]);
                        }
                        *body_left -= n;
                        buf = &buf[n..];
                        if *body_left == 0 {
                            let done = header[0] == b'Z';
                            if let Some(k) = key.take()
                                && k.len() >= 4
                            {
                                *self.cell.lock().expect("not poisoned") =
                                    Some(i32::from_be_bytes([k[0], k[1], k[2], k[3]]));
                            }
                            header.clear();
                            if done {
                                self.state = State::Off;
                            }
                        }
                        continue;
                    }
                    let n = (5 - header.len()).min(buf.len());
                    header.extend_from_slice(&buf[..n]);
                    buf = &buf[n..];
                    if header.len() == 5 {
                        let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
                        if len < 4 {
                            self.state = State::Off;
                            return;
                        }
                        *body_left = len as usize - 4;
                        *key = (header[0] == b'K').then(Vec::new);
                        if *body_left == 0 {
                            let done = header[0] == b'Z';
                            header.clear();
                            if done {
                                self.state = State::Off;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A stream whose traffic a [`Watch`] follows.
pub struct Watched<S> {
    inner: S,
    watch: Watch,
}

impl<S> Watched<S> {
    pub fn new(inner: S, cell: KeyCell) -> Watched<S> {
        Watched {
            inner,
            watch: Watch::new(cell),
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = r {
            let this = &mut *self;
            this.watch.read(&buf.filled()[before..]);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = r {
            self.watch.wrote(&buf[..n]);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn startup() -> Vec<u8> {
        let mut m = vec![0, 0, 0, 0];
        m.extend_from_slice(&PROTOCOL_3.to_be_bytes());
        m.extend_from_slice(b"user\0u\0\0");
        let len = m.len() as u32;
        m[..4].copy_from_slice(&len.to_be_bytes());
        m
    }

    fn message(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![t];
        m.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    /// What a server sends from authentication to ReadyForQuery, then a row.
    fn server_startup(pid: i32) -> Vec<u8> {
        let mut key = pid.to_be_bytes().to_vec();
        key.extend_from_slice(&7i32.to_be_bytes());
        [
            message(b'R', &0u32.to_be_bytes()),
            message(b'S', b"server_version\x0015.8\0"),
            message(b'K', &key),
            message(b'Z', b"I"),
            // After ReadyForQuery: a DataRow carrying a 'K' lookalike.
            message(b'D', &[0, 1, 0, 0, 0, 1, b'K']),
            message(b'K', &99i32.to_be_bytes()),
        ]
        .concat()
    }

    fn watched(writes: &[Vec<u8>], reads: &[u8], chunk: usize) -> Option<i32> {
        let cell = KeyCell::default();
        let mut w = Watch::new(cell.clone());
        for b in writes {
            w.wrote(b);
        }
        for c in reads.chunks(chunk) {
            w.read(c);
        }
        *cell.lock().unwrap()
    }

    #[test]
    fn the_backend_pid_is_read_whatever_the_reads_are_cut_into() {
        let reads = server_startup(4242);
        for chunk in [1, 2, 3, 5, 7, 64, 4096] {
            assert_eq!(watched(&[startup()], &reads, chunk), Some(4242), "{chunk}");
        }
        assert_eq!(
            watched(&[startup()], &server_startup(-17), 3),
            Some(-17),
            "a pooler's random key may be negative"
        );
    }

    #[test]
    fn a_declined_ssl_request_is_followed_by_a_plain_startup() {
        let mut ssl = 8u32.to_be_bytes().to_vec();
        ssl.extend_from_slice(&SSL_REQUEST.to_be_bytes());
        let cell = KeyCell::default();
        let mut w = Watch::new(cell.clone());
        w.wrote(&ssl);
        w.read(b"N");
        w.wrote(&startup());
        w.read(&server_startup(12));
        assert_eq!(*cell.lock().unwrap(), Some(12));
        // Accepted: what follows is TLS, not read below it.
        let cell = KeyCell::default();
        let mut w = Watch::new(cell.clone());
        w.wrote(&ssl);
        w.read(b"S");
        w.read(&server_startup(12));
        assert_eq!(*cell.lock().unwrap(), None);
    }

    #[test]
    fn an_unknown_start_is_left_alone() {
        // A TLS ClientHello (direct SSL negotiation), a GSSENCRequest.
        let hello = vec![0x16, 3, 1, 0, 0xc8, 1, 0, 0, 0xc4];
        assert_eq!(watched(&[hello], &server_startup(5), 64), None);
        let mut gss = 8u32.to_be_bytes().to_vec();
        gss.extend_from_slice(&GSSENC_REQUEST.to_be_bytes());
        assert_eq!(watched(&[gss], &server_startup(5), 64), None);
    }
}
