//! The sandbox's Neon-shaped names in `/etc/hosts`, so that every client
//! resolves them as printed: psql and psycopg (libpq), asyncpg and
//! node-postgres (the system's resolver) alike, and `sslmode=verify-full`
//! checks the certificate against the name that was asked for. neonops
//! itself does not need them (it pins the names with `NEONOPS_RESOLVE`).
//!
//! Each line carries a marker with the sandbox's directory; `down` removes
//! its own lines, and every edit drops the lines of sandboxes whose
//! directory is gone (one removed without `down`). Edits are serialised
//! by a lock file and written to a new file that replaces the old one, so
//! a reader never sees a half-written file; where the file cannot be
//! replaced (a bind mount, as in a container), it is rewritten in place.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::{DIRECT_ADDR, POOLED_ADDR, State};

pub const HOSTS: &str = "/etc/hosts";
const MARK: &str = "# neonops sandbox ";

/// The lines that name a sandbox's endpoints.
pub fn lines(state: &State) -> [String; 2] {
    let mark = format!("{MARK}{}", state.dir.display());
    [
        format!("{POOLED_ADDR} {}  {mark}", state.pooled_host),
        format!("{DIRECT_ADDR} {}  {mark}", state.direct_host),
    ]
}

/// The sandbox directory a line was written for, if it is one of ours.
fn owner(line: &str) -> Option<&Path> {
    line.split_once(MARK).map(|(_, d)| Path::new(d.trim_end()))
}

/// A line to keep: not ours, or of a sandbox that still exists (and is not
/// `dropping`).
fn keep(line: &str, dropping: &Path) -> bool {
    match owner(line) {
        None => true,
        Some(d) => d != dropping && d.join("state.json").exists(),
    }
}

/// Add the sandbox's names (replacing any earlier lines of its directory).
pub fn register(path: &Path, state: &State) -> io::Result<()> {
    edit(path, &state.dir, &lines(state))
}

/// Remove the lines of the sandbox in `dir` (and of sandboxes that are gone).
pub fn unregister(path: &Path, dir: &Path) -> io::Result<()> {
    edit(path, dir, &[])
}

/// Add lines for names of the sandbox in `dir` (a branch's endpoint),
/// keeping its other lines.
pub fn add(path: &Path, dir: &Path, names: &[(std::net::Ipv4Addr, String)]) -> io::Result<()> {
    let mark = format!("{MARK}{}", dir.display());
    let lines: Vec<String> = names
        .iter()
        .map(|(addr, name)| format!("{addr} {name}  {mark}"))
        .collect();
    edit_with(
        path,
        |line| keep(line, Path::new("")) && !lines.iter().any(|l| l == line),
        &lines,
    )
}

/// Remove the lines of these names (a branch's endpoint, deleted).
pub fn remove_names(path: &Path, names: &[String]) -> io::Result<()> {
    edit_with(
        path,
        |line| {
            owner(line).is_none()
                || !line
                    .split_whitespace()
                    .nth(1)
                    .is_some_and(|n| names.iter().any(|x| x == n))
        },
        &[],
    )
}

/// Whether this process may change the file.
pub fn writable(path: &Path) -> bool {
    fs::OpenOptions::new().append(true).open(path).is_ok()
}

fn edit(path: &Path, dropping: &Path, add: &[String]) -> io::Result<()> {
    edit_with(path, |l| keep(l, dropping), add)
}

fn edit_with(path: &Path, keep: impl Fn(&str) -> bool, add: &[String]) -> io::Result<()> {
    let lock = fs::File::create(std::env::temp_dir().join("neonops-hosts.lock"))?;
    lock.lock()?;
    let text = fs::read_to_string(path)?;
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.lines().filter(|l| keep(l)) {
        out.push_str(line);
        out.push('\n');
    }
    for line in add {
        out.push_str(line);
        out.push('\n');
    }
    if out == text {
        return Ok(());
    }
    if replace(path, &out).is_err() {
        // A file that cannot be replaced (a bind mount): rewrite it in place.
        let mut f = fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        f.write_all(out.as_bytes())?;
    }
    Ok(())
}

/// Write `text` to a new file beside `path` and rename it over `path`.
fn replace(path: &Path, text: &str) -> io::Result<()> {
    let tmp: PathBuf = path.with_file_name(format!(".hosts.neonops.{}", std::process::id()));
    let mode = fs::metadata(path)?.permissions().mode();
    let r = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(mode))?;
        fs::rename(&tmp, path)
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(dir: &Path, id: &str) -> State {
        let mut s: State = serde_json::from_value(serde_json::json!({
            "dir": dir, "port": 5432, "endpoint_id": id,
            "pooled_host": format!("{id}-pooler.sandbox.aws.neon.tech"),
            "direct_host": format!("{id}.sandbox.aws.neon.tech"),
            "role": "r", "admin_role": "a", "database": "d", "ca_file": "/x", "passfile": "/y",
            "compute_size": 0.25, "max_connections": 104, "superuser_reserved_connections": 7,
            "default_pool_size": 93, "max_client_conn": 10000, "query_wait_timeout": 120,
            "server_user": "postgres"
        }))
        .unwrap();
        s.dir = dir.to_path_buf();
        s
    }

    #[test]
    fn lines_are_added_replaced_and_removed_and_the_rest_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let hosts = tmp.path().join("hosts");
        let theirs = "127.0.0.1 localhost\n::1 ip6-localhost\n";
        fs::write(&hosts, theirs).unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for d in [&a, &b] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("state.json"), "{}").unwrap();
        }
        register(&hosts, &state(&a, "ep-sandbox-aaaa")).unwrap();
        register(&hosts, &state(&b, "ep-sandbox-bbbb")).unwrap();
        // Up again in the same directory: its lines are replaced, not added.
        register(&hosts, &state(&a, "ep-sandbox-cccc")).unwrap();
        let text = fs::read_to_string(&hosts).unwrap();
        assert!(text.starts_with(theirs), "{text}");
        assert!(!text.contains("aaaa"), "{text}");
        assert!(text.contains("127.0.0.2 ep-sandbox-cccc-pooler.sandbox.aws.neon.tech"));
        assert!(text.contains("127.0.0.3 ep-sandbox-bbbb.sandbox.aws.neon.tech"));
        assert_eq!(text.lines().count(), 6, "{text}");
        // A sandbox removed without `down` loses its lines at the next edit.
        fs::remove_dir_all(&b).unwrap();
        unregister(&hosts, &a).unwrap();
        assert_eq!(fs::read_to_string(&hosts).unwrap(), theirs);
    }
}
