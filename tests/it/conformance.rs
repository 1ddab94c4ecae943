//! libpq conformance by differential testing: neonops' parser and libpq's
//! own (`PQconninfoParse`, then the checks libpq makes when it connects) on
//! a corpus of real connection strings and on generated ones. Same
//! accept/reject, same user, password, dbname, host, port, hostaddr and
//! sslmode. The differences neonops makes on purpose are named here, each
//! with its reason, and listed in the README.

use std::collections::BTreeMap;

use neonops::endpoint::{DatabaseUrl, UrlError, parse::LexError};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};

use crate::libpq::{Fields, libpq};

const FIELDS: &[&str] = &[
    "user", "password", "dbname", "host", "port", "hostaddr", "sslmode",
];

/// Parameters of other tools that neonops reads (or ignores, saying why).
const FOREIGN: &[&str] = &[
    "pgbouncer",
    "connection_limit",
    "pool_timeout",
    "socket_timeout",
    "statement_cache_size",
    "schema",
    "ssl",
];

/// libpq keywords newer than a libpq version.
fn newer_than(version: i32) -> Vec<&'static str> {
    let mut k = Vec::new();
    if version < 160000 {
        k.extend([
            "sslcertmode",
            "load_balance_hosts",
            "require_auth",
            "gssdelegation",
        ]);
    }
    if version < 170000 {
        k.push("sslnegotiation");
    }
    k
}

/// Where neonops differs from libpq on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Deliberate {
    /// `postgresql+driver://` (SQLAlchemy) is read as `postgresql://`.
    DriverScheme,
    /// Prisma's and asyncpg's parameters are understood.
    ForeignParameter,
    /// Keywords of libpq 16 and 17 are known.
    NewerKeyword,
    /// Parameters neonops cannot honour are refused rather than ignored.
    Refused,
    /// An '@' in the host list is a password that should have been encoded.
    AtInHost,
    /// Values must be UTF-8 after percent-decoding.
    NotUtf8,
    /// An empty string is an unset variable, not "all defaults".
    Empty,
    /// sslrootcert=system follows libpq 16 (it needs verify-full).
    SystemRootcert,
}

#[derive(Debug)]
pub enum Verdict {
    Agree,
    Deliberate(Deliberate),
    Differ(String),
}

/// The fields neonops gives, by libpq keyword.
fn ours(url: &DatabaseUrl) -> Fields {
    FIELDS
        .iter()
        .filter_map(|k| url.keyword(k).map(|v| (k.to_string(), v)))
        .collect()
}

fn theirs(f: &Fields) -> Fields {
    FIELDS
        .iter()
        .filter_map(|k| f.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

/// The key libpq names in a parse error about an unknown parameter.
fn unknown_key(message: &str) -> Option<String> {
    for prefix in [
        "invalid URI query parameter: \"",
        "invalid connection option \"",
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return rest.split('"').next().map(str::to_string);
        }
    }
    None
}

fn why_stricter(e: &UrlError) -> Option<Deliberate> {
    match e {
        UrlError::Refused { .. } => Some(Deliberate::Refused),
        UrlError::Lex(LexError::ManyAt) => Some(Deliberate::AtInHost),
        UrlError::Lex(LexError::Utf8(_)) => Some(Deliberate::NotUtf8),
        UrlError::Lex(LexError::Empty) => Some(Deliberate::Empty),
        UrlError::Other(m) if m.contains("sslrootcert=system") => {
            (libpq().version < 160000).then_some(Deliberate::SystemRootcert)
        }
        _ => None,
    }
}

pub fn compare(s: &str) -> Verdict {
    let lib = libpq();
    // SQLAlchemy's scheme: compare what it means with what libpq reads.
    if let Some(rest) = s.strip_prefix("postgresql+")
        && let Some(i) = rest.find("://")
        && rest[..i].chars().all(|c| c.is_ascii_alphanumeric())
        && !rest[..i].is_empty()
    {
        return match compare(&format!("postgresql://{}", &rest[i + 3..])) {
            Verdict::Agree => Verdict::Deliberate(Deliberate::DriverScheme),
            other => other,
        };
    }
    let ours_parsed = DatabaseUrl::parse(s);
    match (lib.parse(s), ours_parsed) {
        (Err(_), Err(_)) => Verdict::Agree,
        (Err(e), Ok(_)) => match unknown_key(&e) {
            Some(k) if FOREIGN.contains(&k.as_str()) => {
                Verdict::Deliberate(Deliberate::ForeignParameter)
            }
            Some(k) if newer_than(lib.version).contains(&k.as_str()) => {
                Verdict::Deliberate(Deliberate::NewerKeyword)
            }
            _ => Verdict::Differ(format!("libpq rejects ({e}); neonops accepts")),
        },
        (Ok(f), Err(e)) => match lib.validate(&f) {
            Err(_) => Verdict::Agree,
            Ok(()) => match why_stricter(&e) {
                Some(d) => Verdict::Deliberate(d),
                None => Verdict::Differ(format!(
                    "libpq accepts {:?}; neonops rejects: {e}",
                    theirs(&f)
                )),
            },
        },
        (Ok(f), Ok(url)) => {
            if let Err(e) = lib.validate(&f) {
                return Verdict::Differ(format!(
                    "libpq rejects when connecting ({e}); neonops accepts"
                ));
            }
            let (a, b) = (theirs(&f), ours(&url));
            if a == b {
                Verdict::Agree
            } else {
                Verdict::Differ(format!("libpq {a:?}; neonops {b:?}"))
            }
        }
    }
}

/// Counts of a comparison run.
#[derive(Debug, Default)]
pub struct Tally {
    pub compared: usize,
    pub agree: usize,
    pub deliberate: BTreeMap<Deliberate, usize>,
    pub differ: Vec<(String, String)>,
}

impl Tally {
    pub fn add(&mut self, s: &str) {
        self.compared += 1;
        match compare(s) {
            Verdict::Agree => self.agree += 1,
            Verdict::Deliberate(d) => *self.deliberate.entry(d).or_default() += 1,
            Verdict::Differ(why) => self.differ.push((s.to_string(), why)),
        }
    }

    #[track_caller]
    pub fn assert_none_differ(&self, what: &str) {
        let deliberate: BTreeMap<String, usize> = self
            .deliberate
            .iter()
            .map(|(d, n)| (format!("{d:?}"), *n))
            .collect();
        crate::harness::campaign_report(
            &format!("libpq conformance: {what}"),
            serde_json::json!({
                "libpq": libpq().version,
                "compared": self.compared,
                "agree": self.agree,
                "deliberate": deliberate,
                "differ": self.differ.len(),
            }),
        );
        if !self.differ.is_empty() {
            let shown: Vec<String> = self
                .differ
                .iter()
                .take(25)
                .map(|(s, why)| format!("  {s:?}\n      {why}"))
                .collect();
            panic!(
                "{what}: {} of {} cases differ from libpq:\n{}",
                self.differ.len(),
                self.compared,
                shown.join("\n")
            );
        }
    }
}

pub fn corpus() -> Vec<String> {
    include_str!("../data/connection-strings.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn real_connection_strings_parse_as_libpq_parses_them() {
    let mut t = Tally::default();
    for s in corpus() {
        t.add(&s);
    }
    assert!(t.compared >= 90, "{} strings", t.compared);
    t.assert_none_differ("the corpus of real connection strings");
}

// ---- generated strings ----------------------------------------------------

fn pick(options: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(options)
        .prop_map(str::to_string)
        .boxed()
}

fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z0-9_.-]{1,8}",
        2 => pick(&["%40", "%3A", "%2F", "%2C", "%25", "%3D", "%26", "%3F", "%20", "%zz", "%0", "%00", "%C3%A9", "%FF", "é", "[", "]", "#", "+", "~", "\\\\", "'", " "]),
        1 => pick(&["@", ":", "?", "/", ",", "&", "="]),
    ]
    .boxed()
}

fn text() -> BoxedStrategy<String> {
    proptest::collection::vec(piece(), 0..4)
        .prop_map(|v| v.concat())
        .boxed()
}

fn host() -> BoxedStrategy<String> {
    let name = prop_oneof![
        4 => "[a-z][a-z0-9-]{0,8}(\\.[a-z]{2,5}){0,2}",
        2 => pick(&["localhost", "127.0.0.1", "10.1.2.3", "ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech", "db.internal"]),
        2 => pick(&["[::1]", "[2001:db8::1234]", "[fe80::1%25eth0]", "[]", "[::1", "::1"]),
        1 => pick(&["", "%2Fvar%2Frun%2Fpostgresql", "h%2Cx", "a@b", "%zz"]),
    ];
    let port = prop_oneof![
        4 => Just(String::new()),
        3 => pick(&[":5432", ":6543", ":1", ":65535"]),
        2 => pick(&[":", ":0", ":65536", ":99999", ": 5", ":+5", ":-5", ":abc", ":5432:1", ":%35"]),
    ];
    (name, port).prop_map(|(h, p)| format!("{h}{p}")).boxed()
}

const KEYS: &[&str] = &[
    "sslmode",
    "host",
    "port",
    "user",
    "password",
    "dbname",
    "hostaddr",
    "connect_timeout",
    "application_name",
    "options",
    "sslrootcert",
    "target_session_attrs",
    "keepalives",
    "keepalives_idle",
    "keepalives_count",
    "tcp_user_timeout",
    "sslsni",
    "channel_binding",
    "gssencmode",
    "ssl",
    "requiressl",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "pgbouncer",
    "schema",
    "connection_limit",
    "bogus",
    "load_balance_hosts",
    "service",
    "sslpassword",
    "replication",
    "sslcertmode",
    "client_encoding",
    "passfile",
    "fallback_application_name",
    "sslcompression",
    "krbsrvname",
];

const VALUES: &[&str] = &[
    "require",
    "disable",
    "prefer",
    "allow",
    "verify-ca",
    "verify-full",
    "",
    "1",
    "0",
    "-1",
    "2",
    " 5",
    "5 ",
    "+7",
    "10x",
    "99999",
    "127.0.0.1",
    "::1",
    "127.1",
    "10.0.0.1,10.0.0.2",
    "a,b",
    "a,,b",
    "5432,5433",
    ",5433",
    "system",
    "read-write",
    "primary",
    "any",
    "bogus",
    "true",
    "false",
    "yes",
    "TLSv1.2",
    "tlsv1.3",
    "TLSv9",
    "random",
    "UTF8",
    "/tmp",
    "x y",
    "-c search_path=app",
    "neondb",
    "me",
];

fn value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pick(VALUES),
        1 => text(),
    ]
    .boxed()
}

fn encode_query(v: &str) -> String {
    v.replace('%', "%25")
        .replace('&', "%26")
        .replace('=', "%3D")
        .replace(' ', "%20")
        .replace('#', "%23")
}

pub fn uri_strategy() -> BoxedStrategy<String> {
    let scheme = prop_oneof![
        8 => pick(&["postgresql://", "postgres://"]),
        1 => pick(&["postgresql+asyncpg://", "POSTGRES://", "Postgresql://", "postgres:/", "pg://"]),
    ];
    let userinfo = prop_oneof![
        2 => Just(String::new()),
        3 => (text(), proptest::option::of(text()))
            .prop_map(|(u, p)| match p { Some(p) => format!("{u}:{p}@"), None => format!("{u}@") }),
    ];
    let hosts = proptest::collection::vec(host(), 1..4).prop_map(|h| h.join(","));
    let path = prop_oneof![
        2 => Just(String::new()),
        1 => Just("/".to_string()),
        4 => text().prop_map(|t| format!("/{t}")),
    ];
    let param = prop_oneof![
        6 => (pick(KEYS), value(), any::<bool>())
            .prop_map(|(k, v, raw)| format!("{k}={}", if raw { v } else { encode_query(&v) })),
        1 => pick(&["", "sslmode", "=x", "a=b=c", "ho%73t=h", "ssl=true", "requiressl=1"]),
    ];
    let query = prop_oneof![
        2 => Just(String::new()),
        3 => proptest::collection::vec(param, 1..4).prop_map(|p| format!("?{}", p.join("&"))),
    ];
    (scheme, userinfo, hosts, path, query)
        .prop_map(|(s, u, h, p, q)| format!("{s}{u}{h}{p}{q}"))
        .boxed()
}

fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

pub fn keyword_value_strategy() -> BoxedStrategy<String> {
    let pair = (
        prop_oneof![6 => pick(KEYS), 1 => pick(&["", "host ", "=", "ho'st"])],
        pick(&["=", " = ", "= ", " =", "=\t", "=\u{b}"]),
        value(),
        0..5u8,
    )
        .prop_map(|(k, eq, v, style)| match style {
            0 => format!("{k}{eq}{}", quote(&v)),
            1 => format!("{k}{eq}{}", v.replace(' ', "\\ ")),
            2 => format!("{k}{eq}'{v}"),
            3 => format!("{k}{eq}{v}\\"),
            _ => format!("{k}{eq}{v}"),
        });
    (
        proptest::collection::vec(pair, 1..5),
        pick(&[" ", "  ", "\t", "\n", " \u{b}", ""]),
    )
        .prop_map(|(p, sep)| p.join(if sep.is_empty() { " " } else { &sep }))
        .boxed()
}

pub fn noise_strategy() -> BoxedStrategy<String> {
    let alphabet: &'static [&'static str] = &[
        ":",
        "/",
        "@",
        "?",
        "&",
        "=",
        ",",
        "[",
        "]",
        "%",
        "%4",
        "'",
        "\\",
        " ",
        "a",
        "h",
        "1",
        ".",
        "postgres://",
        "postgresql://",
        "host=",
        "port=",
        "%00",
        "%40",
        "\t",
    ];
    proptest::collection::vec(proptest::sample::select(alphabet), 0..24)
        .prop_map(|v| v.concat())
        .boxed()
}

/// How many generated strings of each kind: a few thousand by default (CI),
/// more with NEONOPS_CONFORMANCE_CASES (the reliability campaign).
pub fn generated_cases() -> usize {
    std::env::var("NEONOPS_CONFORMANCE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

/// Draw `n` distinct strings from a strategy with a fixed seed (the same
/// cases every run: a failure is reproducible, never chance).
pub fn draw(strategy: &BoxedStrategy<String>, n: usize, seed: u8) -> Vec<String> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n * 4 {
        let s = strategy.new_tree(&mut runner).expect("a value").current();
        if seen.insert(s.clone()) {
            out.push(s);
            if out.len() == n {
                break;
            }
        }
    }
    out
}

#[test]
fn generated_uris_parse_as_libpq_parses_them() {
    let mut t = Tally::default();
    for s in draw(&uri_strategy(), generated_cases(), 1) {
        t.add(&s);
    }
    t.assert_none_differ("generated URIs");
}

#[test]
fn generated_keyword_value_strings_parse_as_libpq_parses_them() {
    let mut t = Tally::default();
    for s in draw(&keyword_value_strategy(), generated_cases(), 2) {
        t.add(&s);
    }
    t.assert_none_differ("generated key=value strings");
}

#[test]
fn random_noise_is_accepted_or_rejected_as_libpq_does() {
    let mut t = Tally::default();
    for s in draw(&noise_strategy(), generated_cases(), 3) {
        t.add(&s);
    }
    t.assert_none_differ("random noise");
}
