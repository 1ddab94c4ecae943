//! The password file (`~/.pgpass` or `passfile`), read as libpq reads it.

use std::os::unix::fs::PermissionsExt;

use tracing::warn;

use crate::endpoint::Secret;
use crate::endpoint::spec::{ConnectSpec, Target};

/// The password for this target from the password file, if one matches.
pub fn lookup(spec: &ConnectSpec, target: &Target) -> Option<Secret> {
    let path = spec.passfile.as_ref()?;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        warn!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less: ignoring it",
            path.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let host = if target.is_unix_socket() {
        "localhost"
    } else {
        target.host.as_str()
    };
    find(
        &text,
        host,
        &target.port.to_string(),
        &spec.dbname,
        &spec.user,
    )
    .map(Secret::new)
}

fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("non-empty").push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().expect("non-empty").push(c),
        }
    }
    out
}

fn find(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        if f.len() != 5 {
            continue;
        }
        let ok = |pat: &str, v: &str| pat == "*" || pat == v;
        if ok(&f[0], host) && ok(&f[1], port) && ok(&f[2], db) && ok(&f[3], user) {
            return Some(f[4].clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_with_wildcards_and_escapes() {
        let text = "# comment\nother:5432:*:u:nope\nh:*:db:u:p\\:w\\\\d\n";
        assert_eq!(
            find(text, "h", "5432", "db", "u").as_deref(),
            Some("p:w\\d")
        );
        assert_eq!(find(text, "h", "5432", "db2", "u"), None);
    }
}
