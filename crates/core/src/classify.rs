//! What an error means, decided here for every error type of the library:
//! its [`Kind`] (which the binary maps to an exit code) and the server's
//! SQLSTATE when a query failed. The first typed error of a chain decides.

use std::error::Error;

use crate::config::ConfigError;
use crate::connect::ConnectError;
use crate::connect::proof::NotASession;
use crate::endpoint::{ConvertError, UrlError};
use crate::error::{ConnectionLost, Failure, Problems, UsageError};
use crate::migrate::run::RunError;
use crate::neon_api::ApiError;
use crate::schema::compare::Unparsable;
use crate::schema::replay::NotReplayable;

/// What an error means for whoever ran the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad usage, configuration or input: nothing was changed.
    Usage,
    /// A check or an operation ran and failed.
    Failure,
    /// A database (or the Neon API) could not be reached, or was lost.
    Connect,
    /// A bug in neonops.
    Bug,
}

/// The kind of an error: that of the first error of its chain whose type
/// has one; none when no error of the chain is the library's.
pub fn kind(e: &anyhow::Error) -> Option<Kind> {
    e.chain().find_map(kind_of)
}

fn kind_of(e: &(dyn Error + 'static)) -> Option<Kind> {
    if e.is::<ConnectError>() || e.is::<ConnectionLost>() {
        return Some(Kind::Connect);
    }
    if e.is::<UrlError>()
        || e.is::<ConvertError>()
        || e.is::<ConfigError>()
        || e.is::<UsageError>()
        || e.is::<Problems>()
        || e.is::<NotASession>()
        || e.is::<NotReplayable>()
    {
        return Some(Kind::Usage);
    }
    if let Some(r) = e.downcast_ref::<RunError>() {
        return Some(match r {
            RunError::DamagedHistory(_) | RunError::Refused(_) | RunError::NotASession(_) => {
                Kind::Usage
            }
            RunError::LockWait { .. } | RunError::Query { .. } | RunError::Unreleased(_) => {
                Kind::Failure
            }
        });
    }
    if let Some(a) = e.downcast_ref::<ApiError>() {
        return Some(match a {
            ApiError::KeyMissing | ApiError::KeyRefused { .. } | ApiError::NotFound { .. } => {
                Kind::Usage
            }
            ApiError::Unreachable { .. } => Kind::Connect,
            _ => Kind::Failure,
        });
    }
    if e.is::<Failure>() {
        return Some(Kind::Failure);
    }
    if e.is::<Unparsable>() {
        return Some(Kind::Bug);
    }
    None
}

/// The server's SQLSTATE of any error: a migration's failed query, a
/// connection refused with one, a driver error anywhere in the chain.
pub fn sqlstate(e: &anyhow::Error) -> Option<String> {
    e.chain()
        .find_map(|c| c.downcast_ref::<RunError>())
        .and_then(RunError::sqlstate)
        .or_else(|| crate::connect::sqlstate::code_of_chain(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error of no kind whose source has one.
    #[derive(Debug, thiserror::Error)]
    #[error("while checking")]
    struct Wraps(#[source] ConnectionLost);

    #[test]
    fn the_first_typed_error_of_a_chain_decides() {
        let e = anyhow::Error::from(UsageError("bad flag".into())).context("while reading");
        assert_eq!(kind(&e), Some(Kind::Usage));
        let e = anyhow::Error::from(Wraps(ConnectionLost("lost".into())));
        assert_eq!(kind(&e), Some(Kind::Connect));
        let e = anyhow::Error::from(Failure("check failed".into())).context("in doctor");
        assert_eq!(kind(&e), Some(Kind::Failure));
        let e = anyhow::Error::from(ApiError::KeyMissing);
        assert_eq!(kind(&e), Some(Kind::Usage));
        assert_eq!(kind(&anyhow::anyhow!("untyped")), None);
    }
}
