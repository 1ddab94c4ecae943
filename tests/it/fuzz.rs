//! Bad input never panics: the URL parser (and everything built on a parsed
//! URL), the neonops.toml loader and the migration-file loader, on generated
//! input (proptest strategies, fixed seeds) after a kept corpus of inputs
//! worth replaying (tests/data/fuzz). Executions and time are reported; the
//! whole campaign runs more of them (NEONOPS_CAMPAIGN=full).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use neonops::config::Config;
use neonops::endpoint::{ConnectSpec, DatabaseUrl, PgEnv};
use neonops::migrate::files;
use neonops::sql;
use proptest::prelude::*;
use serde_json::json;

use crate::conformance::draw;
use crate::harness::{campaign_report, scale};

/// Run `f` on each input; the inputs that panicked.
fn survive<T: std::fmt::Debug>(inputs: &[T], f: impl Fn(&T)) -> Vec<String> {
    let mut panicked = Vec::new();
    for i in inputs {
        if catch_unwind(AssertUnwindSafe(|| f(i))).is_err() {
            panicked.push(format!("{i:?}"));
        }
    }
    panicked
}

fn corpus(name: &str) -> Vec<String> {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fuzz")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("tests/data/fuzz/{name}: {e}"))
    .split("\n----\n")
    .map(str::to_string)
    .collect()
}

/// Everything neonops does with a connection string, short of connecting.
fn exercise_url(s: &str) {
    if let Ok(u) = DatabaseUrl::parse(s) {
        let _ = u.redacted();
        let _ = u.hosts();
        let _ = u.kind(&[]);
        let _ = u.to_direct(&[]);
        let _ = u.to_pooled(&[]);
        for k in ["host", "port", "user", "password", "dbname", "sslmode"] {
            let _ = u.keyword(k);
        }
        if let Ok(spec) = ConnectSpec::resolve(&u, &PgEnv::empty()) {
            let _ = spec.warnings();
        }
    }
}

#[test]
fn the_url_parser_never_panics() {
    let n = scale(5_000, 250_000);
    let started = Instant::now();
    let mut inputs = corpus("urls.txt");
    let any = any::<String>().boxed();
    inputs.extend(draw(&any, n, 21));
    inputs.extend(draw(&crate::conformance::noise_strategy(), n, 22));
    inputs.extend(draw(&crate::conformance::uri_strategy(), n, 23));
    inputs.extend(draw(&crate::conformance::keyword_value_strategy(), n, 24));
    let panicked = survive(&inputs, |s| exercise_url(s));
    campaign_report(
        "fuzz: URL parser",
        json!({ "executions": inputs.len(), "panics": panicked.len(), "seconds": started.elapsed().as_secs_f64() }),
    );
    assert!(panicked.is_empty(), "{panicked:?}");
}

fn config_text() -> BoxedStrategy<String> {
    let example = include_str!("../../neonops.toml").to_string();
    let keys = proptest::sample::select(vec![
        "[migrations]",
        "[timeouts]",
        "[doctor]",
        "[environments.x]",
        "[[pooler]]",
        "[[pool]]",
        "dir",
        "table",
        "lock_timeout",
        "connect",
        "connect_budget",
        "database_url",
        "database_url_var",
        "protected",
        "name",
        "host",
        "port",
        "direct_host",
        "mode",
        "endpoint",
        "kind",
        "pool_size",
        "peak_rps",
        "avg_query_ms",
        "default_env",
        "idle_in_transaction",
        "instances",
        "max_overflow",
    ]);
    let values = proptest::sample::select(vec![
        "\"x\"",
        "\"10s\"",
        "\"-1s\"",
        "\"soon\"",
        "10",
        "-1",
        "1e999",
        "true",
        "[]",
        "{}",
        "\"postgres://u:p@h/d\"",
        "\"postgres://h/d?bogus=1\"",
        "\"a.b.c\"",
        "\"pooled\"",
        "\"serverless\"",
        "\"transaction\"",
        "\"\u{0}\"",
        "\"é\"",
        "9999999999999999999",
        "\"18446744073709551615s\"",
    ]);
    let line = (keys, values, 0..3u8).prop_map(|(k, v, style)| match style {
        0 => k.to_string(),
        1 => format!("{k} = {v}"),
        _ => format!("{k}={v}\n{k} = {v}"),
    });
    prop_oneof![
        3 => proptest::collection::vec(line, 0..12).prop_map(|l| l.join("\n")),
        // The example file, cut or with a byte changed.
        2 => (0..example.len(), any::<u8>()).prop_map(move |(i, b)| {
            let mut bytes = example.clone().into_bytes();
            bytes[i] = b;
            String::from_utf8_lossy(&bytes).into_owned()
        }),
        1 => any::<String>(),
    ]
    .boxed()
}

#[test]
fn the_config_loader_never_panics() {
    let n = scale(3_000, 100_000);
    let started = Instant::now();
    let mut inputs = corpus("configs.txt");
    inputs.extend(draw(&config_text(), n, 31));
    let panicked = survive(&inputs, |t| {
        let _ = Config::parse(t, Path::new("neonops.toml")).map(|c| toml::to_string(&c));
    });
    campaign_report(
        "fuzz: neonops.toml loader",
        json!({ "executions": inputs.len(), "panics": panicked.len(), "seconds": started.elapsed().as_secs_f64() }),
    );
    assert!(panicked.is_empty(), "{panicked:?}");
}

fn file_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => ("[VUvu]?", "[0-9]{0,12}", "_{0,3}", "[a-zA-Z0-9_é -]{0,10}", "(\\.sql|\\.SQL|\\.txt|)")
            .prop_map(|(p, v, u, n, e)| format!("{p}{v}{u}{n}{e}")),
        1 => "[^/\u{0}]{1,20}",
    ]
    .boxed()
}

fn sql_text() -> BoxedStrategy<String> {
    let piece = proptest::sample::select(vec![
        "SELECT 1;",
        "'",
        "''",
        "\"",
        "$$",
        "$x$",
        "$1",
        "--",
        "\n",
        "/*",
        "*/",
        "BEGIN;",
        "COMMIT;",
        "-- neonops:no-transaction\n",
        "CREATE INDEX CONCURRENTLY i ON t (a);",
        ";",
        "E'\\''",
        "(",
        ")",
        "CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2);",
        "é",
    ]);
    prop_oneof![
        3 => proptest::collection::vec(piece, 0..16).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
    .boxed()
}

#[test]
fn the_migration_loader_never_panics() {
    let n = scale(1_000, 20_000);
    let started = Instant::now();
    let names = draw(&file_name(), n, 41);
    let bodies = draw(&sql_text(), n, 42);
    let mut executions = 0;
    let mut panicked = Vec::new();
    // Directories of a few generated files each, some not UTF-8.
    for (i, chunk) in names.chunks(4).enumerate() {
        let dir = tempfile::tempdir().unwrap();
        for (j, name) in chunk.iter().enumerate() {
            let body = &bodies[(i * 4 + j) % bodies.len()];
            let bytes: Vec<u8> = if j == 3 {
                body.bytes().chain([0xff, 0xfe]).collect()
            } else {
                body.clone().into_bytes()
            };
            let _ = std::fs::write(dir.path().join(name), bytes);
        }
        executions += 1;
        if catch_unwind(|| files::load(dir.path())).is_err() {
            panicked.push(format!("{chunk:?}"));
        }
    }
    for b in &bodies {
        executions += 1;
        if catch_unwind(|| sql::parse(b)).is_err() {
            panicked.push(format!("split {b:?}"));
        }
    }
    for b in corpus("sql.txt") {
        executions += 1;
        if catch_unwind(|| sql::parse(&b)).is_err() {
            panicked.push(format!("split {b:?}"));
        }
    }
    campaign_report(
        "fuzz: migration-file loader",
        json!({ "executions": executions, "panics": panicked.len(), "seconds": started.elapsed().as_secs_f64() }),
    );
    assert!(panicked.is_empty(), "{panicked:?}");
}
