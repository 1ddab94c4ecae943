//! The fleet's targets: a file of URLs, databases matching a pattern on a
//! server, the direct endpoint of each, and a deterministic shard.

use std::collections::HashMap;
use std::path::Path;

use crate::endpoint::{ConnectSpec, DatabaseUrl, PgEnv, Pooler};
use crate::migrate::files::Problem;

/// One tenant database, always on its direct endpoint.
#[derive(Debug, Clone)]
pub struct Target {
    /// The direct URL (displays itself redacted).
    pub url: DatabaseUrl,
    /// `host:port/dbname`: the database's identity (no user, no secret).
    pub label: String,
    pub dbname: String,
    /// `host:port`: the server whose connections it shares.
    pub server: String,
    /// Where it came from: `FILE:LINE` or `match PATTERN`.
    pub origin: String,
}

impl Target {
    pub fn new(url: DatabaseUrl, env: &PgEnv, origin: String) -> Result<Target, BadTarget> {
        let spec = ConnectSpec::resolve(&url, env)?;
        let t = spec.targets.first().ok_or(BadTarget::NoHost)?;
        let server = format!("{}:{}", t.host, t.port);
        Ok(Target {
            label: format!("{server}/{}", spec.dbname),
            dbname: spec.dbname.clone(),
            server,
            url,
            origin,
        })
    }
}

/// Why a line of a targets file is not a target.
#[derive(Debug, thiserror::Error)]
pub enum BadTarget {
    #[error("an unclosed ${{: write ${{NAME}}")]
    Unclosed,
    #[error("${0} is not set: export it, or write the value in the file")]
    Unset(String),
    #[error(transparent)]
    Url(#[from] crate::endpoint::UrlError),
    #[error(transparent)]
    Convert(#[from] crate::endpoint::ConvertError),
    #[error("the connection string names no host")]
    NoHost,
}

/// Expand `$VAR` and `${VAR}`; an unset variable is an error naming it.
fn expand(line: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, BadTarget> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, tail) = if let Some(b) = after.strip_prefix('{') {
            let end = b.find('}').ok_or(BadTarget::Unclosed)?;
            (&b[..end], &b[end + 1..])
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            // A lone `$` (in a password, say) stays as written.
            out.push('$');
            rest = after;
            continue;
        }
        let v = env(name).ok_or_else(|| BadTarget::Unset(name.to_string()))?;
        out.push_str(&v);
        rest = tail;
    }
    out.push_str(rest);
    Ok(out)
}

/// The targets of a file: one URL per line, blank lines and `#` comments
/// (a line starting with `#`, or ` #` after the URL) skipped. Every
/// problem is reported at once, with its line.
pub fn from_file(
    path: &Path,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
    pg_env: &PgEnv,
    poolers: &[Pooler],
) -> Result<Vec<Target>, Vec<Problem>> {
    let subject = path.display().to_string();
    let mut problems = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let problem = |message: String| Problem {
            subject: subject.clone(),
            line: Some(line_no),
            column: None,
            message,
        };
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(i) => &raw[..i],
            None => raw,
        }
        .trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let result = expand(line, env)
            .and_then(|s| Ok(DatabaseUrl::parse(&s)?))
            .and_then(|u| Ok(direct(u, poolers)?))
            .and_then(|u| Target::new(u, pg_env, format!("{subject}:{line_no}")));
        match result {
            Ok(t) => {
                if let Some(first) = seen.get(&t.label) {
                    problems.push(problem(format!(
                        "{} is also on line {first}: list each database once",
                        t.label
                    )));
                } else {
                    seen.insert(t.label.clone(), line_no);
                    targets.push(t);
                }
            }
            Err(e) => problems.push(problem(e.to_string())),
        }
    }
    if targets.is_empty() && problems.is_empty() {
        problems.push(Problem {
            subject,
            line: None,
            column: None,
            message: "lists no database: write one URL per line".into(),
        });
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

/// A pooled URL's direct endpoint; a direct or plain one as it is.
pub fn direct(
    url: DatabaseUrl,
    poolers: &[Pooler],
) -> Result<DatabaseUrl, crate::endpoint::ConvertError> {
    if url.kind(poolers).is_pooled() {
        url.to_direct(poolers)
    } else {
        Ok(url)
    }
}

/// A shell-style pattern (`*`, `?`) as a LIKE pattern (escape `\`).
pub fn glob_to_like(pattern: &str) -> String {
    let mut out = String::new();
    for c in pattern.chars() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The databases whose names match, listed by `pg_database` (connectable,
/// not templates), in name order.
pub const MATCH_SQL: &str = "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate AND datname LIKE $1 ORDER BY datname";

/// The shard (1-based) of a database: FNV-1a of its identity, so the split
/// is the same on every machine and a target keeps its shard when others
/// are added or removed.
pub fn shard_of(label: &str, n: u32) -> u32 {
    let h = crate::rows::fnv1a([label.as_bytes()], false);
    (h % n as u64) as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "TENANT_A" => Some("postgres://u:pw@ep-a-1-pooler.us-east-2.aws.neon.tech/a".into()),
            "HOST" => Some("db.internal".into()),
            _ => None,
        }
    }

    #[test]
    fn a_file_of_urls_with_variables_comments_and_pooled_urls() {
        let text = "# tenants\n$TENANT_A\n\npostgres://u@${HOST}:5432/b   # tenant b\npostgres://u@db.internal/c\n";
        let t = from_file(Path::new("t.txt"), text, &env, &PgEnv::empty(), &[]).unwrap();
        let labels: Vec<_> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "ep-a-1.us-east-2.aws.neon.tech:5432/a",
                "db.internal:5432/b",
                "db.internal:5432/c"
            ]
        );
        assert_eq!(t[1].origin, "t.txt:4");
        assert!(!t[0].url.to_string().contains("pw"));
    }

    #[test]
    fn every_problem_of_a_file_is_named_with_its_line() {
        let text = "postgres://u@h/a\n$MISSING\nmysql://h/x\npostgres://u@h:5432/a\n";
        let p = from_file(Path::new("t.txt"), text, &env, &PgEnv::empty(), &[]).unwrap_err();
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.line.unwrap(), p.message.clone()))
            .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, 2);
        assert!(got[0].1.contains("$MISSING is not set"), "{got:?}");
        assert_eq!(got[1].0, 3);
        assert!(got[1].1.contains("unsupported scheme"), "{got:?}");
        assert_eq!(got[2].0, 4);
        assert!(got[2].1.contains("also on line 1"), "{got:?}");
        let empty = from_file(Path::new("e.txt"), "# none\n", &env, &PgEnv::empty(), &[]);
        assert!(empty.unwrap_err()[0].message.contains("lists no database"));
    }

    #[test]
    fn patterns_and_shards() {
        assert_eq!(glob_to_like("tenant_*"), "tenant\\_%");
        assert_eq!(glob_to_like("t?%"), "t_\\%");
        // Every label in exactly one shard, and the shards are not lopsided.
        let n = 4;
        let mut counts = [0; 4];
        for i in 0..1000 {
            let s = shard_of(&format!("h:5432/tenant_{i:04}"), n);
            assert!((1..=n).contains(&s));
            counts[s as usize - 1] += 1;
        }
        assert!(counts.iter().all(|&c| c > 200), "{counts:?}");
    }

    #[test]
    fn a_lone_dollar_stays() {
        assert_eq!(expand("pa$ word", &env).unwrap(), "pa$ word");
        assert_eq!(expand("p$1x", &env).unwrap(), "p$1x");
        assert_eq!(expand("${HOST}x", &env).unwrap(), "db.internalx");
        assert!(expand("${HOST", &env).is_err());
    }
}
