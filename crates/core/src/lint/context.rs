//! What the analysis knows beyond the SQL: the server version, the live size
//! of each table, column types and validated NOT NULL checks (from a
//! database when there is one, else learnt from the files), and the tables
//! created in this run (new and empty).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use tokio_postgres::SimpleQueryMessage;

/// The newest PostgreSQL Neon offers (the default without a database).
pub const NEWEST_NEON: u32 = 17;

/// Below this, a rewrite or a scan is instant: information only.
pub const SMALL_BYTES: i64 = 8 * 1024 * 1024;
pub const SMALL_ROWS: i64 = 10_000;
/// From this up, a rewrite or a scan is an outage: an error.
pub const LARGE_BYTES: i64 = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct TableInfo {
    /// Table, indexes and TOAST; of every partition for a partitioned table.
    pub bytes: i64,
    /// The planner's estimate (reltuples scaled to the current size); None
    /// when statistics are missing (never analysed since it grew).
    pub rows: Option<i64>,
}

/// A foreign key: dropping it (its column, its table) takes ACCESS
/// EXCLUSIVE on the table it references too (its triggers live there).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: String,
    pub name: String,
    pub columns: Vec<String>,
    pub references: String,
}

#[derive(Debug, Clone)]
pub struct Context {
    /// The server's major version (or `--pg-version`).
    pub pg_version: u32,
    /// Facts come from a database.
    pub online: bool,
    /// Tables created by an earlier file count as existing (and possibly
    /// large) in the next: offline lint judges each file as if the earlier
    /// ones were applied long ago. A run (online) keeps them new.
    pub earlier_files_applied: bool,
    /// Existing tables and their sizes (online).
    pub tables: HashMap<String, TableInfo>,
    /// Tables created in this run: new and empty.
    pub fresh: HashSet<String>,
    /// Column types, `table` → `column` → type as `format_type` writes it.
    pub columns: HashMap<String, HashMap<String, String>>,
    /// Columns with a validated `CHECK (col IS NOT NULL)`.
    pub not_null_checks: HashSet<(String, String)>,
    /// The session's TimeZone is UTC (timestamp → timestamptz needs no rewrite, 12+).
    pub timezone_utc: bool,
    /// The table of each index named in the files (online).
    pub index_tables: HashMap<String, String>,
    /// Foreign keys of the tables named (online) or made by the files.
    pub foreign_keys: Vec<ForeignKey>,
    /// Functions outside pg_catalog, and whether any of that name is
    /// volatile (online, and CREATE FUNCTION in the files).
    pub functions: HashMap<String, bool>,
    /// The function names whose volatility the analysis looked up.
    pub asked_functions: RefCell<BTreeSet<String>>,
}

/// What the analysis needs to know from a database: the relations the
/// files lock, rewrite or scan (tables, and the indexes of DROP INDEX and
/// REINDEX) that exist before the run, and the functions whose volatility
/// the analysis needs (those called in a default on an existing table).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wanted {
    pub tables: Vec<String>,
    pub functions: Vec<String>,
}

/// `ARRAY['a','b']::text[]`, quoted.
fn text_array(items: &[String]) -> String {
    format!(
        "ARRAY[{}]::text[]",
        items
            .iter()
            .map(|n| crate::quote::literal(n))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// A relation `t` in schema `tn` written as the analysis names relations
/// (`rel`: unquoted, `public.` left out).
const KEY_OF_T: &str =
    "CASE WHEN tn.nspname = 'public' THEN t.relname::text ELSE tn.nspname || '.' || t.relname END";

/// The relations of `array` (names as the analysis writes them) with their
/// oids, `r(name, oid)`, found by joins on the catalogs, not by a cast
/// (`to_regclass` needs USAGE on the schema and a name it can parse): a
/// name is its schema's and its own joined by a dot, or a bare name in the
/// search path (or public), the first schema of the path winning. Nothing
/// is split: a dot inside a name is matched as it is.
fn resolved(array: &str) -> String {
    format!(
        "(SELECT DISTINCT ON (w.name) w.name, w.oid FROM (
            SELECT q.name, c.oid, 0 AS rank
              FROM unnest({array}) AS q(name)
              JOIN pg_class c ON true JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname || '.' || c.relname = q.name
            UNION ALL
            SELECT q.name, c.oid, coalesce(array_position(current_schemas(false), n.nspname), 1000)
              FROM unnest({array}) AS q(name)
              JOIN pg_class c ON c.relname = q.name JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY (current_schemas(false)) OR n.nspname = 'public'
          ) w ORDER BY w.name, w.rank) r"
    )
}

impl Context {
    pub fn offline(pg_version: u32) -> Context {
        Context {
            pg_version,
            online: false,
            earlier_files_applied: true,
            tables: HashMap::new(),
            fresh: HashSet::new(),
            columns: HashMap::new(),
            not_null_checks: HashSet::new(),
            timezone_utc: false,
            index_tables: HashMap::new(),
            foreign_keys: Vec::new(),
            functions: HashMap::new(),
            asked_functions: RefCell::default(),
        }
    }

    /// The query (one message, one round trip) that reads the database's
    /// version and time zone, and what the files need (names as migrations
    /// write them): only the statements that have something to ask.
    pub fn facts_sql(wanted: &Wanted) -> String {
        let array = text_array(&wanted.tables);
        let mut sql = String::from(
            "SELECT current_setting('server_version_num'), current_setting('TimeZone');",
        );
        if !wanted.tables.is_empty() {
            let r = resolved(&array);
            sql.push_str(&format!(
                "SELECT r.name, s.bytes::text, coalesce(s.rows::text, '')
               FROM {r} JOIN pg_class c ON c.oid = r.oid
               CROSS JOIN LATERAL (
                 WITH RECURSIVE tree(oid) AS (
                   SELECT c.oid UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid),
                 leaf AS (
                   SELECT pg_total_relation_size(r.oid) AS total,
                          pg_relation_size(r.oid) / current_setting('block_size')::int AS pages,
                          r.relpages, r.reltuples
                     FROM tree JOIN pg_class r ON r.oid = tree.oid WHERE r.relkind IN ('r', 'm', 'i'))
                 SELECT coalesce(sum(total), 0)::bigint AS bytes,
                        CASE WHEN bool_or(pages > 0 AND (relpages = 0 OR reltuples < 0)) THEN NULL
                             ELSE coalesce(sum(CASE WHEN pages = 0 THEN 0 ELSE reltuples / nullif(relpages, 0) * pages END), 0)::bigint END AS rows
                   FROM leaf) s;
             SELECT r.name, a.attname, format_type(a.atttypid, a.atttypmod)
               FROM {r} JOIN pg_attribute a ON a.attrelid = r.oid
              WHERE a.attnum > 0 AND NOT a.attisdropped;
             SELECT r.name, pg_get_constraintdef(k.oid)
               FROM {r} JOIN pg_constraint k ON k.conrelid = r.oid
              WHERE k.contype = 'c' AND k.convalidated;
             SELECT r.name, {key}
               FROM {r} JOIN pg_index i ON i.indexrelid = r.oid
               JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace;
             SELECT r.name, k.conname, {key},
                    coalesce(string_agg(a.attname, ',' ORDER BY a.attnum), '')
               FROM {r}
               JOIN pg_constraint k ON k.conrelid = r.oid AND k.contype = 'f'
               JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
               LEFT JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
              GROUP BY r.name, k.conname, tn.nspname, t.relname;",
                key = KEY_OF_T
            ));
        }
        if !wanted.functions.is_empty() {
            // By name: the catalog's index, not a scan of every function.
            sql.push_str(&format!(
                "SELECT p.proname, bool_or(p.provolatile = 'v')::text
               FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
              WHERE p.proname = ANY ({}::name[])
                AND s.nspname NOT IN ('pg_catalog', 'information_schema')
              GROUP BY p.proname",
                text_array(&wanted.functions)
            ));
        }
        sql
    }

    /// The facts, from the answer to `facts_sql`.
    pub fn from_facts(wanted: &Wanted, messages: Vec<SimpleQueryMessage>) -> Context {
        let mut sets: Vec<Vec<Vec<String>>> = vec![Vec::new()];
        for m in messages {
            match m {
                SimpleQueryMessage::Row(r) => sets.last_mut().expect("a set").push(
                    (0..r.len())
                        .map(|i| r.get(i).unwrap_or("").to_string())
                        .collect(),
                ),
                SimpleQueryMessage::CommandComplete(_) => sets.push(Vec::new()),
                _ => {}
            }
        }
        Context::from_fact_sets(wanted, sets)
    }

    /// The facts, from the answer to `facts_sql` as the rows of each of its
    /// statements (text; a set a statement).
    pub fn from_fact_sets(wanted: &Wanted, sets: Vec<Vec<Vec<String>>>) -> Context {
        let first = sets.first().cloned().unwrap_or_default();
        let version = first
            .first()
            .and_then(|r| r[0].parse::<u32>().ok())
            .map_or(NEWEST_NEON, |v| v / 10000);
        let tz = first.first().map(|r| r[1].clone()).unwrap_or_default();
        let mut ctx = Context::offline(version);
        ctx.online = true;
        ctx.earlier_files_applied = false;
        ctx.timezone_utc = is_utc(&tz);
        let mut sets = sets.into_iter().skip(1);
        let mut next = |asked: bool| {
            if asked {
                sets.next().unwrap_or_default()
            } else {
                Vec::new()
            }
        };
        let tables = !wanted.tables.is_empty();
        let (sizes, columns, checks, indexes, fks) = (
            next(tables),
            next(tables),
            next(tables),
            next(tables),
            next(tables),
        );
        let functions = next(!wanted.functions.is_empty());
        for r in &sizes {
            ctx.tables.insert(
                r[0].clone(),
                TableInfo {
                    bytes: r[1].parse().unwrap_or(0),
                    rows: r[2].parse().ok(),
                },
            );
        }
        for r in &columns {
            ctx.columns
                .entry(r[0].clone())
                .or_default()
                .insert(r[1].clone(), r[2].clone());
        }
        for r in &checks {
            if let Some(col) = not_null_check_column(&r[1]) {
                ctx.not_null_checks.insert((r[0].clone(), col));
            }
        }
        for r in &indexes {
            ctx.index_tables.insert(r[0].clone(), r[1].clone());
        }
        for r in &fks {
            ctx.foreign_keys.push(ForeignKey {
                table: r[0].clone(),
                name: r[1].clone(),
                references: r[2].clone(),
                columns: r[3].split(',').map(str::to_string).collect(),
            });
        }
        for r in &functions {
            ctx.functions.insert(r[0].clone(), r[1] == "true");
        }
        ctx
    }

    /// A table renamed by the files: what is known of it follows it.
    pub fn rename_table(&mut self, old: &str, new: &str) {
        if let Some(c) = self.columns.remove(old) {
            self.columns.insert(new.to_string(), c);
        }
        if let Some(t) = self.tables.remove(old) {
            self.tables.insert(new.to_string(), t);
        }
        self.not_null_checks = self
            .not_null_checks
            .drain()
            .map(|(t, c)| (if t == old { new.to_string() } else { t }, c))
            .collect();
        for fk in &mut self.foreign_keys {
            if fk.table == old {
                fk.table = new.to_string();
            }
            if fk.references == old {
                fk.references = new.to_string();
            }
        }
        for t in self.index_tables.values_mut() {
            if t == old {
                *t = new.to_string();
            }
        }
    }

    /// A column renamed by the files.
    pub fn rename_column(&mut self, table: &str, old: &str, new: &str) {
        if let Some(ty) = self.columns.get_mut(table).and_then(|c| c.remove(old)) {
            self.columns
                .entry(table.to_string())
                .or_default()
                .insert(new.to_string(), ty);
        }
        for fk in self.foreign_keys.iter_mut().filter(|f| f.table == table) {
            for c in &mut fk.columns {
                if c == old {
                    *c = new.to_string();
                }
            }
        }
    }

    /// Foreign keys dropped with these columns (or, without columns, with
    /// the table): the tables they reference.
    pub fn drop_foreign_keys(
        &mut self,
        table: &str,
        matches: impl Fn(&ForeignKey) -> bool,
    ) -> Vec<String> {
        let mut referenced = Vec::new();
        self.foreign_keys.retain(|f| {
            if f.table == table && matches(f) {
                referenced.push(f.references.clone());
                false
            } else {
                true
            }
        });
        referenced
    }

    /// Whether a function of this name (outside pg_catalog) is volatile, as
    /// the database or an earlier file says; the name is remembered (what a
    /// run asks the database about).
    pub fn function_volatile(&self, name: &str) -> Option<bool> {
        self.asked_functions.borrow_mut().insert(name.to_string());
        self.functions.get(name).copied()
    }

    /// A table this run created, or that does not exist before it.
    pub fn is_new(&self, table: &str) -> bool {
        self.fresh.contains(table) || (self.online && !self.tables.contains_key(table))
    }
}

/// A time zone at offset zero, where timestamp and timestamptz are binary
/// compatible (PostgreSQL 12+ changes one to the other without a rewrite).
pub fn is_utc(zone: &str) -> bool {
    [
        "UTC",
        "Etc/UTC",
        "GMT",
        "Etc/GMT",
        "UCT",
        "Etc/UCT",
        "Zulu",
        "Etc/Zulu",
        "Universal",
        "Etc/Universal",
        "GMT0",
        "Etc/GMT0",
        "Z",
        "0",
    ]
    .iter()
    .any(|z| z.eq_ignore_ascii_case(zone.trim()))
}

/// The column of `CHECK ((col IS NOT NULL))`, as pg_get_constraintdef writes it.
pub fn not_null_check_column(def: &str) -> Option<String> {
    let inner = def
        .trim()
        .strip_prefix("CHECK")?
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let col = inner.strip_suffix("IS NOT NULL")?.trim();
    Some(col.trim_matches('"').to_string()).filter(|c| !c.is_empty() && !c.contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_not_null_checks() {
        assert_eq!(
            not_null_check_column("CHECK ((email IS NOT NULL))").as_deref(),
            Some("email")
        );
        assert_eq!(
            not_null_check_column("CHECK ((\"Email\" IS NOT NULL))").as_deref(),
            Some("Email")
        );
        assert_eq!(not_null_check_column("CHECK ((a > 0))"), None);
    }
}
