//! `--changed-since REF` for the commands that report on migrations (lint,
//! `migrate --plan`, `migrate --rehearse`): which migration files the
//! change touched, whether the database applied them, and what an edit of
//! an applied one means.

use std::collections::HashSet;

use serde::Serialize;

use crate::ci::changed::{Change, Since};
use crate::cli::MigrationsDir;
use crate::migrate::{MigrationFile, Problem};
use crate::output::table;
use crate::settings::Settings;

/// A migration file a change touched.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct ChangedFile {
    pub file: String,
    pub change: Change,
    /// Whether the database applied it (unknown offline).
    pub applied: Option<bool>,
    /// What the change means for the history, when it means something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ChangedFile {
    /// An applied migration edited or removed: the history and the files
    /// disagree from now on.
    pub fn breaks_history(&self) -> bool {
        self.applied == Some(true) && self.change != Change::Added
    }
}

/// What `git_ref` gives, against the migrations directory (None without
/// `--changed-since`).
pub(crate) fn since(
    settings: &Settings,
    dir: &MigrationsDir,
    git_ref: Option<&str>,
) -> anyhow::Result<Option<Since>> {
    git_ref
        .map(|r| {
            let dir = settings.migrations_dir(dir);
            crate::ci::changed::since(r, &dir.value)
        })
        .transpose()
}

/// What the change did to each migration file, and what that means for a
/// database that applied it. `pending` holds the files (as their paths are
/// shown) the database has not applied; None when that is unknown.
pub(crate) fn files(
    since: &Since,
    loaded: &[MigrationFile],
    pending: Option<&HashSet<String>>,
) -> Vec<ChangedFile> {
    let cwd = std::env::current_dir().unwrap_or_default();
    since
        .files
        .iter()
        .filter(|c| c.path.extension().is_some_and(|e| e == "sql"))
        .map(|c| {
            let file = loaded
                .iter()
                .find(|f| std::fs::canonicalize(&f.path).is_ok_and(|p| p == c.path))
                .map(|f| f.path.display().to_string())
                .unwrap_or_else(|| {
                    c.path
                        .strip_prefix(&cwd)
                        .unwrap_or(&c.path)
                        .display()
                        .to_string()
                });
            let applied = pending.map(|p| c.change != Change::Added && !p.contains(&file));
            let note = note(c.change, applied, &since.git_ref, &file);
            ChangedFile {
                file,
                change: c.change,
                applied,
                note,
            }
        })
        .collect()
}

fn note(change: Change, applied: Option<bool>, git_ref: &str, file: &str) -> Option<String> {
    match (change, applied) {
        (Change::Edited, Some(true)) => Some(format!(
            "edits a migration the database applied: its history records the file as it was, and it will not run again; restore it (git checkout {git_ref} -- {file}) and put the change in a new migration"
        )),
        (Change::Edited, Some(false)) => Some(format!(
            "edits a migration that was already in {git_ref}: this database has not applied it, but one that did records the file as it was and will not run it again (put the change in a new migration)"
        )),
        (Change::Edited, None) => Some(format!(
            "edits a migration that was already in {git_ref}: a database that applied it records the file as it was, and will not run it again (put the change in a new migration)"
        )),
        (Change::Deleted, _) => Some(format!(
            "removes a migration that was in {git_ref}: a database that applied it reports it missing"
        )),
        _ => None,
    }
}

/// The change beside what is pending: the files it touched, and the
/// pending migrations it did not (planned and rehearsed too, since
/// migrations run in order).
#[derive(Serialize, Debug)]
pub(crate) struct InChange {
    /// The ref compared with.
    #[serde(rename = "changed_since")]
    pub git_ref: String,
    /// The migration files the change touched.
    #[serde(rename = "changed")]
    pub files: Vec<ChangedFile>,
    /// The labels (V3__name) of the pending migrations outside the change.
    pub not_in_change: Vec<String>,
}

impl InChange {
    /// `pending`: what the database has not applied (from its history);
    /// `planned`: what is to run (pending, up to a --target).
    pub fn of(
        since: &Since,
        loaded: &[MigrationFile],
        pending: &[&MigrationFile],
        planned: &[&MigrationFile],
    ) -> Self {
        let set: HashSet<String> = pending
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        let files = files(since, loaded, Some(&set));
        let not_in_change = planned
            .iter()
            .filter(|f| {
                let shown = f.path.display().to_string();
                !files.iter().any(|c| c.file == shown)
            })
            .map(|f| f.label())
            .collect();
        InChange {
            git_ref: since.git_ref.clone(),
            files,
            not_in_change,
        }
    }

    /// How the change touched this file (as its path is shown), if it did.
    pub fn change_of(&self, file: &str) -> Option<Change> {
        self.files.iter().find(|c| c.file == file).map(|c| c.change)
    }

    /// The changed files and the pending ones outside the change, as text.
    pub fn text(&self) -> String {
        let mut t = text(&self.files);
        if let Some(o) = outside_text(&self.git_ref, &self.not_in_change) {
            t.push_str(&o);
            t.push('\n');
        }
        t
    }
}

/// What the change touched, beside a plan read from the history (None
/// without `--changed-since`); an applied migration it edited or removed
/// joins the plan's `problems`.
pub(crate) fn beside_plan(
    since: Option<&Since>,
    files: &[MigrationFile],
    plan: &crate::migrate::run::Outcome,
    problems: &mut Vec<Problem>,
) -> Option<InChange> {
    let since = since?;
    let of = |ix: &[usize]| ix.iter().map(|&i| &files[i]).collect::<Vec<_>>();
    let c = InChange::of(
        since,
        files,
        &of(&plan.comparison.pending),
        &of(&plan.planned),
    );
    add_history_problems(problems, &c);
    Some(c)
}

/// The applied migrations the change edited or removed, as input problems
/// (the plan and the rehearsal stop at them, as at any the history finds):
/// one the history already names gets the command that restores it.
/// (An edit the history cannot see, as a file it never recorded, is said
/// here alone.)
fn add_history_problems(problems: &mut Vec<Problem>, c: &InChange) {
    for f in c.files.iter().filter(|f| f.breaks_history()) {
        let any = !problems.is_empty();
        match problems.iter_mut().find(|p| p.subject == f.file) {
            Some(p) if f.change == Change::Edited => p.message.push_str(&format!(
                " (this change edited it since {}: `git checkout {} -- {}` restores it)",
                c.git_ref, c.git_ref, f.file
            )),
            Some(_) => {}
            // The history names a removed file by its version, as missing.
            None if f.change == Change::Deleted && any => {}
            None => problems.push(Problem {
                subject: f.file.clone(),
                line: None,
                column: None,
                message: f.note.clone().unwrap_or_default(),
            }),
        }
    }
}

/// The changed files as a table.
pub(crate) fn text(files: &[ChangedFile]) -> String {
    let mut t = table(&["changed file", "change", "applied", "note"]);
    for f in files {
        t.add_row(vec![
            f.file.clone(),
            f.change.as_str().to_string(),
            f.applied
                .map_or("unknown (offline)", |a| if a { "yes" } else { "no" })
                .to_string(),
            f.note.clone().unwrap_or_default(),
        ]);
    }
    format!("{t}\n")
}

/// The pending migrations the change did not touch: a plan or rehearsal
/// covers them too (migrations run in order), and the reader should know.
fn outside_text(git_ref: &str, outside: &[String]) -> Option<String> {
    (!outside.is_empty()).then(|| {
        format!(
            "also pending, and not in the change since {git_ref} (migrations run in order, so these run too): {}",
            outside.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, change: Change, applied: bool) -> ChangedFile {
        ChangedFile {
            file: name.into(),
            change,
            applied: Some(applied),
            note: note(change, Some(applied), "main", name),
        }
    }

    fn problem(subject: &str, message: &str) -> Problem {
        Problem {
            subject: subject.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    #[test]
    fn an_applied_edit_the_history_names_gets_its_restore_command_once() {
        let c = InChange {
            git_ref: "main".into(),
            files: vec![
                file("m/V1__a.sql", Change::Edited, true),
                file("m/V2__b.sql", Change::Edited, false),
                file("m/V3__c.sql", Change::Added, false),
            ],
            not_in_change: Vec::new(),
        };
        let mut problems = vec![problem("m/V1__a.sql", "checksum differs")];
        add_history_problems(&mut problems, &c);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .ends_with("`git checkout main -- m/V1__a.sql` restores it)"),
            "{}",
            problems[0].message
        );
        // Unseen by the history (no problem yet): said on its own.
        let mut none = Vec::new();
        add_history_problems(&mut none, &c);
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].subject, "m/V1__a.sql");
        assert!(none[0].message.contains("git checkout main -- m/V1__a.sql"));
    }

    #[test]
    fn a_removed_applied_migration_is_left_to_the_historys_missing_problem() {
        let c = InChange {
            git_ref: "main".into(),
            files: vec![file("m/V1__a.sql", Change::Deleted, true)],
            not_in_change: Vec::new(),
        };
        let mut problems = vec![problem("version 1 (a)", "applied, but its file is gone")];
        add_history_problems(&mut problems, &c);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let mut none = Vec::new();
        add_history_problems(&mut none, &c);
        assert!(
            none[0]
                .message
                .contains("removes a migration that was in main")
        );
    }

    #[test]
    fn the_pending_outside_the_change_are_named() {
        let c = InChange {
            git_ref: "origin/main".into(),
            files: vec![file("m/V3__c.sql", Change::Added, false)],
            not_in_change: vec!["V2__b".into()],
        };
        let t = c.text();
        assert!(t.contains("m/V3__c.sql"), "{t}");
        assert!(
            t.contains("not in the change since origin/main (migrations run in order, so these run too): V2__b"),
            "{t}"
        );
    }
}
