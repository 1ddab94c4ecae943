//! GitHub-flavoured Markdown: a PR comment or the step summary.

use std::fmt::Write;

use super::{Document, Grid};

/// Text that shows as written in a table cell: `|` escaped, new lines as
/// `<br>`, and HTML's `<` `>` `&` as entities (outside code spans, which
/// show them literally).
pub fn cell(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let part = if i % 2 == 1 {
            part.to_string()
        } else {
            part.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        out.push_str(&part.replace('|', "\\|").replace('\n', "<br>"));
    }
    out
}

/// A cell's code span that stays one: its text on one line, at most `max`
/// characters, fenced with more backticks than it holds.
pub fn code(text: &str, max: usize) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let one = if one.chars().count() > max {
        format!("{}…", one.chars().take(max).collect::<String>())
    } else {
        one
    };
    let fence = if one.contains('`') { "``" } else { "`" };
    format!("{fence} {} {fence}", one.replace('|', "\\|"))
}

fn grid(out: &mut String, g: &Grid) {
    let _ = writeln!(out, "| {} |", g.header.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        g.header.iter().map(|_| " --- |").collect::<String>()
    );
    for row in &g.rows {
        let cells: Vec<String> = row
            .iter()
            .map(
                |c| match c.strip_prefix('`').and_then(|c| c.strip_suffix('`')) {
                    Some(inner) => code(inner, 120),
                    None => cell(c),
                },
            )
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

pub fn render(d: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {} {}\n",
        if d.ok { "✅" } else { "❌" },
        cell(&d.title)
    );
    for s in &d.sections {
        if d.sections.len() > 1 || s.name != d.title.trim_start_matches("neonops ") {
            let _ = writeln!(
                out,
                "### {} {}\n",
                if s.ok { "✅" } else { "❌" },
                cell(&s.name)
            );
        }
        for l in &s.lines {
            let _ = writeln!(out, "{l}\n");
        }
        if let Some(g) = &s.grid {
            grid(&mut out, g);
            out.push('\n');
        }
        if let Some((lang, text)) = &s.code {
            let fence = if text.contains("```") { "````" } else { "```" };
            let _ = writeln!(
                out,
                "<details><summary>SQL</summary>\n\n{fence}{lang}\n{}\n{fence}\n\n</details>\n",
                text.trim_end()
            );
        }
    }
    out
}
