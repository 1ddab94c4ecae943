//! Proof, at run time, that a connection is a session on PostgreSQL itself
//! (or on a pooler that keeps one server session per client), whatever its
//! URL says: the work that needs session state (the migration lock, the
//! runner's timeouts, no-transaction migrations, scratch databases) never
//! runs through a transaction or statement pooler.
//!
//! Two signals, measured against PgBouncer in each pool mode, the sandbox's
//! Neon-shaped proxy and PostgreSQL itself (docs/reliability.md):
//!
//! 1. The BackendKeyData's process id against `pg_backend_pid()`. PostgreSQL
//!    sends its backend's own pid; PgBouncer (every mode) and other poolers
//!    send a key of their own. Equal: PostgreSQL's own session, proven at no
//!    cost (the runner asks `pg_backend_pid()` in its first round trip anyway).
//! 2. When they differ, something sits in between: a second client is
//!    connected through the same URL and both ask for their backend. A
//!    transaction or statement pooler hands an idle server to whoever asks
//!    next (PgBouncer's default is the most recently used one), so the second
//!    client gets the first one's backend, or the first one's next
//!    transaction lands on another: either is proof of a pooler. Neither:
//!    the intermediary keeps a server per client (a session pooler, Neon's
//!    proxy), and the work goes on, each of its transactions still checking
//!    that it runs on the proven backend (migrate's guard), so that a pooler
//!    that fooled the probe stops the run before the next migration.

use std::future::Future;

use tokio_postgres::Client;

use crate::rows;

/// How a session was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Proven {
    /// The cancel key's pid is the backend's: PostgreSQL's own session.
    Direct { pid: i32 },
    /// Something in between hands out its own keys but kept one backend
    /// for this client while a second client was served by another.
    Kept { pid: i32 },
}

impl Proven {
    pub fn pid(self) -> i32 {
        match self {
            Proven::Direct { pid } | Proven::Kept { pid } => pid,
        }
    }
}

/// What showed that the connection is not a session of its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pooled {
    /// `host:port`, as connected to.
    pub target: String,
    /// What was seen, in words.
    pub evidence: String,
}

/// Session work refused: a transaction or statement pooler.
#[derive(Debug, Clone, thiserror::Error, serde::Serialize)]
#[error(
    "a transaction pooler at {}: {} (the cancel key's pid is not the server's, so a pooler or proxy is in between, and it does not keep a server session per client). Session work (the migration lock, the runner's timeouts, CREATE INDEX CONCURRENTLY) cannot run through it; nothing was changed. Fix: give the server's own URL (--direct-url or DATABASE_URL_DIRECT), or declare the pooler under [[pooler]] in neonops.toml with direct_host (and direct_port) so that neonops goes around it",
    pooled.target, pooled.evidence
)]
pub struct NotASession {
    pub pooled: Pooled,
}

impl NotASession {
    fn new(target: &str, evidence: String) -> NotASession {
        NotASession {
            pooled: Pooled {
                target: target.to_string(),
                evidence,
            },
        }
    }

    /// The session's backend changed between two transactions.
    pub fn moved(target: &str, from: i32, to: i32) -> NotASession {
        NotASession::new(
            target,
            format!(
                "the session's server process changed between two transactions (pid {from}, then {to})"
            ),
        )
    }
}

/// The first signal: does the key's pid name the backend?
pub fn by_key(key_pid: Option<i32>, backend_pid: i32) -> Option<Proven> {
    (key_pid == Some(backend_pid)).then_some(Proven::Direct { pid: backend_pid })
}

/// `SELECT pg_backend_pid()` on a client.
pub async fn backend_pid(client: &Client) -> Result<i32, tokio_postgres::Error> {
    let m = client.simple_query("SELECT pg_backend_pid()::text").await?;
    Ok(rows::text(&m)
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(0))
}

/// The second signal, when the key does not name the backend: `first` is
/// the session (whose backend answered `first_pid`), `second` connects
/// another client to the same place (None: it could not; the first
/// session's next transaction is still checked).
pub async fn probe<F>(
    first: &Client,
    first_pid: i32,
    target: &str,
    second: F,
) -> Result<Proven, NotASession>
where
    F: Future<Output = Option<Client>>,
{
    let refuse = |evidence: String| NotASession::new(target, evidence);
    let other = second.await;
    if let Some(other) = &other {
        match backend_pid(other).await {
            Ok(p) if p == first_pid => {
                return Err(refuse(format!(
                    "two client connections were served by one server process (pid {p})"
                )));
            }
            _ => {}
        }
    }
    match backend_pid(first).await {
        Ok(p) if p != first_pid => Err(NotASession::moved(target, first_pid, p)),
        // The pooler refused a second statement, or the session went.
        Err(e) => Err(refuse(format!(
            "the session's second transaction failed ({})",
            crate::connect::error::db_message(&e)
        ))),
        Ok(_) => Ok(Proven::Kept { pid: first_pid }),
    }
}

/// Prove a connection on its own (one round trip, and the probe when the
/// key does not name the backend), for the work that asks nothing of the
/// session before it needs it (scratch databases, lint --trace, a
/// rehearsal's branch) and for doctor: the verdict, or the query's error.
pub async fn prove<F>(
    client: &Client,
    key_pid: Option<i32>,
    target: &str,
    second: F,
) -> Result<Result<Proven, NotASession>, tokio_postgres::Error>
where
    F: Future<Output = Option<Client>>,
{
    let pid = backend_pid(client).await?;
    if let Some(p) = by_key(key_pid, pid) {
        return Ok(Ok(p));
    }
    Ok(probe(client, pid, target, second).await)
}

/// Connect and prove the session: for session work that connects on its
/// own (a scratch database's replay, lint --trace, a rehearsal's branch).
pub async fn connect_proven(
    spec: &crate::endpoint::ConnectSpec,
    opts: &super::ConnectOptions,
) -> anyhow::Result<(super::Connected, Proven)> {
    let c = super::connect(spec, opts).await?;
    let mut quiet = opts.clone();
    quiet.progress = super::Progress::Silent;
    let second = async { super::connect(spec, &quiet).await.ok().map(|c| c.client) };
    let p = prove(&c.client, c.key_pid, &c.target, second).await??;
    tracing::debug!(?p, target = %c.target, "session proven");
    Ok((c, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_proves_a_session_only_when_it_names_the_backend() {
        assert_eq!(by_key(Some(42), 42), Some(Proven::Direct { pid: 42 }));
        assert_eq!(by_key(Some(-1_234_567), 42), None);
        assert_eq!(by_key(None, 42), None);
    }

    #[test]
    fn the_refusal_names_the_pooler_and_both_fixes() {
        let e = NotASession {
            pooled: Pooled {
                target: "127.0.0.1:6432".into(),
                evidence: "two client connections were served by one server process (pid 7)".into(),
            },
        };
        let m = e.to_string();
        assert!(
            m.starts_with("a transaction pooler at 127.0.0.1:6432: two client"),
            "{m}"
        );
        assert!(
            m.contains("--direct-url") && m.contains("direct_host"),
            "{m}"
        );
        assert!(m.contains("nothing was changed"), "{m}");
    }
}
