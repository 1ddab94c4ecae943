//! Exit codes: the contract with scripts and CI, decided here and only here
//! (documented in the README).

use std::process::ExitCode;

use crate::classify::{self, Kind};
pub use crate::error::{ConnectionLost, Failure, Problems, UsageError, problems, usage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exit {
    /// Everything worked.
    Success = 0,
    /// A check or a migration failed.
    Failure = 1,
    /// Bad usage, configuration or input: nothing was changed.
    Usage = 2,
    /// Could not connect to a database (or reach the Neon API).
    Connect = 3,
    /// A bug in neonops.
    Internal = 4,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The exit code an error maps to: its kind's (the library decides the
    /// kind of each of its errors), a usage error for the command line's.
    pub fn for_error(e: &anyhow::Error) -> Exit {
        if e.chain().any(|c| c.is::<clap::Error>()) {
            return Exit::Usage;
        }
        match classify::kind(e) {
            Some(Kind::Usage) => Exit::Usage,
            Some(Kind::Connect) => Exit::Connect,
            Some(Kind::Failure) | None => Exit::Failure,
            Some(Kind::Bug) => Exit::Internal,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// An error and its causes on one line, each said once: a cause whose text
/// an outer message already contains (a wrapper that repeats its source) is
/// left out.
pub fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// A message and its fix, as every error prints them: `<message>. Fix:
/// <fix>` (no doubled stop after a message that ends in `.`, `?` or `!`).
pub fn with_fix(message: &str, fix: &str) -> String {
    let message = message.trim_end();
    let stop = if message.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    format!("{message}{stop} Fix: {fix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_follows_its_message_with_one_stop() {
        assert_eq!(
            with_fix("listening on that port?", "check the port"),
            "listening on that port? Fix: check the port"
        );
        assert_eq!(
            with_fix("syntax error (line 3, column 13)", "fix the migration"),
            "syntax error (line 3, column 13). Fix: fix the migration"
        );
        assert_eq!(with_fix("done.", "x"), "done. Fix: x");
    }

    #[derive(Debug, thiserror::Error)]
    #[error("outer says: {0}")]
    struct Repeats(#[source] UsageError);

    #[test]
    fn a_cause_already_said_is_left_out() {
        let e = anyhow::Error::from(Repeats(UsageError("the port is wrong".into())))
            .context("the URL from --database-url");
        assert_eq!(
            message(&e),
            "the URL from --database-url: outer says: the port is wrong"
        );
    }
}
