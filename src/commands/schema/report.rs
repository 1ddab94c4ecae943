//! What `diff` and `drift` report: one JSON document (documented in
//! docs/schema.md), or text.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::output::table;
use crate::schema::compare::{Change, Difference, Planned};
use crate::schema::{Kind, Schema};

/// How many objects of each kind each side has.
#[derive(Serialize)]
pub struct Counts {
    pub from: BTreeMap<&'static str, usize>,
    pub to: BTreeMap<&'static str, usize>,
}

impl Counts {
    pub fn of(from: &Schema, to: &Schema) -> Counts {
        let labels = |s: &Schema| {
            s.counts()
                .into_iter()
                .map(|(k, n)| (k.label(), n))
                .collect()
        };
        Counts {
            from: labels(from),
            to: labels(to),
        }
    }
}

/// A kind neonops does not model, present on either side, with how many.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct NotCompared {
    pub kind: String,
    pub from: u64,
    pub to: u64,
}

pub fn not_compared(from: &Schema, to: &Schema) -> Vec<NotCompared> {
    let mut kinds: Vec<&String> = from
        .not_compared
        .keys()
        .chain(to.not_compared.keys())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| NotCompared {
            kind: k.clone(),
            from: from.not_compared.get(k).copied().unwrap_or(0),
            to: to.not_compared.get(k).copied().unwrap_or(0),
        })
        .collect()
}

fn not_compared_line(n: &[NotCompared]) -> Option<String> {
    (!n.is_empty()).then(|| {
        format!(
            "-- not compared (neonops does not model them): {}",
            n.iter()
                .map(|x| format!("{} ({} → {})", x.kind, x.from, x.to))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// `diff --json`.
#[derive(Serialize)]
pub struct DiffReport<'a> {
    pub ok: bool,
    pub from: String,
    pub to: String,
    pub equal: bool,
    pub differences: &'a [Difference],
    /// The plan, statement by statement, in the order it runs.
    pub statements: &'a [Planned],
    pub objects: Counts,
    pub not_compared: Vec<NotCompared>,
    /// The migration files written (--write).
    pub written: &'a [String],
    /// What the plan was made without (an enrichment that could not run).
    pub notes: Vec<String>,
}

/// The script, with a header of comments.
pub fn diff_text(r: &DiffReport, script: &str) -> String {
    let mut out = format!("-- neonops diff\n-- from: {}\n-- to:   {}\n", r.from, r.to);
    for n in &r.notes {
        out.push_str(&format!("-- note: {n}\n"));
    }
    if let Some(l) = not_compared_line(&r.not_compared) {
        out.push_str(&l);
        out.push('\n');
    }
    if r.equal {
        let n: usize = r.objects.to.values().sum();
        out.push_str(&format!(
            "-- no differences: the two schemas are equal ({n} objects compared)\n"
        ));
    } else {
        let hazards: usize = r.differences.iter().map(|d| d.hazards.len()).sum();
        out.push_str(&format!(
            "-- {} difference(s), {} statement(s), {hazards} hazard(s)\n",
            r.differences.len(),
            r.statements.len()
        ));
        out.push_str(script);
    }
    for w in r.written {
        out.push_str(&format!("-- written: {w}\n"));
    }
    out.trim_end().to_string()
}

/// A drift: what the live schema has that the migrations do not build,
/// what it lacks, what differs.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Drift {
    ExtraInLive,
    MissingFromLive,
    Changed,
}

impl Drift {
    fn text(self) -> &'static str {
        match self {
            Drift::ExtraInLive => "extra in live",
            Drift::MissingFromLive => "missing from live",
            Drift::Changed => "changed",
        }
    }
}

#[derive(Serialize)]
pub struct Drifted<'a> {
    pub kind: Kind,
    pub name: &'a str,
    pub change: Drift,
    /// The SQL that would capture it as a migration.
    pub sql: &'a str,
    pub hazards: &'a [String],
    /// As the migrations build it, and as it is live.
    pub expected: Option<&'a str>,
    pub live: Option<&'a str>,
}

impl<'a> From<&'a Difference> for Drifted<'a> {
    fn from(d: &'a Difference) -> Drifted<'a> {
        Drifted {
            kind: d.kind,
            name: &d.name,
            change: match d.change {
                Change::Added => Drift::ExtraInLive,
                Change::Removed => Drift::MissingFromLive,
                Change::Changed => Drift::Changed,
            },
            sql: &d.sql,
            hazards: &d.hazards,
            expected: d.from.as_deref(),
            live: d.to.as_deref(),
        }
    }
}

/// `drift --json`.
#[derive(Serialize)]
pub struct DriftReport<'a> {
    /// No drift.
    pub ok: bool,
    pub database: String,
    /// How many applied migrations were replayed.
    pub applied: usize,
    pub differences: Vec<Drifted<'a>>,
    /// Kinds neonops does not model (`from`: the migrations, `to`: live).
    pub not_compared: Vec<NotCompared>,
    /// Those whose counts differ: drift neonops can see but not describe.
    pub unmodelled: Vec<String>,
    /// The live schema's objects, by kind.
    pub objects: BTreeMap<&'static str, usize>,
}

/// Kinds not modelled whose counts differ.
pub fn unmodelled_drift(expected: &Schema, live: &Schema) -> Vec<String> {
    not_compared(expected, live)
        .into_iter()
        .filter(|n| n.from != n.to)
        .map(|n| {
            format!(
                "{}: {} live, {} from the migrations (not modelled by neonops: compare them by hand)",
                n.kind, n.to, n.from
            )
        })
        .collect()
}

pub fn drift_text(r: &DriftReport, script: &str) -> String {
    let compared: usize = r.objects.values().sum();
    if r.ok {
        let mut out = format!(
            "no drift: {} is what its {} applied migration(s) build ({compared} objects compared)",
            r.database, r.applied
        );
        if let Some(l) = not_compared_line(&r.not_compared) {
            out.push('\n');
            out.push_str(l.trim_start_matches("-- "));
        }
        return out;
    }
    let mut t = table(&["kind", "object", "drift"]);
    for d in &r.differences {
        t.add_row(vec![d.kind.label(), d.name, d.change.text()]);
    }
    let mut out = format!(
        "drift: {} differs from what its {} applied migration(s) build ({} difference(s))\n{t}\n",
        r.database,
        r.applied,
        r.differences.len() + r.unmodelled.len()
    );
    for u in &r.unmodelled {
        out.push_str(&format!("not compared: {u}\n"));
    }
    if !script.is_empty() {
        out.push_str("\n-- The SQL that captures the live schema as a migration:\n");
        out.push_str(script);
    }
    out.trim_end().to_string()
}
