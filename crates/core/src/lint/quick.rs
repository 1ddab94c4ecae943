//! Which files have nothing to wait for: they only create objects, or
//! change tables created earlier in the same run (new and empty). A run
//! sends such files together in one message; any other file goes in a
//! message of its own, so that its line is printed as soon as it is done
//! (a server sends a message's results when the message is over). Only when
//! output appears depends on it, never what runs or what commits together.

use std::collections::HashSet;

use pg_query::NodeEnum;
use pg_query::protobuf as pb;

use super::Parsed;
use super::rules::rel;

/// For each file, in order: whether it is quick. A file that does not parse
/// is not.
pub fn quick_files(parsed: &Parsed) -> Vec<bool> {
    let mut created = HashSet::new();
    parsed
        .iter()
        .map(|file| match file {
            // Every statement is looked at: later files see what this one creates.
            Ok(statements) => {
                statements
                    .iter()
                    .filter(|s| !quick_statement(s.node.as_ref(), &mut created))
                    .count()
                    == 0
            }
            Err(_) => false,
        })
        .collect()
}

fn quick_statement(node: Option<&NodeEnum>, created: &mut HashSet<String>) -> bool {
    let new = |rv: &Option<pb::RangeVar>, created: &HashSet<String>| {
        rv.as_ref().is_some_and(|r| created.contains(&rel(r)))
    };
    match node {
        Some(NodeEnum::CreateStmt(c)) => {
            if let Some(r) = &c.relation {
                created.insert(rel(r));
            }
            // PARTITION OF or INHERITS an existing table locks it.
            c.inh_relations.iter().all(|n| match &n.node {
                Some(NodeEnum::RangeVar(r)) => created.contains(&rel(r)),
                _ => false,
            })
        }
        Some(NodeEnum::IndexStmt(i)) => new(&i.relation, created),
        Some(NodeEnum::AlterTableStmt(a)) => new(&a.relation, created),
        Some(NodeEnum::CreateTrigStmt(t)) => new(&t.relation, created),
        Some(NodeEnum::InsertStmt(i)) => new(&i.relation, created) && values_only(i),
        Some(
            NodeEnum::CreateSchemaStmt(_)
            | NodeEnum::CreateEnumStmt(_)
            | NodeEnum::CompositeTypeStmt(_)
            | NodeEnum::CreateDomainStmt(_)
            | NodeEnum::CreateFunctionStmt(_)
            | NodeEnum::CreateSeqStmt(_)
            | NodeEnum::ViewStmt(_)
            | NodeEnum::CommentStmt(_)
            | NodeEnum::GrantStmt(_)
            | NodeEnum::VariableSetStmt(_),
        ) => true,
        _ => false,
    }
}

/// `INSERT … VALUES`: no query to run.
fn values_only(i: &pb::InsertStmt) -> bool {
    match i.select_stmt.as_ref().and_then(|s| s.node.as_ref()) {
        Some(NodeEnum::SelectStmt(s)) => !s.values_lists.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick(files: &[&str]) -> Vec<bool> {
        let parsed: Parsed = files.iter().map(|f| crate::sql::parse(f)).collect();
        quick_files(&parsed)
    }

    #[test]
    fn new_objects_are_quick_and_existing_tables_are_not() {
        assert_eq!(
            quick(&[
                "CREATE TABLE a (id int PRIMARY KEY); INSERT INTO a VALUES (1); CREATE INDEX ON a (id);",
                "ALTER TABLE a ADD COLUMN v text; COMMENT ON TABLE a IS 'x'; CREATE VIEW va AS SELECT * FROM a;",
                "CREATE TYPE mood AS ENUM ('ok'); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
                // Tables that exist before the run: data to wait for.
                "ALTER TABLE accounts ADD COLUMN v text;",
                "CREATE INDEX ON accounts (id);",
                "UPDATE a SET v = 'y';",
                "INSERT INTO a SELECT id FROM accounts;",
                "CREATE TABLE p2 PARTITION OF accounts FOR VALUES IN (2);",
                "SELECT pg_sleep(1);",
                "CREATE TABLE b (id int); DO $$ BEGIN PERFORM 1; END $$;",
                "CREATE TABLE broken (",
                // b was created by a file that is not quick: still new.
                "CREATE INDEX ON b (id);",
            ]),
            [
                true, true, true, false, false, false, false, false, false, false, false, true
            ]
        );
    }
}
