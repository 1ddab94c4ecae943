//! ALTER TABLE: each subcommand's lock (the statement takes the strongest),
//! and ADD COLUMN, ALTER COLUMN TYPE and ADD CONSTRAINT in detail.

use crate::lint::Rule;
use pg_query::NodeEnum;
use pg_query::protobuf::{self as pb, AlterTableType as At, ConstrType, ObjectType};

use super::names::*;
use super::types::*;
use super::{Draft, claim, draft, grade, size_note};
use crate::lint::context::Context;
use crate::lint::{Effect, LockMode, Severity};
use LockMode::*;

/// Each ALTER TABLE subcommand's lock; the statement takes the strongest.
pub(super) fn alter_table(
    a: &pb::AlterTableStmt,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let Some(rv) = &a.relation else { return };
    let t = rel(rv);
    let is_table = matches!(
        ObjectType::try_from(a.objtype),
        Ok(ObjectType::ObjectTable | ObjectType::ObjectForeignTable)
    );
    // The statement takes the strongest lock of its subcommands.
    let mut mode = ShareUpdateExclusive;
    for c in &a.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = &c.node else {
            continue;
        };
        mode = mode.max(subcommand(&t, is_table, cmd, ctx, e, drafts));
    }
    e.locks.insert(0, claim(&t, mode));
}

/// One subcommand of ALTER TABLE: its effects and findings; the lock it
/// needs on the table.
fn subcommand(
    t: &str,
    is_table: bool,
    cmd: &pb::AlterTableCmd,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) -> LockMode {
    let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
    match At::try_from(cmd.subtype).unwrap_or(At::Undefined) {
        At::AtSetStatistics
        | At::AtSetOptions
        | At::AtResetOptions
        | At::AtClusterOn
        | At::AtDropCluster
        | At::AtSetRelOptions
        | At::AtResetRelOptions
        | At::AtValidateConstraint => ShareUpdateExclusive,
        At::AtEnableTrig
        | At::AtEnableAlwaysTrig
        | At::AtEnableReplicaTrig
        | At::AtDisableTrig
        | At::AtEnableTrigAll
        | At::AtDisableTrigAll
        | At::AtEnableTrigUser
        | At::AtDisableTrigUser => ShareRowExclusive,
        At::AtAttachPartition => {
            if let Some(NodeEnum::PartitionCmd(p)) = def
                && let Some(part) = &p.name
            {
                e.locks.push(claim(&rel(part), AccessExclusive));
            }
            if ctx.pg_version >= 12 {
                ShareUpdateExclusive
            } else {
                AccessExclusive
            }
        }
        At::AtDetachPartition => match def {
            Some(NodeEnum::PartitionCmd(p)) if p.concurrent => ShareUpdateExclusive,
            _ => AccessExclusive,
        },
        At::AtSetLogged | At::AtSetUnLogged | At::AtSetTableSpace | At::AtSetAccessMethod => {
            e.rewrites.push(t.to_string());
            AccessExclusive
        }
        At::AtAddColumn => {
            if let Some(NodeEnum::ColumnDef(col)) = def {
                add_column(t, col, ctx, e, drafts);
            }
            AccessExclusive
        }
        At::AtSetNotNull => {
            set_not_null(t, cmd, ctx, e, drafts);
            AccessExclusive
        }
        At::AtAlterColumnType => {
            if let Some(NodeEnum::ColumnDef(col)) = def {
                column_type(t, &cmd.name, col, ctx, e, drafts);
            }
            AccessExclusive
        }
        At::AtAddConstraint => match def {
            Some(NodeEnum::Constraint(k)) => add_constraint(t, k, ctx, e, drafts),
            _ => AccessExclusive,
        },
        At::AtDropColumn => {
            drop_column(t, is_table, cmd, ctx, e, drafts);
            AccessExclusive
        }
        At::AtDropConstraint => {
            for r in ctx.drop_foreign_keys(t, |f| f.name == cmd.name) {
                if r != t {
                    e.locks.push(claim(&r, AccessExclusive));
                }
            }
            AccessExclusive
        }
        _ => AccessExclusive,
    }
}

/// SET NOT NULL: a scan of every row, unless a validated CHECK proves it
/// (PostgreSQL 12 and later).
fn set_not_null(
    t: &str,
    cmd: &pb::AlterTableCmd,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let checked = ctx.pg_version >= 12
        && ctx
            .not_null_checks
            .contains(&(t.to_string(), cmd.name.clone()));
    if !checked {
        e.scans.push(t.to_string());
        if let Some(sev) = grade(ctx, t, Severity::Error) {
            let c = format!("{t}_{}_not_null", cmd.name).replace('.', "_");
            drafts.push(draft(
                Rule::SetNotNullWithoutCheck,
                sev,
                format!("SET NOT NULL scans every row of {t}{} under ACCESS EXCLUSIVE: reads and writes wait", size_note(ctx, t)),
                Some(if ctx.pg_version >= 12 {
                    format!(
                        "ALTER TABLE {t} ADD CONSTRAINT {c} CHECK ({col} IS NOT NULL) NOT VALID;\n-- in a later migration (the scan does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {c};\nALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL;  -- no scan: the validated CHECK proves it\nALTER TABLE {t} DROP CONSTRAINT {c};",
                        col = cmd.name
                    )
                } else {
                    format!("before PostgreSQL 12 SET NOT NULL always scans: keep a CHECK ({} IS NOT NULL) NOT VALID constraint, validated later, instead", cmd.name)
                }),
            ));
        }
    }
}

/// DROP COLUMN: its foreign keys go with it; running code that uses it fails.
fn drop_column(
    t: &str,
    is_table: bool,
    cmd: &pb::AlterTableCmd,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    // A foreign key on the column goes with it: ACCESS
    // EXCLUSIVE on the table it references too.
    for r in ctx.drop_foreign_keys(t, |f| f.columns.contains(&cmd.name)) {
        if r != t {
            e.locks.push(claim(&r, AccessExclusive));
        }
    }
    if is_table && !ctx.is_new(t) {
        drafts.push(draft(
            Rule::DropColumn,
            Severity::Warning,
            format!("DROP COLUMN {t}.{}: running application code that reads or writes it fails from this moment", cmd.name),
            Some(format!("release application code that no longer uses {} first (ignore it in the ORM), then drop it in a later migration", cmd.name)),
        ));
    }
}

pub(super) fn add_column(
    t: &str,
    col: &pb::ColumnDef,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let ty = col.type_name.as_ref().map(type_text).unwrap_or_default();
    ctx.columns
        .entry(t.to_string())
        .or_default()
        .insert(col.colname.clone(), ty.clone());
    let serial = matches!(
        ty.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
    );
    let mut c = NewColumn {
        t,
        col,
        ty,
        serial,
        identity: !col.identity.is_empty(),
        stored: !col.generated.is_empty(),
        default: col.raw_default.as_deref().cloned(),
    };
    for con in &col.constraints {
        let Some(NodeEnum::Constraint(k)) = &con.node else {
            continue;
        };
        match ConstrType::try_from(k.contype) {
            Ok(ConstrType::ConstrIdentity) => c.identity = true,
            Ok(ConstrType::ConstrGenerated) => c.stored = true,
            Ok(ConstrType::ConstrDefault) => c.default = k.raw_expr.as_deref().cloned(),
            _ => column_constraint(&c, k, ctx, e, drafts),
        }
    }
    filled_rows(&c, ctx, e, drafts);
}

/// A column being added, as the rules read it.
struct NewColumn<'a> {
    t: &'a str,
    col: &'a pb::ColumnDef,
    ty: String,
    serial: bool,
    identity: bool,
    stored: bool,
    default: Option<pb::Node>,
}

/// A constraint written on the new column: an index build, a validating
/// scan, a foreign key's locks.
fn column_constraint(
    c: &NewColumn,
    k: &pb::Constraint,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let (t, col, ty) = (c.t, c.col, &c.ty);
    match ConstrType::try_from(k.contype) {
        Ok(kind @ (ConstrType::ConstrUnique | ConstrType::ConstrPrimary)) => {
            let primary = kind == ConstrType::ConstrPrimary;
            e.index_builds.push(t.to_string());
            if let Some(sev) = grade(ctx, t, Severity::Error) {
                let idx = format!("{}_{}_key", t.replace('.', "_"), col.colname);
                let what = if primary { "PRIMARY KEY" } else { "UNIQUE" };
                drafts.push(draft(
                    if primary { Rule::PrimaryKeyWithoutUsingIndex } else { Rule::UniqueWithoutUsingIndex },
                    sev,
                    format!("ADD COLUMN {} … {what} builds its index on {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the build", col.colname, size_note(ctx, t)),
                    Some(format!(
                        "ALTER TABLE {t} ADD COLUMN {c} {ty};\n-- in a file of its own whose first line is -- neonops:no-transaction:\nCREATE UNIQUE INDEX CONCURRENTLY {idx} ON {t} ({c});\n-- then, in the next migration (brief):\nALTER TABLE {t} ADD CONSTRAINT {idx} {what} USING INDEX {idx};",
                        c = col.colname
                    )),
                ));
            }
        }
        Ok(ConstrType::ConstrCheck) if !k.skip_validation => {
            e.scans.push(t.to_string());
            if let Some(sev) = grade(ctx, t, Severity::Warning) {
                drafts.push(draft(
                    Rule::CheckWithoutNotValid,
                    sev.min(Severity::Warning),
                    format!("ADD COLUMN {} … CHECK reads every row of {t}{} under ACCESS EXCLUSIVE to validate it", col.colname, size_note(ctx, t)),
                    Some(format!(
                        "ALTER TABLE {t} ADD COLUMN {c} {ty};\nALTER TABLE {t} ADD CONSTRAINT {t2}_{c}_check CHECK (…) NOT VALID;\n-- in a later migration (the scan does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {t2}_{c}_check;",
                        c = col.colname,
                        t2 = t.replace('.', "_")
                    )),
                ));
            }
        }
        Ok(ConstrType::ConstrForeign) => {
            if let Some(pk) = &k.pktable {
                e.locks.push(claim(&rel(pk), ShareRowExclusive));
                ctx.foreign_keys.push(super::ddl::foreign_key(
                    relname(t),
                    t,
                    k,
                    &[col.colname.as_str()],
                    pk,
                ));
                e.scans.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Warning) {
                    let cname = format!("{t}_{}_fkey", col.colname).replace('.', "_");
                    drafts.push(draft(
                        Rule::ForeignKeyWithoutNotValid,
                        sev,
                        format!("ADD COLUMN … REFERENCES {} validates every row of {t} while writes to both tables wait", rel(pk)),
                        Some(format!(
                            "ALTER TABLE {t} ADD COLUMN {c} {ty};\nALTER TABLE {t} ADD CONSTRAINT {cname} FOREIGN KEY ({c}) REFERENCES {p} NOT VALID;\n-- in a later migration (the scan does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                            c = col.colname,
                            p = rel(pk)
                        )),
                    ));
                }
            }
        }
        _ => {}
    }
}

/// What filling the existing rows costs: a rewrite for a serial, an
/// identity, a stored generated column or a volatile default.
fn filled_rows(c: &NewColumn, ctx: &mut Context, e: &mut Effect, drafts: &mut Vec<Draft>) {
    let (t, col, ty) = (c.t, c.col, &c.ty);
    let (serial, identity, stored) = (c.serial, c.identity, c.stored);
    let default = c.default.clone();
    let rewrite = |e: &mut Effect| e.rewrites.push(t.to_string());
    if serial || identity {
        rewrite(e);
        if let Some(sev) = grade(ctx, t, Severity::Error) {
            drafts.push(draft(
                Rule::AddColumnSerial,
                sev,
                format!("ADD COLUMN {} {} fills every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, if serial { ty.as_str() } else { "… GENERATED AS IDENTITY" }, size_note(ctx, t)),
                Some({
                    let seq = format!("{}_{}_seq", t.replace('.', "_"), col.colname);
                    format!(
                        "ALTER TABLE {t} ADD COLUMN {c} bigint;\nCREATE SEQUENCE {seq} OWNED BY {t}.{c};\nALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT nextval('{seq}');  -- new rows only\n-- then fill existing rows in batches, in a migration of their own",
                        c = col.colname
                    )
                }),
            ));
        }
    } else if stored {
        rewrite(e);
        if let Some(sev) = grade(ctx, t, Severity::Error) {
            drafts.push(draft(
                Rule::AddColumnGeneratedStored,
                sev,
                format!("ADD COLUMN {} … GENERATED ALWAYS AS (…) STORED computes every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, size_note(ctx, t)),
                Some("add a plain column, fill it in batches, and keep it current with a trigger; or compute it in queries (a view, or an expression index)".into()),
            ));
        }
    } else if let Some(d) = default {
        if ctx.pg_version < 11 {
            rewrite(e);
            if let Some(sev) = grade(ctx, t, Severity::Error) {
                drafts.push(draft(
                    Rule::AddColumnDefaultBefore11,
                    sev,
                    format!("before PostgreSQL 11, ADD COLUMN … DEFAULT rewrites {t}{}", size_note(ctx, t)),
                    Some(format!("ALTER TABLE {t} ADD COLUMN {c} {ty}; ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT …; then fill existing rows in batches", c = col.colname)),
                ));
            }
        } else {
            match volatility(&d, ctx) {
                Volatility::NotVolatile => {}
                Volatility::Volatile(f) => {
                    rewrite(e);
                    if let Some(sev) = grade(ctx, t, Severity::Error) {
                        drafts.push(draft(
                            Rule::AddColumnVolatileDefault,
                            sev,
                            format!("ADD COLUMN {} with the volatile default {f}() computes every existing row: {t}{} is rewritten under ACCESS EXCLUSIVE", col.colname, size_note(ctx, t)),
                            Some(format!(
                                "ALTER TABLE {t} ADD COLUMN {c} {ty};\nALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {f}();  -- new rows only: no rewrite\n-- then fill existing rows in batches, in a migration of their own",
                                c = col.colname
                            )),
                        ));
                    }
                }
                Volatility::Unknown(f) => {
                    if let Some(sev) = grade(ctx, t, Severity::Warning) {
                        drafts.push(draft(
                            Rule::AddColumnVolatileDefault,
                            sev.min(Severity::Warning),
                            format!("ADD COLUMN {} DEFAULT {f}(…): if {f} is volatile, every existing row of {t} is computed and the table rewritten under ACCESS EXCLUSIVE", col.colname),
                            Some(format!("if it is volatile: ALTER TABLE {t} ADD COLUMN {c} {ty}; ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {f}(…); then fill existing rows in batches", c = col.colname)),
                        ));
                    }
                }
            }
        }
    }
}

pub(super) fn column_type(
    t: &str,
    column: &str,
    col: &pb::ColumnDef,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) {
    let new = col.type_name.as_ref().map(type_text).unwrap_or_default();
    let old = ctx.columns.get(t).and_then(|c| c.get(column)).cloned();
    // `USING column` is the same as no USING: the column's value, coerced.
    let using = col.raw_default.as_deref().is_some_and(|d| match &d.node {
        Some(NodeEnum::ColumnRef(r)) => !matches!(
            r.fields.as_slice(),
            [f] if matches!(&f.node, Some(NodeEnum::String(s)) if s.sval == column)
        ),
        _ => true,
    });
    let coercible = !using
        && old
            .as_deref()
            .is_some_and(|o| binary_coercible(o, &new, ctx));
    if let Some(c) = ctx.columns.get_mut(t) {
        c.insert(column.to_string(), new.clone());
    }
    if coercible {
        if let Some(sev) = grade(ctx, t, Severity::Info) {
            drafts.push(draft(
                Rule::ColumnTypeNoRewrite,
                sev.min(Severity::Info),
                format!(
                    "{t}.{column}: {} → {new} is binary-coercible{}: no rewrite, a brief ACCESS EXCLUSIVE",
                    old.as_deref().unwrap_or_default(),
                    coercible_condition(old.as_deref().unwrap_or_default(), &new)
                ),
                None,
            ));
        }
        return;
    }
    e.rewrites.push(t.to_string());
    if let Some(sev) = grade(ctx, t, Severity::Error) {
        drafts.push(draft(
            Rule::ColumnTypeRewrite,
            sev,
            format!(
                "ALTER COLUMN {column} TYPE {new}{} rewrites {t}{} (and rebuilds its indexes) under ACCESS EXCLUSIVE: reads and writes wait",
                match &old {
                    Some(o) => format!(" (from {o})"),
                    None => " (from a type not known here)".into(),
                },
                size_note(ctx, t)
            ),
            Some(expand_and_contract(t, column, &new)),
        ));
    }
}

/// When a binary-coercible change is so only under a condition, the
/// condition (it held when this was analysed).
fn coercible_condition(old: &str, new: &str) -> &'static str {
    if old.starts_with("timestamp without") && new.starts_with("timestamp with ") {
        " while the session's TimeZone is UTC, as it is for this run (PostgreSQL 12+; with any other TimeZone it rewrites the table)"
    } else {
        ""
    }
}

/// A column's type changed without a long lock, as SQL: a new column kept
/// in step by a trigger, the existing rows in committed batches, the swap,
/// the drop; one migration a step. (Tested end to end: the steps, written
/// as files, run through `neonops migrate`.)
pub(super) fn expand_and_contract(t: &str, column: &str, new: &str) -> String {
    let (schema, base) = match t.rsplit_once('.') {
        Some((s, b)) => (format!("{s}."), b),
        None => (String::new(), t),
    };
    let trigger = format!("{base}_{column}_sync");
    let function = format!("{schema}{trigger}");
    format!(
        "expand and contract, one migration a step (the application keeps working through each):
-- step 1: the new column, kept in step with the old one by a trigger
ALTER TABLE {t} ADD COLUMN {column}_new {new};
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.{column}_new := NEW.{column}; RETURN NEW; END $$;
CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {t}
  FOR EACH ROW EXECUTE FUNCTION {function}();
-- step 2: the existing rows, 10,000 at a time, each batch committed (a file whose first line is -- neonops:no-transaction; one statement: raise --statement-timeout for a large table)
DO $$
DECLARE n bigint;
BEGIN
  LOOP
    UPDATE {t} SET {column}_new = {column}
     WHERE ctid IN (SELECT ctid FROM {t} WHERE {column}_new IS NULL AND {column} IS NOT NULL LIMIT 10000);
    GET DIAGNOSTICS n = ROW_COUNT;
    EXIT WHEN n = 0;
    COMMIT;
  END LOOP;
END $$;
-- step 3: the swap, in one transaction (move a default, NOT NULL or key of {column} to the new column first: a primary key over CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … PRIMARY KEY USING INDEX)
DROP TRIGGER {trigger} ON {t};
DROP FUNCTION {function}();
ALTER TABLE {t} RENAME COLUMN {column} TO {column}_old;
ALTER TABLE {t} RENAME COLUMN {column}_new TO {column};
-- step 4: once nothing reads it
ALTER TABLE {t} DROP COLUMN {column}_old;
Changes that need no rewrite: varchar(n) to a longer varchar or to text, numeric(p,s) to a larger p, timestamp to timestamptz while TimeZone is UTC (12+)"
    )
}

pub(super) fn add_constraint(
    t: &str,
    k: &pb::Constraint,
    ctx: &mut Context,
    e: &mut Effect,
    drafts: &mut Vec<Draft>,
) -> LockMode {
    let name = if k.conname.is_empty() {
        None
    } else {
        Some(k.conname.clone())
    };
    match ConstrType::try_from(k.contype) {
        Ok(ConstrType::ConstrForeign) => {
            if let Some(pk) = &k.pktable {
                e.locks.push(claim(&rel(pk), ShareRowExclusive));
                let cols: Vec<&str> = k.fk_attrs.iter().filter_map(string_of).collect();
                ctx.foreign_keys
                    .push(super::ddl::foreign_key(relname(t), t, k, &cols, pk));
            }
            if !k.skip_validation {
                e.scans.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let cols: Vec<&str> = k.fk_attrs.iter().filter_map(string_of).collect();
                    let cname = name.unwrap_or_else(|| {
                        format!("{}_{}_fkey", t.replace('.', "_"), cols.join("_"))
                    });
                    let mut not_valid = k.clone();
                    not_valid.skip_validation = true;
                    not_valid.initially_valid = false;
                    not_valid.conname = cname.clone();
                    drafts.push(draft(
                        Rule::ForeignKeyWithoutNotValid,
                        sev,
                        format!(
                            "ADD FOREIGN KEY checks every row of {t}{} while writes to {t} and {} wait (SHARE ROW EXCLUSIVE on both)",
                            size_note(ctx, t),
                            k.pktable.as_ref().map(rel).unwrap_or_default()
                        ),
                        Some(format!(
                            "{}\n-- in a later migration (the check does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                            alter_add(t, not_valid)
                        )),
                    ));
                }
            }
            ShareRowExclusive
        }
        Ok(ConstrType::ConstrCheck) => {
            if !k.skip_validation {
                e.scans.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let cname = name.unwrap_or_else(|| format!("{}_check", t.replace('.', "_")));
                    let mut not_valid = k.clone();
                    not_valid.skip_validation = true;
                    not_valid.initially_valid = false;
                    not_valid.conname = cname.clone();
                    drafts.push(draft(
                        Rule::CheckWithoutNotValid,
                        sev,
                        format!("ADD CHECK reads every row of {t}{} under ACCESS EXCLUSIVE: reads and writes wait", size_note(ctx, t)),
                        Some(format!(
                            "{}\n-- in a later migration (the check does not block writes):\nALTER TABLE {t} VALIDATE CONSTRAINT {cname};",
                            alter_add(t, not_valid)
                        )),
                    ));
                }
            }
            AccessExclusive
        }
        Ok(kind @ (ConstrType::ConstrUnique | ConstrType::ConstrPrimary)) => {
            if k.indexname.is_empty() {
                e.index_builds.push(t.to_string());
                if let Some(sev) = grade(ctx, t, Severity::Error) {
                    let primary = kind == ConstrType::ConstrPrimary;
                    let cols: Vec<&str> = k.keys.iter().filter_map(string_of).collect();
                    let idx = format!(
                        "{}_{}_{}",
                        t.replace('.', "_"),
                        cols.join("_"),
                        if primary { "pkey" } else { "key" }
                    );
                    let cname = name.unwrap_or_else(|| idx.clone());
                    drafts.push(draft(
                        if primary { Rule::PrimaryKeyWithoutUsingIndex } else { Rule::UniqueWithoutUsingIndex },
                        sev,
                        format!(
                            "ADD {} builds its index on {t}{} under ACCESS EXCLUSIVE: reads and writes wait for the whole build",
                            if primary { "PRIMARY KEY" } else { "UNIQUE" },
                            size_note(ctx, t)
                        ),
                        Some(format!(
                            "in a file of its own whose first line is -- neonops:no-transaction:\n-- neonops:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY {idx} ON {t} ({cols});\n-- then, in the next migration (brief):\nALTER TABLE {t} ADD CONSTRAINT {cname} {kind} USING INDEX {idx};",
                            cols = cols.join(", "),
                            kind = if primary { "PRIMARY KEY" } else { "UNIQUE" }
                        )),
                    ));
                }
            }
            AccessExclusive
        }
        _ => AccessExclusive,
    }
}

/// `ALTER TABLE t ADD CONSTRAINT …` for a constraint, as SQL: a parsed
/// template (so every field the deparser checks is valid) with the table and
/// the constraint put in.
pub(super) fn alter_add(t: &str, k: pb::Constraint) -> String {
    let fallback = || format!("ALTER TABLE {t} ADD CONSTRAINT {} … NOT VALID;", k.conname);
    let Ok(parsed) = pg_query::parse("ALTER TABLE x ADD CONSTRAINT y CHECK (true)", 0) else {
        return fallback();
    };
    let Some(NodeEnum::AlterTableStmt(mut stmt)) = parsed
        .protobuf
        .stmts
        .into_iter()
        .next()
        .and_then(|r| r.stmt)
        .and_then(|n| n.node)
    else {
        return fallback();
    };
    if let Some(rv) = stmt.relation.as_mut() {
        match t.split_once('.') {
            Some((schema, name)) => {
                rv.schemaname = schema.to_string();
                rv.relname = name.to_string();
            }
            None => rv.relname = t.to_string(),
        }
    }
    if let Some(NodeEnum::AlterTableCmd(cmd)) = stmt.cmds.first_mut().and_then(|c| c.node.as_mut())
    {
        cmd.def = Some(Box::new(pb::Node {
            node: Some(NodeEnum::Constraint(Box::new(k.clone()))),
        }));
    }
    deparse(NodeEnum::AlterTableStmt(stmt)).unwrap_or_else(fallback)
}
