//! The README and docs/ show commands: each one shown must exist, with
//! every flag written next to it (checked against the CLI's own
//! definitions), and every link between the pages must lead somewhere.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// The commands a page shows: in shell and YAML blocks anywhere on a line,
/// in other blocks at the start of a line (after `$ ` or `+ `, as a
/// transcript shows them), and in inline code that starts with `neonops `.
fn shown(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if let Some(rest) = line.trim_start().strip_prefix("```") {
            block = match block {
                Some(_) => None,
                None => Some(rest.trim().to_string()),
            };
            continue;
        }
        match &block {
            Some(lang) if matches!(lang.as_str(), "sh" | "bash" | "yaml" | "console") => {
                // Not in a comment.
                let code = match line.find(" #") {
                    Some(i) if !line.trim_start().starts_with('#') => &line[..i],
                    Some(_) => "",
                    None if line.trim_start().starts_with('#') => "",
                    None => line,
                };
                let mut rest = code;
                while let Some(at) = rest.find("neonops ") {
                    let before = rest[..at].chars().last();
                    if before.is_none_or(|c| " ($`\"'".contains(c)) {
                        out.push((n, cut(&rest[at..])));
                    }
                    rest = &rest[at + 8..];
                }
            }
            Some(_) => {
                let t = line.trim_start();
                for prompt in ["$ neonops ", "+ neonops "] {
                    if let Some(r) = t.strip_prefix(prompt) {
                        out.push((n, cut(&format!("neonops {r}"))));
                    }
                }
            }
            None => {
                for (i, span) in line.split('`').enumerate() {
                    if i % 2 == 1 && span.starts_with("neonops ") {
                        out.push((n, span.replace("\\|", "|")));
                    }
                }
            }
        }
    }
    out
}

/// A command line up to a comment, a pipe, a `)` or the end of a command.
fn cut(s: &str) -> String {
    let mut end = s.len();
    for stop in [" #", " | ", ")", ";", " &&", "\""] {
        if let Some(i) = s.find(stop) {
            end = end.min(i);
        }
    }
    s[..end].trim().to_string()
}

/// Check one shown command against the CLI: its subcommands exist, and so
/// does every `--flag` written in it (the command's own or a global one).
fn check(line: &str) -> Result<(), String> {
    let mut root = neonops::cli::Cli::command();
    root.build();
    let words: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|w| w.trim_matches(|c| "[]'\"…,".contains(c)).to_string())
        .collect();
    let mut cmd = &root;
    let mut i = 0;
    // Global flags before the command, with their values.
    while i < words.len() && words[i].starts_with('-') {
        let takes_value = root
            .get_arguments()
            .find(|a| a.get_long().is_some_and(|l| words[i] == format!("--{l}")))
            .is_some_and(|a| a.get_action().takes_values());
        i += if takes_value && !words[i].contains('=') {
            2
        } else {
            1
        };
    }
    // The subcommands (`a|b|c`: each one must exist; the path goes on with the first).
    while i < words.len() && cmd.has_subcommands() {
        let alternatives: Vec<&str> = words[i].split('|').collect();
        let mut next = None;
        for a in &alternatives {
            match cmd.find_subcommand(a) {
                Some(c) => {
                    next.get_or_insert(c);
                }
                None if !a.starts_with('-') => {
                    return Err(format!("no command \"{a}\" under \"{}\"", cmd.get_name()));
                }
                None => {}
            }
        }
        match next {
            Some(c) => cmd = c,
            None => break,
        }
        i += 1;
    }
    if cmd.get_name() == root.get_name() && cmd.has_subcommands() {
        return Err("no command given".into());
    }
    for w in &words[i..] {
        for flag in w.split('|').filter(|f| f.starts_with("--")) {
            let name = flag.trim_start_matches('-');
            let name = name.split('=').next().unwrap_or(name);
            if name.is_empty() {
                continue;
            }
            let known = cmd.get_arguments().chain(root.get_arguments()).any(|a| {
                a.get_long() == Some(name)
                    || a.get_all_aliases().is_some_and(|al| al.contains(&name))
            }) || name == "help";
            if !known {
                return Err(format!("\"{}\" has no flag --{name}", cmd.get_name()));
            }
        }
    }
    Ok(())
}

#[test]
fn every_command_shown_in_the_readme_and_docs_exists() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (n, line) in shown(&text) {
            seen += 1;
            if let Err(e) = check(&line) {
                wrong.push(format!("{}:{n}: `{line}`: {e}", page.display()));
            }
        }
    }
    assert!(seen > 50, "only {seen} commands found: is the scan broken?");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_itself_finds_a_command_or_flag_that_does_not_exist() {
    assert!(check("neonops migrate --plan --dir x").is_ok());
    assert!(check("neonops fleet migrate|status --canary 2").is_ok());
    assert!(check("neonops --json --env prod migrate").is_ok());
    assert!(check("neonops migrate --no-such-flag").is_err());
    assert!(check("neonops migrat").is_err());
    assert!(check("neonops sandbox up|sideways").is_err());
    let text =
        "```sh\nneonops lint --bogus   # a comment --also\n```\nsee `neonops check --wait 2m`\n";
    let found = shown(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(check(&found[0].1).is_err());
    assert!(check(&found[1].1).is_ok());
}

#[test]
fn every_link_between_the_pages_leads_somewhere() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let dir = page.parent().unwrap();
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.starts_with("http") || target.starts_with('#') || target.contains(' ') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            if !dir.join(file).exists() {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_readme_is_a_front_door() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 340,
        "README.md has {lines} lines: the reference goes in docs/"
    );
    for page in pages().iter().skip(1) {
        let name = page.file_name().unwrap().to_string_lossy();
        if name != "README.md" {
            assert!(
                readme.contains(&format!("docs/{name}")),
                "README.md does not link docs/{name}"
            );
        }
    }
}
