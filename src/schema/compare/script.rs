//! The plan: every step in the order it runs, and the script psql runs.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Difference, Phase, Step};
use crate::schema::Kind;

/// One statement of the plan, in the order it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub sql: String,
    pub phase: Phase,
    /// The difference it belongs to.
    pub kind: Kind,
    pub name: String,
    /// Said once, above the difference's first statement.
    pub hazards: Vec<String>,
}

/// Every step of every difference, in the order they run, each statement
/// ended with `;`.
pub fn plan(diffs: &[Difference]) -> Vec<Planned> {
    let mut steps: Vec<(&Difference, &Step)> = diffs
        .iter()
        .flat_map(|d| d.steps.iter().map(move |s| (d, s)))
        .collect();
    steps.sort_by_key(|(_, s)| s.seq);
    let mut said: BTreeSet<(Kind, &str)> = BTreeSet::new();
    steps
        .into_iter()
        .map(|(d, s)| Planned {
            sql: super::terminated(&s.sql),
            phase: s.phase,
            kind: d.kind,
            name: d.name.clone(),
            hazards: if said.insert((d.kind, &d.name)) {
                d.hazards.clone()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// A function's body may use a table created after it (and a table's
/// default may use a function): bodies are checked when they run, as
/// pg_dump's scripts do.
pub const CHECK_BODIES_OFF: &str = "SET check_function_bodies = off;";

/// Whether the plan creates functions or procedures.
pub fn creates_routines(planned: &[Planned]) -> bool {
    planned.iter().any(|p| {
        p.sql.starts_with("CREATE")
            && (p.sql.contains(" FUNCTION ") || p.sql.contains(" PROCEDURE "))
    })
}

/// Session settings for a script: the runner's timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub lock: std::time::Duration,
    pub statement: std::time::Duration,
}

/// The plan as a script `psql -v ON_ERROR_STOP=1 -f` runs as it is: new
/// enum labels first, then one transaction (with the runner's timeouts),
/// then what runs outside one; hazards as comments above their statement.
pub fn script(diffs: &[Difference], timeouts: Option<Timeouts>) -> String {
    let planned = plan(diffs);
    let mut out = String::new();
    if let Some(t) = timeouts
        && !planned.is_empty()
    {
        out.push_str(&format!("SET lock_timeout = '{}ms';\n", t.lock.as_millis()));
    }
    if creates_routines(&planned) {
        out.push_str(CHECK_BODIES_OFF);
        out.push('\n');
    }
    let mut open = false;
    let mut outside = false;
    for p in &planned {
        if p.phase.in_transaction() && !open {
            out.push_str("BEGIN;\n");
            if let Some(t) = timeouts {
                out.push_str(&format!(
                    "SET LOCAL statement_timeout = '{}ms';\n",
                    t.statement.as_millis()
                ));
            }
            open = true;
        }
        if !p.phase.in_transaction() && open {
            out.push_str("COMMIT;\n");
            open = false;
        }
        for h in &p.hazards {
            out.push_str(&format!("-- hazard: {h}\n"));
        }
        // Said once, above the first statement of a run outside a transaction.
        let after = p.phase == Phase::After;
        if after && !outside {
            out.push_str("-- outside a transaction\n");
        }
        outside = after;
        out.push_str(&p.sql);
        out.push('\n');
    }
    if open {
        out.push_str("COMMIT;\n");
    }
    out
}
