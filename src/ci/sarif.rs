//! SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run, the
//! rules with their help, a result for each case that has a level, at its
//! file, line and column when it has one.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Document, Level};

/// What a URI reference's path may not hold as it is (RFC 3986).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A file's path as a URI reference: relative to the repository
/// (`%SRCROOT%`) when it is relative, `file://` when it is absolute.
fn uri(file: &str) -> (String, Option<&'static str>) {
    let path = file.strip_prefix("./").unwrap_or(file);
    let encoded = utf8_percent_encode(path, PATH).to_string();
    if path.starts_with('/') {
        (format!("file://{encoded}"), None)
    } else {
        (encoded, Some("%SRCROOT%"))
    }
}

pub fn render(d: &Document) -> String {
    let rules: Vec<Value> = d
        .rules
        .iter()
        .map(|r| {
            let level = d
                .cases()
                .filter(|(_, c)| c.rule == r.id)
                .map(|(_, c)| c.level)
                .max()
                .unwrap_or(Level::Warning);
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": if r.help.starts_with(&r.short) { r.help.clone() } else { format!("{}. {}", r.short, r.help) } },
                "help": { "text": r.help, "markdown": r.help },
                "defaultConfiguration": { "level": if level == Level::None { "note" } else { level.as_str() } },
            })
        })
        .collect();
    let results: Vec<Value> = d
        .cases()
        .filter(|(_, c)| c.level != Level::None)
        .map(|(s, c)| {
            let mut text = c.message.clone();
            if let Some(x) = &c.detail {
                text.push_str(&format!("\n{x}"));
            }
            let mut r = json!({
                "ruleId": c.rule,
                "level": c.level.as_str(),
                "message": { "text": text },
                "properties": { "section": s.name, "failed": c.failed },
            });
            if let Some(i) = d.rules.iter().position(|x| x.id == c.rule) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(a) = &c.at {
                let (u, base) = uri(&a.file);
                let mut artifact = json!({ "uri": u });
                if let Some(b) = base {
                    artifact["uriBaseId"] = json!(b);
                }
                r["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": { "startLine": a.line, "startColumn": a.column },
                    }
                }]);
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "neonops",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": { "id": format!("{}/", d.title.replace(' ', "/")) },
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("serialisable")
}
