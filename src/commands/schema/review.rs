//! Every statement of a plan goes through `neonops lint`, with the facts
//! (table sizes, types, validated checks) of the database the plan starts
//! from when it is a live one: what the lint still finds risky is added to
//! the hazards of the difference the statement belongs to.

use tokio_postgres::Client;

use crate::lint::{self, Context, LintFile, Severity};
use crate::schema::Kind;
use crate::schema::compare::{Difference, Phase, plan};
use crate::settings::Settings;

/// The plan as lint files: what runs before the transaction, the
/// transaction, what runs after it; each statement's first line.
struct Files {
    texts: Vec<(String, bool)>,
    starts: Vec<Vec<(usize, Kind, String)>>,
}

fn files(diffs: &[Difference]) -> Files {
    let mut texts = vec![
        (String::new(), true),
        (String::new(), false),
        (String::new(), true),
    ];
    let mut starts = vec![Vec::new(), Vec::new(), Vec::new()];
    for p in plan(diffs) {
        let at = match p.phase {
            Phase::Before => 0,
            Phase::After => 2,
            _ => 1,
        };
        let line = texts[at].0.lines().count() + 1;
        starts[at].push((line, p.kind, p.name.clone()));
        texts[at].0.push_str(&p.sql);
        texts[at].0.push('\n');
    }
    Files { texts, starts }
}

const NAMES: [&str; 3] = ["plan (before)", "plan", "plan (after)"];

/// Add the lint's findings (warnings and errors) to the differences'
/// hazards. `client`: the database the plan starts from, when live. The
/// review is an enrichment: when the database's facts cannot be read (a
/// role that may not read them, a query that fails), the plan is reviewed
/// without them, and a note says so; the diff never fails for it.
pub async fn review(
    settings: &Settings,
    client: Option<&Client>,
    diffs: &mut [Difference],
) -> Vec<String> {
    let mut notes = Vec::new();
    let f = files(diffs);
    let lint_files: Vec<LintFile> = f
        .texts
        .iter()
        .zip(NAMES)
        .map(|((sql, no_tx), name)| LintFile {
            name: name.to_string(),
            sql,
            no_transaction: *no_tx,
        })
        .collect();
    let offline = || lint::analyze(&lint_files, &mut Context::offline(15), &settings.lint());
    let analysis = match client {
        Some(c) => match lint::analyze_with_database(c, &lint_files, &settings.lint()).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("the plan's review could not read the database: {e:#}");
                let e = anyhow::Error::from(e);
                let code =
                    crate::connect::sqlstate::suffix(crate::classify::sqlstate(&e).as_deref());
                notes.push(format!(
                    "the lint reviewed the plan without the database's table sizes and types: \
                     reading them failed ({}{code}); hazards that depend on a table's size are not shown",
                    crate::exit::message(&e)
                ));
                offline()
            }
        },
        None => offline(),
    };
    for finding in analysis
        .findings
        .iter()
        .filter(|x| x.severity >= Severity::Warning && x.allowed.is_none())
    {
        let Some(at) = NAMES.iter().position(|n| *n == finding.file) else {
            continue;
        };
        let Some((_, kind, name)) = f.starts[at]
            .iter()
            .rev()
            .find(|(l, _, _)| *l <= finding.line)
        else {
            continue;
        };
        let hazard = format!("lint {}: {}", finding.rule.id(), finding.message);
        if let Some(d) = diffs
            .iter_mut()
            .find(|d| d.kind == *kind && d.name == *name)
            && !d.hazards.contains(&hazard)
        {
            d.hazards.push(hazard);
        }
    }
    notes
}
