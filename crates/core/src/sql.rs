//! SQL, read with PostgreSQL's own parser (libpg_query, through `pg_query`):
//! a file split into its statements (exact for `E'it\'s'`, nested comments,
//! dollar quotes, `CREATE RULE`, `BEGIN ATOMIC` bodies), each with its
//! position, its parse tree and the `-- neonops:allow` comments next to it;
//! a file the parser rejects is an error at file:line:column.

use std::ffi::{CString, c_char, c_int};

use pg_query::NodeEnum;
use pg_query::protobuf::TransactionStmtKind;

/// One statement of a file.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement as written, from its first token to its end (no `;`).
    pub text: String,
    /// 1-based line and column of its first token.
    pub line: usize,
    pub column: usize,
    /// 0-based index among the file's statements.
    pub index: usize,
    /// Byte offset of its first token in the file.
    pub start: usize,
    pub node: Option<NodeEnum>,
    /// `-- neonops:allow rule[, rule]: reason` comments just before it.
    pub allows: Vec<Allow>,
}

/// A suppression written next to a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    pub rules: Vec<String>,
    /// Why (required: an allow without a reason suppresses nothing).
    pub reason: String,
    pub line: usize,
}

/// The parser rejected the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // Columns count characters, as editors and PostgreSQL do.
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Skip white space and comments from `at`: the offset of the first token.
fn first_token(sql: &str, mut at: usize) -> usize {
    let b = sql.as_bytes();
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if sql[at..].starts_with("--") {
            at = sql[at..].find('\n').map_or(b.len(), |i| at + i + 1);
        } else if sql[at..].starts_with("/*") {
            let mut depth = 0;
            while at < b.len() {
                if sql[at..].starts_with("/*") {
                    depth += 1;
                    at += 2;
                } else if sql[at..].starts_with("*/") {
                    depth -= 1;
                    at += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    at += 1;
                }
            }
        } else {
            return at;
        }
    }
}

/// The allow comments in the stretch before a statement's first token.
fn allows(sql: &str, from: usize, to: usize) -> Vec<Allow> {
    let mut out = Vec::new();
    let mut offset = from;
    for raw in sql[from..to].split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let Some(c) = raw.trim().strip_prefix("--") else {
            continue;
        };
        let Some(rest) = c.trim().strip_prefix("neonops:allow") else {
            continue;
        };
        let (rules, reason) = match rest.split_once(':') {
            Some((r, why)) => (r, why.trim()),
            None => (rest, ""),
        };
        out.push(Allow {
            rules: rules
                .split([',', ' '])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
            reason: reason.to_string(),
            line: line_column(sql, line_start).0,
        });
    }
    out
}

#[repr(C)]
struct PgQueryError {
    message: *const c_char,
    funcname: *const c_char,
    filename: *const c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *const c_char,
}

#[repr(C)]
struct PgQueryParseResult {
    parse_tree: *mut c_char,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *const u8,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

unsafe extern "C" {
    // libpg_query, linked in by the pg_query crate. The text parse is used
    // only for the position of a syntax error, which the crate's error does
    // not carry.
    fn pg_query_parse(input: *const c_char) -> PgQueryParseResult;
    fn pg_query_free_parse_result(result: PgQueryParseResult);
    fn pg_query_parse_protobuf_opts(
        input: *const c_char,
        options: c_int,
    ) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
}

/// The parse tree, as `pg_query::parse` returns it but without the summary
/// (tables, functions, filter columns) it computes by walking every node:
/// a third of the time of parsing a short migration, for nothing we use.
fn parse_tree(sql: &str) -> Result<pg_query::protobuf::ParseResult, pg_query::Error> {
    use prost::Message;
    let input = CString::new(sql)?;
    // SAFETY: a valid C string in; the result is freed below, once; the
    // tree's bytes are read only when there is no error, within its length.
    unsafe {
        let r = pg_query_parse_protobuf_opts(input.as_ptr(), 0);
        let out = if r.error.is_null() {
            let data = std::slice::from_raw_parts(r.parse_tree.data, r.parse_tree.len);
            pg_query::protobuf::ParseResult::decode(data).map_err(pg_query::Error::Decode)
        } else {
            let message = std::ffi::CStr::from_ptr((*r.error).message);
            Err(pg_query::Error::Parse(
                message.to_string_lossy().into_owned(),
            ))
        };
        pg_query_free_protobuf_parse_result(r);
        out
    }
}

/// Where libpg_query puts a syntax error, as a byte offset, if anywhere
/// (PostgreSQL counts the position in characters, from 1).
fn error_position(sql: &str) -> Option<usize> {
    let input = CString::new(sql).ok()?;
    // SAFETY: a valid C string in; the result is freed below; the error
    // pointer is read only when libpg_query set it.
    unsafe {
        let r = pg_query_parse(input.as_ptr());
        let pos = if r.error.is_null() {
            None
        } else {
            usize::try_from((*r.error).cursorpos)
                .ok()
                .filter(|p| *p > 0)
        };
        pg_query_free_parse_result(r);
        pos.map(|chars| {
            sql.char_indices()
                .nth(chars - 1)
                .map_or(sql.len(), |(byte, _)| byte)
        })
    }
}

fn error_message(e: &pg_query::Error) -> String {
    match e {
        pg_query::Error::Parse(m) => m.clone(),
        other => other.to_string(),
    }
}

/// Split and parse a file.
pub fn parse(sql: &str) -> Result<Vec<Statement>, ParseError> {
    if sql.contains('\0') {
        let (line, column) = line_column(sql, sql.find('\0').unwrap_or(0));
        return Err(ParseError {
            line,
            column,
            message: "the file contains a NUL byte".into(),
        });
    }
    let parsed = parse_tree(sql).map_err(|e| {
        let at = error_position(sql).unwrap_or(0);
        let (line, column) = line_column(sql, at);
        ParseError {
            line,
            column,
            message: error_message(&e),
        }
    })?;
    let mut out = Vec::new();
    let mut previous_end = 0;
    for (index, raw) in parsed.stmts.into_iter().enumerate() {
        let location = raw.stmt_location.max(0) as usize;
        let end = if raw.stmt_len > 0 {
            location + raw.stmt_len as usize
        } else {
            sql.len()
        };
        let start = first_token(sql, location).min(end);
        let (line, column) = line_column(sql, start);
        out.push(Statement {
            text: sql[start..end].trim_end().to_string(),
            line,
            column,
            index,
            start,
            node: raw.stmt.and_then(|n| n.node),
            allows: allows(sql, previous_end.min(start), start),
        });
        previous_end = end;
    }
    Ok(out)
}

/// Files parsed below this many a thread are parsed on the caller's.
const FILES_A_THREAD: usize = 32;

/// Parse many files, in order, on up to as many threads as there are
/// cores: at about 25 µs a file, 200 pending migrations are 5 ms of a run's
/// critical path on one.
pub fn parse_many(files: &[&str]) -> Vec<Result<Vec<Statement>, ParseError>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (files.len() / FILES_A_THREAD).clamp(1, cores.min(8));
    if threads == 1 {
        return files.iter().map(|f| parse(f)).collect();
    }
    let chunks: Vec<&[&str]> = files.chunks(files.len().div_ceil(threads)).collect();
    let parse_chunk = |c: &[&str]| c.iter().map(|f| parse(f)).collect::<Vec<_>>();
    std::thread::scope(|scope| {
        let others: Vec<_> = chunks[1..]
            .iter()
            .map(|c| {
                // A spawned thread's 2 MiB of stack is enough: the parser
                // stops nesting deeper than 10,000 with an error (tested).
                std::thread::Builder::new()
                    .spawn_scoped(scope, || parse_chunk(c))
                    .ok()
            })
            .collect();
        let mut out = parse_chunk(chunks[0]);
        for (c, handle) in chunks[1..].iter().zip(others) {
            match handle.map(|h| h.join()) {
                Some(Ok(parsed)) => out.extend(parsed),
                // No thread, or it panicked: parse here (and panic here).
                _ => out.extend(parse_chunk(c)),
            }
        }
        out
    })
}

impl Statement {
    /// BEGIN, COMMIT, ROLLBACK, SAVEPOINT… (which a transactional migration
    /// must not contain: it would break the migration's atomicity).
    pub fn is_transaction_control(&self) -> bool {
        matches!(self.node, Some(NodeEnum::TransactionStmt(_)))
    }

    /// What PostgreSQL always refuses inside a transaction block, whatever
    /// its version: such a statement in a transactional migration is a
    /// certain failure. (`ALTER TYPE … ADD VALUE` before 12 depends on the
    /// server: the lint knows it.)
    pub fn cannot_run_in_transaction(&self) -> Option<&'static str> {
        use pg_query::protobuf as pb;
        let has = |options: &[pb::Node], name: &str| {
            options.iter().any(|o| {
                matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname.eq_ignore_ascii_case(name))
            })
        };
        Some(match self.node.as_ref()? {
            NodeEnum::IndexStmt(i) if i.concurrent => "CREATE INDEX CONCURRENTLY",
            NodeEnum::DropStmt(d) if d.concurrent => "DROP INDEX CONCURRENTLY",
            NodeEnum::VacuumStmt(v) if v.is_vacuumcmd && has(&v.options, "full") => "VACUUM FULL",
            NodeEnum::VacuumStmt(v) if v.is_vacuumcmd => "VACUUM",
            NodeEnum::ReindexStmt(r) if r.relation.is_none() => "REINDEX DATABASE/SYSTEM/SCHEMA",
            NodeEnum::ReindexStmt(r) if has(&r.params, "concurrently") => "REINDEX CONCURRENTLY",
            NodeEnum::ClusterStmt(c) if c.relation.is_none() => "CLUSTER of every table",
            NodeEnum::AlterTableStmt(a)
                if a.cmds.iter().any(|c| match &c.node {
                    Some(NodeEnum::AlterTableCmd(cmd)) => {
                        cmd.subtype == pb::AlterTableType::AtDetachPartition as i32
                            && matches!(
                                cmd.def.as_ref().and_then(|d| d.node.as_ref()),
                                Some(NodeEnum::PartitionCmd(p)) if p.concurrent
                            )
                    }
                    _ => false,
                }) =>
            {
                "DETACH PARTITION CONCURRENTLY"
            }
            NodeEnum::CreatedbStmt(_) => "CREATE DATABASE",
            NodeEnum::DropdbStmt(_) => "DROP DATABASE",
            NodeEnum::AlterSystemStmt(_) => "ALTER SYSTEM",
            NodeEnum::CreateTableSpaceStmt(_) => "CREATE TABLESPACE",
            NodeEnum::DropTableSpaceStmt(_) => "DROP TABLESPACE",
            _ => return None,
        })
    }

    /// The statement's first keyword, for messages.
    pub fn keyword(&self) -> String {
        self.text
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase()
    }

    /// The kind of transaction control, when it is one.
    pub fn transaction_kind(&self) -> Option<TransactionStmtKind> {
        match &self.node {
            Some(NodeEnum::TransactionStmt(t)) => TransactionStmtKind::try_from(t.kind).ok(),
            _ => None,
        }
    }

    /// The first line of the statement, shortened, for messages.
    pub fn head(&self) -> String {
        let one: String = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 80 {
            format!("{}…", one.chars().take(80).collect::<String>())
        } else {
            one
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_files_parse_in_order_on_several_threads_as_one_by_one() {
        // Enough files for several threads, one the parser rejects, one
        // nested as deep as the parser allows (on a spawned thread's
        // stack), one deeper.
        let nested = |n| format!("SELECT {}1{};", "(".repeat(n), ")".repeat(n));
        let files: Vec<String> = (0..3 * FILES_A_THREAD + 5)
            .map(|i| match i {
                7 => "CREATE TABLE (".to_string(),
                70 => nested(9000),
                71 => nested(20000),
                _ => format!("CREATE TABLE t{i} (id int);\nINSERT INTO t{i} VALUES ({i});"),
            })
            .collect();
        let refs: Vec<&str> = files.iter().map(String::as_str).collect();
        let texts =
            |p: Vec<Result<Vec<Statement>, ParseError>>| -> Vec<Result<Vec<String>, ParseError>> {
                p.into_iter()
                    .map(|r| r.map(|s| s.into_iter().map(|s| s.text).collect()))
                    .collect()
            };
        let many = texts(parse_many(&refs));
        let one_by_one = texts(refs.iter().map(|f| parse(f)).collect());
        assert_eq!(many, one_by_one);
        assert!(many[7].is_err());
        assert!(many[70].is_ok(), "{:?}", many[70]);
        let e = many[71].as_ref().unwrap_err();
        assert!(e.message.contains("memory exhausted"), "{e:?}");
        assert_eq!(many[99].as_ref().unwrap()[0], "CREATE TABLE t99 (id int)");
    }

    #[test]
    fn splits_exactly_with_positions() {
        let sql = "-- head; comment\nCREATE TABLE a (x text DEFAULT ';');\n/* block; /* nested; */ */ INSERT INTO a VALUES (E'it\\'s; ok');\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nCREATE RULE r AS ON INSERT TO a DO ALSO (SELECT 1; SELECT 2);\nCREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT \"we;ird\" FROM a\n-- trailing";
        let s = parse(sql).unwrap();
        let heads: Vec<_> = s.iter().map(|s| (s.line, s.column, s.keyword())).collect();
        assert_eq!(
            heads,
            [
                (2, 1, "CREATE".to_string()),
                (3, 28, "INSERT".into()),
                (4, 1, "CREATE".into()),
                (5, 1, "CREATE".into()),
                (6, 1, "CREATE".into()),
                (7, 1, "SELECT".into())
            ]
        );
        assert!(s[1].text.ends_with("VALUES (E'it\\'s; ok')"));
        assert!(s[4].text.ends_with("END"), "{}", s[4].text);
    }

    #[test]
    fn a_syntax_error_has_its_line_and_column() {
        let e = parse("CREATE TABLE a (id int);\nALTER TABEL a ADD COLUMN b int;\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 7), "{e}");
        assert!(e.message.contains("syntax error"), "{e}");
    }

    #[test]
    fn positions_count_characters() {
        let e = parse("SELECT 'é'; SELEC 1;").unwrap_err();
        assert_eq!((e.line, e.column), (1, 13), "{e}");
    }

    #[test]
    fn allow_comments_belong_to_the_next_statement() {
        let sql = "CREATE TABLE a (id int);\n-- neonops:allow index-without-concurrently: the table is tiny\n-- neonops:allow rename\nCREATE INDEX i ON a (id);";
        let s = parse(sql).unwrap();
        assert!(s[0].allows.is_empty());
        assert_eq!(s[1].allows.len(), 2);
        assert_eq!(s[1].allows[0].rules, ["index-without-concurrently"]);
        assert_eq!(s[1].allows[0].reason, "the table is tiny");
        assert_eq!(s[1].allows[1].reason, "");
    }

    #[test]
    fn transaction_control_is_recognised_by_the_parser() {
        let s = parse("begin; SELECT 'BEGIN'; COMMIT; START TRANSACTION; SAVEPOINT x").unwrap();
        let tc: Vec<bool> = s.iter().map(Statement::is_transaction_control).collect();
        assert_eq!(tc, [true, false, true, true, true]);
    }
}
