//! Split SQL into top-level statements, respecting quotes, dollar quotes,
//! quoted identifiers and comments. Needed to run a no-transaction file one
//! statement at a time (`CREATE INDEX CONCURRENTLY` refuses to run inside the
//! implicit transaction of a multi-statement message), and to find
//! transaction control inside a file neonops wraps in a transaction.

/// The statements of `sql`, trimmed, without the terminating `;`, with
/// comment-only pieces dropped.
pub fn split(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut depth = 0i32; // parentheses, for CREATE RULE … (a; b)
    let mut has_code = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 1;
                i += 2;
                while i < b.len() && nest > 0 {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' | b'"' => {
                has_code = true;
                i += 1;
                while i < b.len() {
                    if b[i] == c {
                        if b.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            b'$' => {
                has_code = true;
                // $tag$ … $tag$ (a positional parameter $1 is not a quote)
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
                    .map(|p| i + 1 + p);
                if let Some(e) = tag_end
                    && b[e] == b'$'
                    && !b[i + 1..e].first().is_some_and(u8::is_ascii_digit)
                {
                    let tag = &sql[i..=e];
                    if let Some(close) = sql[e + 1..].find(tag) {
                        i = e + 1 + close + tag.len();
                        continue;
                    }
                    i = b.len();
                    continue;
                }
            }
            b'(' => {
                depth += 1;
                has_code = true;
            }
            b')' => {
                depth -= 1;
                has_code = true;
            }
            b';' if depth <= 0 => {
                if has_code {
                    out.push(sql[start..i].trim().to_string());
                }
                start = i + 1;
                has_code = false;
            }
            c if !c.is_ascii_whitespace() => has_code = true,
            _ => {}
        }
        i += 1;
    }
    if has_code {
        out.push(sql[start..].trim().to_string());
    }
    out
}

/// The first keyword of a statement, upper-cased, past leading comments.
pub fn first_keyword(stmt: &str) -> String {
    let mut s = stmt.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    s.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// Whether a statement controls the transaction (BEGIN, COMMIT, …).
pub fn is_transaction_control(stmt: &str) -> bool {
    matches!(
        first_keyword(stmt).as_str(),
        "BEGIN" | "COMMIT" | "ROLLBACK" | "END" | "ABORT" | "SAVEPOINT" | "RELEASE"
    ) || (first_keyword(stmt) == "START" && stmt.to_ascii_uppercase().contains("TRANSACTION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_respecting_quotes_and_comments() {
        let sql = "-- head; comment\nCREATE TABLE a (x text DEFAULT ';');\n/* block; */ INSERT INTO a VALUES ('it''s; ok');\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT \"we;ird\" FROM a\n-- trailing";
        let s = split(sql);
        assert_eq!(s.len(), 4, "{s:#?}");
        assert!(s[2].contains("$body$ SELECT 1; $body$"));
        assert!(s[3].starts_with("SELECT \"we;ird\""));
    }

    #[test]
    fn transaction_control() {
        assert!(is_transaction_control("begin"));
        assert!(is_transaction_control("-- x\nCOMMIT"));
        assert!(is_transaction_control("START TRANSACTION"));
        assert!(!is_transaction_control("BEGINNING_TABLE"));
        assert!(!is_transaction_control("CREATE TABLE t (x int)"));
    }
}
