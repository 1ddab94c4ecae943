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

/// A statement of a plan that PostgreSQL's parser (libpg_query) refuses:
/// a bug of neonops, never SQL to hand out.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plan has a statement PostgreSQL cannot parse ({message}), for {kind} {name}: {sql}; \
     this is a bug in neonops: please report it with the two schemas (nothing was printed, \
     written or changed)"
)]
pub struct Unparsable {
    pub kind: &'static str,
    pub name: String,
    pub sql: String,
    pub message: String,
}

/// Every statement of the plan parsed before it is printed or written.
/// The parser is PostgreSQL 18's: a word that became a keyword after the
/// server's version (`json` in 17) may be a name in what the server itself
/// printed (a parameter called json), and is taken as one.
pub fn check_parses(planned: &[Planned]) -> Result<(), Unparsable> {
    for p in planned {
        if let Err(e) = parses_with_newer_keywords_as_names(&p.sql) {
            let sql: String = p.sql.chars().take(300).collect();
            return Err(Unparsable {
                kind: p.kind.label(),
                name: p.name.clone(),
                sql,
                message: e.message,
            });
        }
    }
    Ok(())
}

/// Words that became keywords after PostgreSQL 15 and may not be a name
/// where they could before (PostgreSQL 16 and 17's SQL/JSON, 16's
/// SYSTEM_USER, 17's MERGE_ACTION).
const NEWER_KEYWORDS: &[&str] = &[
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "merge_action",
    "system_user",
];

fn parses_with_newer_keywords_as_names(sql: &str) -> Result<(), crate::sql::ParseError> {
    let first = match crate::sql::parse(sql) {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    let Ok(scanned) = pg_query::scan(sql) else {
        return Err(first);
    };
    let mut text = sql.to_string();
    let mut changed = false;
    for t in scanned.tokens.iter().rev() {
        let (start, end) = (t.start as usize, t.end as usize);
        let word = sql.get(start..end).unwrap_or_default();
        if NEWER_KEYWORDS.contains(&word.to_ascii_lowercase().as_str()) {
            let quoted = crate::quote::ident(&word.to_ascii_lowercase());
            text.replace_range(start..end, &quoted);
            changed = true;
        }
    }
    match changed && crate::sql::parse(&text).is_ok() {
        true => Ok(()),
        false => Err(first),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(sql: &str) -> Planned {
        Planned {
            sql: sql.to_string(),
            phase: Phase::After,
            kind: Kind::Constraint,
            name: "public.t.c".to_string(),
            hazards: Vec::new(),
        }
    }

    #[test]
    fn a_statement_the_parser_refuses_is_a_bug_named_with_its_sql() {
        let good = planned("ALTER TABLE public.t VALIDATE CONSTRAINT \"a \"\"b\"\"\";");
        assert!(check_parses(std::slice::from_ref(&good)).is_ok());
        // What splitting a quoted name on '.' used to print.
        let bad = planned("ALTER TABLE public.t VALIDATE CONSTRAINT b\";");
        let e = check_parses(&[good, bad]).unwrap_err();
        assert_eq!(e.name, "public.t.c");
        let text = e.to_string();
        assert!(
            text.contains("cannot parse (unterminated quoted identifier"),
            "{text}"
        );
        assert!(text.contains("VALIDATE CONSTRAINT b\""), "{text}");
        assert!(text.contains("a bug in neonops"), "{text}");
    }

    #[test]
    fn a_word_that_is_a_keyword_only_in_a_newer_parser_is_a_name() {
        // What PostgreSQL 15's pg_get_functiondef prints: json was no
        // keyword then.
        let sql = "CREATE OR REPLACE FUNCTION test.f(json json) RETURNS json LANGUAGE sql AS $$ SELECT json $$;";
        assert!(check_parses(&[planned(sql)]).is_ok());
        // A real syntax error stays one.
        let e = check_parses(&[planned("CREATE TABLE t (a int,, b int);")]).unwrap_err();
        assert!(e.message.contains("syntax error"), "{}", e.message);
    }
}
