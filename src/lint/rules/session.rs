//! Statements that undo what the runner set up in its session for the
//! whole run: the migration lock (a session advisory lock) and the
//! timeouts (`lock_timeout`, `statement_timeout`,
//! `idle_in_transaction_session_timeout`, set once per session).

use pg_query::NodeEnum;
use pg_query::protobuf::{DiscardMode, VariableSetKind};

use super::{Draft, draft};
use crate::lint::{Effect, Severity};
use crate::sql::Statement;

/// The settings the runner sets for its session.
const RUNNER_SETTINGS: &[&str] = &[
    "lock_timeout",
    "statement_timeout",
    "idle_in_transaction_session_timeout",
];

/// Findings for a statement that releases the migration lock or changes the
/// runner's timeouts for the migrations after it.
pub(super) fn session(node: &NodeEnum, s: &Statement, e: &mut Effect, drafts: &mut Vec<Draft>) {
    match node {
        NodeEnum::DiscardStmt(d) if d.target == DiscardMode::DiscardAll as i32 => {
            e.outside_transaction = Some("DISCARD ALL");
            drafts.push(draft(
                "releases-migration-lock",
                Severity::Error,
                "DISCARD ALL releases the migration lock (a session advisory lock: another runner may start while this one goes on) and resets the runner's lock_timeout and statement_timeout".into(),
                Some("DISCARD TEMP or DISCARD PLANS, if that is what it is for".into()),
            ));
        }
        NodeEnum::VariableSetStmt(v) if !v.is_local => {
            let kind = VariableSetKind::try_from(v.kind).unwrap_or(VariableSetKind::Undefined);
            let name = v.name.to_ascii_lowercase();
            let what = match kind {
                VariableSetKind::VarResetAll => "RESET ALL".to_string(),
                VariableSetKind::VarReset if RUNNER_SETTINGS.contains(&name.as_str()) => {
                    format!("RESET {name}")
                }
                VariableSetKind::VarSetValue
                | VariableSetKind::VarSetDefault
                | VariableSetKind::VarSetCurrent
                    if RUNNER_SETTINGS.contains(&name.as_str()) =>
                {
                    format!("SET {name} (not SET LOCAL)")
                }
                _ => return,
            };
            drafts.push(draft(
                "changes-runner-timeouts",
                Severity::Warning,
                format!("{what} outlasts this migration: the migrations after it in the run no longer get the lock_timeout and statement_timeout neonops set for them (without one, a lock wait can block the application's queries without limit)"),
                Some("SET LOCAL, which ends with this migration's transaction; for the whole run use --lock-timeout / --statement-timeout".into()),
            ));
        }
        _ => {}
    }
    if s.text
        .to_ascii_lowercase()
        .contains("pg_advisory_unlock_all")
    {
        drafts.push(draft(
            "releases-migration-lock",
            Severity::Error,
            "pg_advisory_unlock_all() releases the migration lock too (a session advisory lock): another runner may start while this one goes on".into(),
            Some("pg_advisory_unlock(key) for each lock the migration took itself".into()),
        ));
    }
}
