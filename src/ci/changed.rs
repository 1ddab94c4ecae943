//! Which migration files a change touched: `--changed-since <git ref>`.
//!
//! The files are compared as a pull request compares them: from where the
//! branch left the ref (their merge base; the ref itself when there is
//! none) to the working tree, so that commits on the ref since then do not
//! count, and neither committed nor uncommitted work is missed; files git
//! does not track yet count as added.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::error::usage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Edited,
    Deleted,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Edited => "edited",
            Change::Deleted => "deleted",
        }
    }
}

/// A file the change touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Its absolute path (where it was, for a deleted file).
    pub path: PathBuf,
    pub change: Change,
}

/// What the comparison started from.
#[derive(Debug, Clone)]
pub struct Since {
    pub git_ref: String,
    /// The commit compared with (the merge base of the ref and HEAD).
    pub base: String,
    pub files: Vec<Changed>,
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(|e| {
            usage(format!(
                "--changed-since needs git, which could not run: {e}"
            ))
        })
}

fn text(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The files under `dir` that changed since `git_ref`.
pub fn since(git_ref: &str, dir: &Path) -> anyhow::Result<Since> {
    let dir = std::fs::canonicalize(dir).map_err(|e| {
        usage(format!(
            "--changed-since: the migrations directory {} cannot be read: {e}",
            dir.display()
        ))
    })?;
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(usage(format!(
            "--changed-since: {} is not in a git repository (run it in a clone of the repository)",
            dir.display()
        )));
    }
    let root = PathBuf::from(text(&top));
    let spec = format!("{git_ref}^{{commit}}");
    let commit = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )?;
    if !commit.status.success() || git_ref.starts_with('-') {
        return Err(usage(format!(
            "--changed-since: {git_ref:?} is not a commit of this repository: fetch it first (in GitHub Actions, actions/checkout with fetch-depth: 0, or `git fetch origin {git_ref}`)"
        )));
    }
    let commit = text(&commit);
    let merge_base = git(&dir, &["merge-base", &commit, "HEAD"])?;
    let base = if merge_base.status.success() {
        text(&merge_base)
    } else {
        commit
    };
    let diff = git(
        &dir,
        &[
            "diff",
            "--name-status",
            "--no-renames",
            "-z",
            &base,
            "--",
            ".",
        ],
    )?;
    if !diff.status.success() {
        return Err(anyhow::anyhow!(
            "git diff {base} failed: {}",
            String::from_utf8_lossy(&diff.stderr).trim()
        ));
    }
    let mut files = Vec::new();
    let fields: Vec<&[u8]> = diff.stdout.split(|&b| b == 0).collect();
    for pair in fields.chunks(2) {
        let [status, path] = pair else { continue };
        let change = match status.first() {
            Some(b'A') => Change::Added,
            Some(b'D') => Change::Deleted,
            Some(_) => Change::Edited,
            None => continue,
        };
        files.push(Changed {
            path: root.join(String::from_utf8_lossy(path).as_ref()),
            change,
        });
    }
    let untracked = git(
        &dir,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--",
            ".",
        ],
    )?;
    for path in untracked
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
    {
        files.push(Changed {
            path: dir.join(String::from_utf8_lossy(path).as_ref()),
            change: Change::Added,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup();
    Ok(Since {
        git_ref: git_ref.to_string(),
        base,
        files,
    })
}

impl Since {
    /// How the change touched this file, if it did.
    pub fn change_of(&self, path: &Path) -> Option<Change> {
        let abs = std::fs::canonicalize(path).ok()?;
        self.files.iter().find(|c| c.path == abs).map(|c| c.change)
    }
}
