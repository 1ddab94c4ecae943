//! A statement the server refused, or a connection that ended under it, in
//! neonops' terms: the driver's error turned into this at the edge.

use crate::connect::SqlState;

/// A statement the server refused, or the connection that ended under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub sqlstate: Option<String>,
    /// The server's message, or the driver's for an error of its own.
    pub message: String,
    pub detail: Option<String>,
    /// Where in the message's text the error is (characters, from 1).
    pub position: Option<usize>,
    /// The session is gone (closed, or an I/O error on the connection).
    pub closed: bool,
}

impl ServerError {
    pub fn state(&self) -> Option<SqlState> {
        self.sqlstate.as_deref().and_then(SqlState::of)
    }

    /// The session ended under the work: a restart, a failover, the network.
    pub fn connection_lost(&self) -> bool {
        self.closed || self.state().is_some_and(SqlState::ends_session)
    }

    /// The server's message and detail (or the driver's message).
    pub fn describe(&self) -> String {
        match &self.detail {
            Some(d) => format!("{} (detail: {d})", self.message),
            None => self.message.clone(),
        }
    }
}

impl From<&tokio_postgres::Error> for ServerError {
    fn from(e: &tokio_postgres::Error) -> ServerError {
        match e.as_db_error() {
            Some(db) => ServerError {
                sqlstate: Some(db.code().code().to_string()),
                message: db.message().to_string(),
                detail: db.detail().map(str::to_string),
                position: match db.position() {
                    Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                    _ => None,
                },
                closed: false,
            },
            None => ServerError {
                sqlstate: None,
                message: e.to_string(),
                detail: None,
                position: None,
                closed: e.is_closed()
                    || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
            },
        }
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl std::error::Error for ServerError {}
