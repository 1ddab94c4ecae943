//! What a whole transaction (a transactional file) does: strong locks on
//! several tables, and backfills under a DDL lock.

use crate::lint::Rule;
use crate::lint::{Claim, Finding, LockMode, Severity};

/// Strong locks and backfills seen in one transaction (a transactional file).
pub(in crate::lint) struct Transaction {
    pub(super) transactional: bool,
    /// (table, mode, line, column, statement) for locks that block writes.
    pub(super) strong: Vec<(String, LockMode, usize, usize, String)>,
    /// (table, line, column, statement) of UPDATE/DELETE on existing tables.
    pub(super) backfills: Vec<(String, usize, usize, String)>,
}

impl Transaction {
    pub(in crate::lint) fn new(transactional: bool) -> Self {
        Transaction {
            transactional,
            strong: Vec::new(),
            backfills: Vec::new(),
        }
    }

    /// Findings that need the whole transaction.
    pub(in crate::lint) fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        if !self.transactional {
            return out;
        }
        let mut tables: Vec<&str> = Vec::new();
        for (t, ..) in &self.strong {
            if !tables.contains(&t.as_str()) {
                tables.push(t);
            }
        }
        if tables.len() >= 2
            && let Some((t, mode, line, column, stmt)) =
                self.strong.iter().find(|(t, ..)| t.as_str() == tables[1])
        {
            out.push(Finding {
                rule: Rule::SeveralStrongLocks,
                severity: Severity::Warning,
                file: String::new(),
                line: *line,
                column: *column,
                statement: stmt.clone(),
                lock: Some(Claim {
                    table: t.clone(),
                    mode: *mode,
                }),
                // Each table once, with the strongest lock taken on it.
                locks: tables
                    .iter()
                    .filter_map(|t| {
                        self.strong
                            .iter()
                            .filter(|s| s.0 == *t)
                            .map(|s| s.1)
                            .max()
                            .map(|mode| Claim {
                                table: t.to_string(),
                                mode,
                            })
                    })
                    .collect(),
                blocks_reads: mode.blocks_reads(),
                blocks_writes: true,
                rewrite: false,
                scan: false,
                cascades: false,
                held: "until the migration commits",
                message: format!(
                    "one transaction takes locks that block writes on {} existing tables ({}): each is held until the end, and two runners (or an application) taking them in another order deadlock",
                    tables.len(),
                    tables.join(", ")
                ),
                safe_alternative: Some(
                    "change one table per migration (one file each), so each lock is held only for its own change"
                        .into(),
                ),
                allowed: None,
            });
        }
        for (t, line, column, stmt) in &self.backfills {
            // Only a lock taken before the backfill is held while it runs.
            let held = self
                .strong
                .iter()
                .filter(|s| (s.2, s.3) < (*line, *column))
                .max_by_key(|s| s.1);
            if let Some((ddl_table, ddl_mode, ..)) = held {
                out.push(Finding {
                    rule: Rule::BackfillWithDdl,
                    severity: Severity::Warning,
                    file: String::new(),
                    line: *line,
                    column: *column,
                    statement: stmt.clone(),
                    lock: Some(Claim {
                        table: ddl_table.clone(),
                        mode: *ddl_mode,
                    }),
                    locks: vec![Claim {
                        table: ddl_table.clone(),
                        mode: *ddl_mode,
                    }],
                    blocks_reads: ddl_mode.blocks_reads(),
                    blocks_writes: true,
                    rewrite: false,
                    scan: false,
                    cascades: false,
                    held: "while every row of the backfill is changed",
                    message: format!(
                        "this backfill of {t} runs in the transaction of DDL that holds {} on {ddl_table}: the lock is held until the backfill ends",
                        ddl_mode.name()
                    ),
                    safe_alternative: Some(format!(
                        "move the backfill to a migration of its own, after the DDL, and change the rows in batches (e.g. UPDATE {t} SET … WHERE id IN (SELECT id FROM {t} WHERE … LIMIT 10000)) in a file that starts with -- neonops:no-transaction"
                    )),
                    allowed: None,
                });
            }
        }
        out
    }
}
