//! The SQLSTATEs neonops acts on, named once (PostgreSQL's
//! `errcodes.txt`): every decision taken on a server's error code goes
//! through this enum, never a string literal.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SqlState {
    /// 08P01: PgBouncer's refusals (unknown user, unsupported parameter…).
    ProtocolViolation,
    /// 25001: a statement that cannot run inside a transaction block.
    ActiveSqlTransaction,
    /// 25P02: the transaction is aborted; commands are ignored until its end.
    InFailedSqlTransaction,
    /// 26000: a prepared statement that does not exist.
    InvalidSqlStatementName,
    /// 28000: pg_hba.conf has no entry, or the role may not log in.
    InvalidAuthorizationSpecification,
    /// 28P01: the password is wrong (or the role does not exist).
    InvalidPassword,
    /// 3D000: no such database.
    InvalidCatalogName,
    /// 3F000: no such schema.
    InvalidSchemaName,
    /// 42P01: no such table.
    UndefinedTable,
    /// 53300: no free connection slot (max_connections, a role's or a
    /// database's limit, the reserved slots).
    TooManyConnections,
    /// 55P03: lock_timeout (or NOWAIT) gave up waiting for a lock.
    LockNotAvailable,
    /// 57014: statement_timeout or a cancel request.
    QueryCanceled,
    /// 57P01: the server is shutting down (the session was terminated).
    AdminShutdown,
    /// 57P02: the server crashed.
    CrashShutdown,
    /// 57P03: the server is starting up or recovering.
    CannotConnectNow,
    /// XX000: an internal error (Neon's proxy reports its refusals so).
    InternalError,
}

use SqlState::*;

const ALL: &[(SqlState, &str)] = &[
    (ProtocolViolation, "08P01"),
    (ActiveSqlTransaction, "25001"),
    (InFailedSqlTransaction, "25P02"),
    (InvalidSqlStatementName, "26000"),
    (InvalidAuthorizationSpecification, "28000"),
    (InvalidPassword, "28P01"),
    (InvalidCatalogName, "3D000"),
    (InvalidSchemaName, "3F000"),
    (UndefinedTable, "42P01"),
    (TooManyConnections, "53300"),
    (LockNotAvailable, "55P03"),
    (QueryCanceled, "57014"),
    (AdminShutdown, "57P01"),
    (CrashShutdown, "57P02"),
    (CannotConnectNow, "57P03"),
    (InternalError, "XX000"),
];

impl SqlState {
    /// The five-character code.
    pub fn code(self) -> &'static str {
        ALL.iter()
            .find(|(s, _)| *s == self)
            .map(|(_, c)| *c)
            .expect("every state has its code")
    }

    /// The state of a code, when neonops acts on it.
    pub fn of(code: &str) -> Option<SqlState> {
        ALL.iter().find(|(_, c)| *c == code).map(|(s, _)| *s)
    }

    /// The state of a driver error, when the server sent one neonops knows.
    pub fn of_error(e: &tokio_postgres::Error) -> Option<SqlState> {
        e.code().and_then(|c| SqlState::of(c.code()))
    }

    /// The session ended under the work: a restart, a crash, a failover.
    pub fn ends_session(self) -> bool {
        matches!(self, AdminShutdown | CrashShutdown | CannotConnectNow)
    }
}

/// The SQLSTATE an error carries, whatever wraps it: the chain is walked
/// for the server's error (the driver's, or one a run or a connection
/// attempt kept). The one place a code is read from an error (the `--json`
/// error, notes).
pub fn code_of(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(e) = next {
        // The driver's error has its DbError as its source.
        if let Some(db) = e.downcast_ref::<tokio_postgres::error::DbError>() {
            return Some(db.code().code().to_string());
        }
        if let Some(s) = e.downcast_ref::<crate::connect::ServerError>()
            && let Some(c) = &s.sqlstate
        {
            return Some(c.clone());
        }
        if let Some(s) = e.downcast_ref::<crate::connect::ConnectError>()
            && let Some(c) = &s.sqlstate
        {
            return Some(c.clone());
        }
        next = e.source();
    }
    None
}

/// Class 28, invalid authorization specification: every refusal to log
/// in (pg_hba.conf, a wrong password, a role that may not log in).
pub fn is_authorization_class(code: &str) -> bool {
    code.starts_with("28")
}

/// How a code is shown after a message: " (SQLSTATE 55P03)", or nothing.
pub fn suffix(code: Option<&str>) -> String {
    code.map(|c| format!(" (SQLSTATE {c})")).unwrap_or_default()
}

/// A code PostgreSQL does not define, for tests of the unknown.
#[cfg(test)]
pub const UNDEFINED: &str = "XX999";

/// The SQLSTATE of an `anyhow` error's chain (see `code_of`).
pub fn code_of_chain(e: &anyhow::Error) -> Option<String> {
    code_of(e.as_ref())
}

impl std::fmt::Display for SqlState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_one_code_and_back() {
        for (s, c) in ALL {
            assert_eq!(s.code(), *c);
            assert_eq!(SqlState::of(c), Some(*s));
            assert_eq!(c.len(), 5);
        }
        assert_eq!(SqlState::of(UNDEFINED), None);
        assert!(is_authorization_class(InvalidPassword.code()));
        assert!(is_authorization_class(
            InvalidAuthorizationSpecification.code()
        ));
        assert!(!is_authorization_class(InvalidCatalogName.code()));
        assert_eq!(suffix(Some("55P03")), " (SQLSTATE 55P03)");
        assert_eq!(suffix(None), "");
        let codes: std::collections::HashSet<&str> = ALL.iter().map(|(_, c)| *c).collect();
        assert_eq!(codes.len(), ALL.len(), "a code named twice");
        // The driver's own names agree with these.
        assert_eq!(
            tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE.code(),
            LockNotAvailable.code()
        );
        assert_eq!(
            tokio_postgres::error::SqlState::TOO_MANY_CONNECTIONS.code(),
            TooManyConnections.code()
        );
        assert_eq!(
            tokio_postgres::error::SqlState::CANNOT_CONNECT_NOW.code(),
            CannotConnectNow.code()
        );
    }
}
