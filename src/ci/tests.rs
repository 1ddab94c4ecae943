use super::markdown::{cell, code};
use super::*;

fn doc() -> Document {
    let mut d = Document {
        title: "neonops lint".into(),
        ok: false,
        sections: vec![Section::new("lint")],
        rules: Vec::new(),
    };
    d.rule("r-1", "a rule", "its help");
    let mut c = Case::passed("a <b> & \"c\"", "r-1");
    c.level = Level::Error;
    c.failed = true;
    c.message = "bad\u{1}thing ]]> here".into();
    c.at = Some(At {
        file: "migrations/V1__a b.sql".into(),
        line: 3,
        column: 2,
    });
    d.sections[0].cases.push(c);
    d.sections[0].cases.push(Case::passed("fine", "file"));
    d
}

#[test]
fn markdown_cells_escape_pipes_new_lines_and_html_outside_code() {
    assert_eq!(cell("a|b\nc <x> `<y>|`"), "a\\|b<br>c &lt;x&gt; `<y>\\|`");
    assert_eq!(code("select `a`\n  from t", 100), "`` select `a` from t ``");
    assert_eq!(code("abcdef", 3), "` abc… `");
}

#[test]
fn junit_escapes_markup_and_drops_what_xml_cannot_hold() {
    let x = doc().render(Format::Junit);
    assert!(
        x.contains("name=\"a &lt;b&gt; &amp; &quot;c&quot;\""),
        "{x}"
    );
    assert!(x.contains("badthing ]]&gt; here"), "{x}");
    assert!(!x.contains('\u{1}'));
    assert!(x.contains("tests=\"2\" failures=\"1\""), "{x}");
}

#[test]
fn sarif_results_have_rule_index_and_encoded_relative_uris() {
    let v: serde_json::Value = serde_json::from_str(&doc().render(Format::Sarif)).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    // The passing case has no level: no result.
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleIndex"], 0);
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "migrations/V1__a%20b.sql");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 3);
}
