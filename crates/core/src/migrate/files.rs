//! Migration files: refinery's names (`V{n}__{name}.sql`, `U{n}__{name}.sql`),
//! refinery's checksum, and every way a file can be wrong, reported at once
//! (refinery silently skips a misnamed file; neonops refuses to go on).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The header line that runs a file outside a transaction.
pub const NO_TRANSACTION: &str = "-- neonops:no-transaction";

/// The lint rule of a statement that cannot run in a transaction block.
const NEEDS_NO_TRANSACTION: &str = "needs-no-transaction";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `V`: applied in version order.
    Versioned,
    /// `U`: applied when missing, in any order.
    Unversioned,
}

#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub path: PathBuf,
    pub kind: Kind,
    pub version: i32,
    pub name: String,
    pub sql: String,
    /// refinery's checksum of the file as it is.
    pub checksum: u64,
    /// Checksums of the same file with other line endings (CRLF ⇄ LF),
    /// which are not a change.
    pub equivalent_checksums: Vec<u64>,
    pub no_transaction: bool,
}

impl MigrationFile {
    pub fn matches_checksum(&self, c: u64) -> bool {
        c == self.checksum || self.equivalent_checksums.contains(&c)
    }

    pub fn label(&self) -> String {
        format!(
            "{}{}__{}",
            if self.kind == Kind::Versioned {
                "V"
            } else {
                "U"
            },
            self.version,
            self.name
        )
    }
}

/// A problem with one input, and how to fix it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub subject: String,
    /// Where in the file, when the problem is at a statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.subject)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// refinery's checksum of a migration: SipHash-1-3 of its name, version
/// and SQL, as `refinery::Migration::unapplied` computes it. For a name
/// `parse_name` accepted and that is ASCII, refinery reads the same name
/// and version, so the hash is computed here, without refinery's regex (a
/// millisecond to compile) and its copy of the SQL; any other name goes
/// through refinery itself.
fn checksum(stem: &str, version: i32, name: &str, sql: &str) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if !name.is_ascii() {
        return refinery::Migration::unapplied(stem, sql)
            .ok()
            .map(|m| m.checksum());
    }
    let mut h = siphasher::sip::SipHasher13::new();
    name.hash(&mut h);
    version.hash(&mut h);
    sql.hash(&mut h);
    Some(h.finish())
}

/// Why a file name is not refinery's `V{version}__{name}.sql`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadName {
    #[error("the extension must be lower-case .sql (refinery skips this file silently)")]
    UpperCaseExtension,
    #[error("not a .sql file")]
    NotSql,
    #[error("the prefix must be an upper-case V or U (refinery skips this file silently)")]
    LowerCasePrefix,
    #[error("expected V{{version}}__{{name}}.sql (or U… for an unversioned migration)")]
    NoPrefix,
    #[error("expected V{{version}}__{{name}}.sql: two underscores between version and name")]
    NoSeparator,
    #[error("the version \"{0}\" must be a whole number (refinery's history stores int4)")]
    VersionNotANumber(String),
    #[error("the version {0} is larger than refinery's int4 history column allows (2147483647)")]
    VersionTooLarge(String),
    #[error(
        "the name \"{name}\" may contain only letters, digits and _ (refinery skips this file silently): rename it, e.g. {}",
        name.replace(|c: char| !(c.is_alphanumeric() || c == '_'), "_")
    )]
    Characters { name: String },
}

/// Check a file name against refinery's grammar, with the reason it fails.
fn parse_name(file: &str) -> Result<(Kind, i32, String), BadName> {
    let Some(stem) = file.strip_suffix(".sql") else {
        if file.to_ascii_lowercase().ends_with(".sql") {
            return Err(BadName::UpperCaseExtension);
        }
        return Err(BadName::NotSql);
    };
    let kind = match stem.chars().next() {
        Some('V') => Kind::Versioned,
        Some('U') => Kind::Unversioned,
        Some('v' | 'u') => return Err(BadName::LowerCasePrefix),
        _ => return Err(BadName::NoPrefix),
    };
    let Some((version, name)) = stem[1..].split_once("__") else {
        return Err(BadName::NoSeparator);
    };
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit()) {
        return Err(BadName::VersionNotANumber(version.to_string()));
    }
    let version: i32 = version
        .parse()
        .map_err(|_| BadName::VersionTooLarge(version.to_string()))?;
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(BadName::Characters {
            name: name.to_string(),
        });
    }
    Ok((kind, version, name.to_string()))
}

/// Whether a file is meant to be a migration (so a bad name is an error,
/// not a file to skip).
fn looks_like_migration(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".sql")
        || (file.len() > 1
            && matches!(file.as_bytes()[0], b'V' | b'v' | b'U' | b'u')
            && file.as_bytes()[1].is_ascii_digit())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether a file's leading comments say `-- neonops:no-transaction`.
pub fn is_no_transaction(sql: &str) -> bool {
    sql.lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
        .any(|l| l.trim() == NO_TRANSACTION)
}

/// What PostgreSQL's parser says of a file: a syntax error (with its line
/// and column), or transaction control in a file neonops wraps in a
/// transaction. Run on pending files before any DDL (and on every file when
/// loading already failed, so that every problem is listed at once).
pub fn statement_problems(f: &MigrationFile) -> Vec<Problem> {
    parsed_problems(f, &crate::sql::parse(&f.sql))
}

/// `statement_problems` of a file already parsed.
pub fn parsed_problems(
    f: &MigrationFile,
    parsed: &Result<Vec<crate::sql::Statement>, crate::sql::ParseError>,
) -> Vec<Problem> {
    let subject = f.path.display().to_string();
    match parsed {
        Err(e) => vec![Problem {
            subject,
            line: Some(e.line),
            column: Some(e.column),
            message: format!("PostgreSQL's parser rejects it: {}", e.message),
        }],
        Ok(statements) if !f.no_transaction => {
            let control = statements
                .iter()
                .filter(|s| s.is_transaction_control())
                .take(1)
                .map(|s| Problem {
                    subject: subject.clone(),
                    line: Some(s.line),
                    column: Some(s.column),
                    message: format!(
                        "contains transaction control ({}): neonops runs each migration in a transaction of its own; remove it, or put `{NO_TRANSACTION}` on the first line",
                        s.keyword()
                    ),
                });
            // A certain failure: refused before anything is applied, instead
            // of failing once the migrations before it have committed.
            let certain = statements.iter().filter_map(|s| {
                let why = s.cannot_run_in_transaction()?;
                let allowed = s.allows.iter().any(|a| {
                    !a.reason.is_empty() && a.rules.iter().any(|r| r == NEEDS_NO_TRANSACTION)
                });
                (!allowed).then(|| Problem {
                    subject: subject.clone(),
                    line: Some(s.line),
                    column: Some(s.column),
                    message: format!(
                        "{why} cannot run inside a transaction block, and this migration runs in one: it would fail when it got there. Move it to a file of its own whose first line is `{NO_TRANSACTION}`"
                    ),
                })
            });
            control.chain(certain).collect()
        }
        Ok(_) => Vec::new(),
    }
}

/// What a migrations directory holds: the files that could be read, and
/// what is wrong with the others, so that every problem is listed at once
/// (with what the history says of the good files).
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by version; both files of a duplicated version are kept (the
    /// duplicate is a problem).
    pub files: Vec<MigrationFile>,
    /// Misnamed, unreadable and non-UTF-8 files, duplicate versions.
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// The files, or every problem: those of loading and, when there are
    /// any, what PostgreSQL's parser finds in every file too.
    pub fn into_files(self) -> Result<Vec<MigrationFile>, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.files)
        } else {
            Err(self.all_problems())
        }
    }

    /// The problems of loading and, when there are any, what PostgreSQL's
    /// parser finds in every file (the runner parses only what it applies).
    pub fn all_problems(&self) -> Vec<Problem> {
        let mut out = self.problems.clone();
        if !out.is_empty() {
            for f in &self.files {
                out.extend(statement_problems(f));
            }
        }
        out
    }
}

/// The directory itself cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the migrations directory {}: {error}", dir.display())]
pub struct DirError {
    pub dir: PathBuf,
    pub error: std::io::Error,
}

/// Load every migration under `dir` (subdirectories too, as refinery does).
pub fn load(dir: &Path) -> Result<Loaded, DirError> {
    let mut paths = Vec::new();
    if let Err(error) = walk(dir, &mut paths) {
        return Err(DirError {
            dir: dir.to_path_buf(),
            error,
        });
    }
    paths.sort();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        match read_file(path) {
            Ok(Some(f)) => files.push(f),
            Ok(None) => {}
            Err(p) => problems.push(p),
        }
    }
    let mut by_version: BTreeMap<i32, Vec<&MigrationFile>> = BTreeMap::new();
    for f in &files {
        by_version.entry(f.version).or_default().push(f);
    }
    for (v, fs) in &by_version {
        if fs.len() > 1 {
            problems.push(Problem {
                line: None,
                column: None,
                subject: format!("version {v}"),
                message: format!(
                    "used by {} files ({}): give each migration its own version",
                    fs.len(),
                    fs.iter()
                        .map(|f| f.path.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    files.sort_by_key(|f| f.version);
    Ok(Loaded { files, problems })
}

/// One file of the directory: a migration, not one (`None`), or why it
/// cannot be used.
fn read_file(path: PathBuf) -> Result<Option<MigrationFile>, Problem> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !looks_like_migration(&file) {
        return Ok(None);
    }
    let problem = |message: String| Problem {
        subject: path.display().to_string(),
        line: None,
        column: None,
        message,
    };
    let (kind, version, name) = parse_name(&file).map_err(|e| problem(e.to_string()))?;
    let bytes = std::fs::read(&path).map_err(|e| problem(format!("cannot read: {e}")))?;
    let sql = String::from_utf8(bytes).map_err(|e| {
        problem(format!(
            "not valid UTF-8 (byte {}): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let stem = file.trim_end_matches(".sql");
    let sum = checksum(stem, version, &name, &sql)
        .ok_or_else(|| problem("refinery cannot parse this name".into()))?;
    let lf = sql.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    let equivalent_checksums = [lf, crlf]
        .iter()
        .filter(|v| **v != sql)
        .filter_map(|v| checksum(stem, version, &name, v))
        .collect();
    let no_transaction = is_no_transaction(&sql);
    Ok(Some(MigrationFile {
        path,
        kind,
        version,
        name,
        sql,
        checksum: sum,
        equivalent_checksums,
        no_transaction,
    }))
}

/// Why `new NAME` cannot name the next file.
#[derive(Debug, thiserror::Error)]
pub enum NewNameError {
    #[error("\"{0}\" has no letters or digits to name a migration with")]
    NoLetters(String),
    #[error("no version left")]
    NoVersionLeft,
    #[error("versions start at 1")]
    NotPositive,
    #[error("version {0} is already used")]
    Used(i32),
}

/// The next sequential version and the file name for `new NAME`.
pub fn next_file_name(
    files: &[MigrationFile],
    name: &str,
    version: Option<i32>,
) -> Result<String, NewNameError> {
    let clean: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_matches('_').to_string();
    if clean.is_empty() {
        return Err(NewNameError::NoLetters(name.to_string()));
    }
    let version = match version {
        Some(v) => v,
        None => files
            .iter()
            .map(|f| f.version)
            .max()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(NewNameError::NoVersionLeft)?,
    };
    if version <= 0 {
        return Err(NewNameError::NotPositive);
    }
    if files.iter().any(|f| f.version == version) {
        return Err(NewNameError::Used(version));
    }
    Ok(format!("V{version}__{clean}.sql"))
}

/// A version asked for (`--target V`, `migrations@V`) must be one of the
/// files': a typo or a file not yet written is an error, not "nothing to
/// apply" (as Flyway's failOnMissingTarget).
pub fn check_version(
    files: &[MigrationFile],
    version: i32,
    flag: &str,
) -> Result<(), NoSuchVersion> {
    if files.iter().any(|f| f.version == version) {
        return Ok(());
    }
    Err(NoSuchVersion {
        flag: flag.to_string(),
        version,
        highest: files.iter().map(|f| f.version).max(),
    })
}

/// A version asked for that no file has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchVersion {
    /// Where it was asked for (`--target`, `--from migrations@3`).
    pub flag: String,
    pub version: i32,
    pub highest: Option<i32>,
}

impl std::fmt::Display for NoSuchVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (flag, version) = (&self.flag, self.version);
        match self.highest {
            None => write!(f, "{flag}: no V{version}: there are no migration files"),
            Some(h) if version > h => write!(
                f,
                "{flag}: no V{version}: the highest is V{h} (give a version of the files)"
            ),
            Some(h) => write!(
                f,
                "{flag}: no V{version} among the migrations (the highest is V{h}): give the version of a file"
            ),
        }
    }
}

impl std::error::Error for NoSuchVersion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            parse_name("V1__init.sql").unwrap(),
            (Kind::Versioned, 1, "init".into())
        );
        assert_eq!(
            parse_name("U7__seed_data.sql").unwrap().0,
            Kind::Unversioned
        );
        for bad in [
            "V2__add-users.sql",
            "v3__x.sql",
            "V4__x.SQL",
            "V1.1__x.sql",
            "V__x.sql",
            "V1_x.sql",
            "V99999999999__x.sql",
            "|V1__x.sql",
        ] {
            assert!(parse_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_good_files_are_loaded_beside_the_problems_of_the_others() {
        let dir = tempfile::tempdir().unwrap();
        for (name, sql) in [
            ("V1__a.sql", "SELECT 1;"),
            ("V2__add-users.sql", "SELECT 2;"),
            ("V3__b.sql", "SELECT 3;"),
            ("V3__c.sql", "SELECT 4;"),
            ("README.md", "not a migration"),
        ] {
            std::fs::write(dir.path().join(name), sql).unwrap();
        }
        let l = load(dir.path()).unwrap();
        let versions: Vec<i32> = l.files.iter().map(|f| f.version).collect();
        assert_eq!(versions, [1, 3, 3]);
        assert_eq!(l.problems.len(), 2, "{:?}", l.problems);
        assert!(l.problems[0].subject.ends_with("V2__add-users.sql"));
        assert_eq!(l.problems[1].subject, "version 3");
        assert!(load(&dir.path().join("nope")).is_err());
    }

    #[test]
    fn checksum_matches_refinery_and_ignores_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("V1__a.sql"),
            "CREATE TABLE a (x int);\r\nSELECT 1;\r\n",
        )
        .unwrap();
        let f = &load(dir.path()).unwrap().files[0];
        let lf = refinery::Migration::unapplied("V1__a", "CREATE TABLE a (x int);\nSELECT 1;\n")
            .unwrap();
        assert!(f.matches_checksum(lf.checksum()));
        assert_ne!(f.checksum, lf.checksum());
    }

    #[test]
    fn checksums_are_refinerys_for_every_kind_of_name_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("V1__init", "CREATE TABLE a (x int);\n"),
            ("V0008__leading_zeros", "SELECT 1;"),
            ("V2147483647__largest", ""),
            ("U7__unversioned", "SELECT 'ü';\r\n"),
            ("V3__a__b", "SELECT 1;\n-- x\n"),
            ("V4___underscore_first", "SELECT 2;"),
            ("V5__café", "SELECT 'é';"),
            ("V6__日本", "SELECT 3;"),
        ];
        for (stem, sql) in cases {
            std::fs::write(dir.path().join(format!("{stem}.sql")), sql).unwrap();
        }
        let files = load(dir.path()).unwrap().files;
        assert_eq!(files.len(), cases.len());
        for (stem, sql) in cases {
            let f = files
                .iter()
                .find(|f| f.path.file_stem().unwrap() == stem)
                .unwrap();
            let r = refinery::Migration::unapplied(stem, sql).unwrap();
            assert_eq!(f.checksum, r.checksum(), "{stem}");
            assert_eq!(
                (f.version, f.name.as_str()),
                (r.version(), r.name()),
                "{stem}"
            );
        }
    }
}
