//! The kinds of error the library returns for the binary to map to exit
//! codes: input to fix, a check that failed, a connection lost mid-work,
//! several input problems at once. (Connection, URL, config and run errors
//! have types of their own in their modules.)

use crate::migrate::Problem;

/// A usage or input error: the message says what to fix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A check or an operation that ran and failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(pub String);

pub fn usage(msg: impl std::fmt::Display) -> anyhow::Error {
    UsageError(msg.to_string()).into()
}

/// The connection was lost while the work ran (exit 3, as for one that
/// could not be made).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectionLost(pub String);

/// Input problems, every one at once (exit 2): the top level shows them
/// (a line for one, a table for several, `problems` in `--json`).
#[derive(Debug, thiserror::Error)]
#[error("{what}: {} problem(s), nothing was changed", problems.len())]
pub struct Problems {
    pub what: String,
    pub problems: Vec<Problem>,
}

pub fn problems(what: impl std::fmt::Display, problems: Vec<Problem>) -> anyhow::Error {
    Problems {
        what: what.to_string(),
        problems,
    }
    .into()
}
