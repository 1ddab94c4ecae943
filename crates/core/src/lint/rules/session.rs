//! Statements that undo what the runner set up in its session: the
//! migration lock (a session advisory lock, taken back after the
//! migration) and the timeouts (`lock_timeout`, `statement_timeout`,
//! `idle_in_transaction_session_timeout`, set again after the migration).

use crate::lint::Rule;
use pg_query::NodeEnum;
use pg_query::protobuf::{self as pb, DiscardMode, VariableSetKind};

use super::{Draft, draft};
use crate::lint::{Effect, Severity};
use crate::sql::Statement;

/// The settings the runner sets for its session.
const RUNNER_SETTINGS: &[&str] = &[
    "lock_timeout",
    "statement_timeout",
    "idle_in_transaction_session_timeout",
];

/// Findings for a statement that releases the migration lock or removes
/// the runner's timeouts for the rest of its migration.
pub(super) fn session(node: &NodeEnum, s: &Statement, e: &mut Effect, drafts: &mut Vec<Draft>) {
    match node {
        NodeEnum::DiscardStmt(d) if d.target == DiscardMode::DiscardAll as i32 => {
            e.outside_transaction = Some("DISCARD ALL");
            drafts.push(draft(
                Rule::ReleasesMigrationLock,
                Severity::Error,
                "DISCARD ALL releases the migration lock (a session advisory lock) and resets the runner's timeouts: another runner may take the lock before neonops takes it back after this migration, and then this run stops there".into(),
                Some("DISCARD TEMP or DISCARD PLANS, if that is what it is for".into()),
            ));
        }
        NodeEnum::VariableSetStmt(v) => {
            if let Some(what) = disabled_timeout(v) {
                drafts.push(draft(
                    Rule::DisablesTimeouts,
                    Severity::Warning,
                    format!("{what}: the statements after it in this migration run without that timeout; a DDL statement's lock request can then wait without limit, and the application's queries on the table queue behind it (neonops sets its timeouts again after the migration)"),
                    Some("a bounded value for this migration, e.g. SET LOCAL lock_timeout = '30s' (or --lock-timeout / --statement-timeout for the whole run)".into()),
                ));
            }
        }
        _ => {}
    }
    if s.text
        .to_ascii_lowercase()
        .contains("pg_advisory_unlock_all")
    {
        drafts.push(draft(
            Rule::ReleasesMigrationLock,
            Severity::Error,
            "pg_advisory_unlock_all() releases the migration lock too (a session advisory lock): another runner may take it before neonops takes it back after this migration, and then this migration rolls back and the run stops".into(),
            Some("pg_advisory_unlock(key) for each lock the migration took itself".into()),
        ));
    }
}

/// `RESET ALL`, or `RESET`, `SET … TO DEFAULT` or `SET … = 0` of one of the
/// runner's timeouts (a value of its own is a choice, not a removal): what
/// the statement does, for the message.
fn disabled_timeout(v: &pb::VariableSetStmt) -> Option<String> {
    let name = v.name.to_ascii_lowercase();
    let timeout = RUNNER_SETTINGS.contains(&name.as_str());
    let set = if v.is_local { "SET LOCAL" } else { "SET" };
    match VariableSetKind::try_from(v.kind).ok()? {
        VariableSetKind::VarResetAll => {
            Some("RESET ALL removes the runner's lock_timeout and statement_timeout".into())
        }
        VariableSetKind::VarReset if timeout => {
            Some(format!("RESET {name} removes the runner's {name}"))
        }
        VariableSetKind::VarSetDefault if timeout => Some(format!(
            "{set} {name} TO DEFAULT removes the runner's {name}"
        )),
        VariableSetKind::VarSetValue if timeout && v.args.first().is_some_and(is_zero) => {
            Some(format!("{set} {name} = 0 turns {name} off"))
        }
        _ => None,
    }
}

/// A setting's value that means 0: `0`, `'0'`, `'0ms'`, `'0 s'`…
fn is_zero(arg: &pb::Node) -> bool {
    match &arg.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(pb::a_const::Val::Ival(i)) => i.ival == 0,
            Some(pb::a_const::Val::Fval(f)) => f.fval.parse::<f64>() == Ok(0.0),
            Some(pb::a_const::Val::Sval(s)) => {
                let number = s
                    .sval
                    .trim()
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .trim();
                number.parse::<f64>() == Ok(0.0)
            }
            _ => false,
        },
        _ => false,
    }
}
