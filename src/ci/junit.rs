//! JUnit XML as CI servers read it (Jenkins' junit-10.xsd, which GitLab,
//! CircleCI and others accept): a test suite per section, a test case per
//! check, file or finding; a failure for each case that counts against
//! the report.

use std::fmt::Write;

use super::Document;

/// Text as XML character data or an attribute value: markup escaped, and
/// the characters XML 1.0 cannot hold at all dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Seconds as the XSD's SUREFIRE_TIME writes them: never negative (an
/// empty sum of floats is -0.0), three decimals.
fn seconds(ms: f64) -> String {
    format!("{:.3}", (ms / 1000.0).max(0.0).abs())
}

pub fn render(d: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = d.sections.iter().map(|s| s.cases.len()).sum();
    let failures = d.cases().filter(|(_, c)| c.failed).count();
    let total: f64 = d
        .sections
        .iter()
        .map(|s| {
            s.time_ms
                .unwrap_or_else(|| s.cases.iter().filter_map(|c| c.time_ms).sum())
        })
        .sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{}\">",
        xml(&d.title),
        seconds(total)
    );
    for s in &d.sections {
        let failed = s.cases.iter().filter(|c| c.failed).count();
        let skipped = s.cases.iter().filter(|c| c.skipped).count();
        let time = s
            .time_ms
            .unwrap_or_else(|| s.cases.iter().filter_map(|c| c.time_ms).sum());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\" time=\"{}\">",
            xml(&format!("{}: {}", d.title, s.name)),
            s.cases.len(),
            seconds(time)
        );
        for c in &s.cases {
            let classname = match &c.at {
                Some(a) => format!("neonops.{}.{}", s.name, a.file),
                None => format!("neonops.{}", s.name),
            };
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
                xml(&c.name),
                xml(&classname),
                seconds(c.time_ms.unwrap_or(0.0))
            );
            let mut body = String::new();
            let mut text = c.message.clone();
            if let Some(a) = &c.at {
                text = format!("{}:{}:{}: {text}", a.file, a.line, a.column);
            }
            if let Some(x) = &c.detail {
                text.push_str(&format!("\n{x}"));
            }
            if c.failed {
                let _ = writeln!(
                    body,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    xml(&c.rule),
                    xml(&c.message),
                    xml(&text)
                );
            } else if c.skipped {
                let _ = writeln!(body, "      <skipped message=\"{}\"/>", xml(&c.message));
            } else if !c.message.is_empty() {
                let _ = writeln!(body, "      <system-out>{}</system-out>", xml(&text));
            }
            if body.is_empty() {
                out.push_str("/>\n");
            } else {
                let _ = write!(out, ">\n{body}    </testcase>\n");
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
