//! `neonops url`: every dialect and host shape, conversions that change only
//! the host label, explanations, and malformed input.

use crate::harness::Neonops;
use crate::json::{Converted, Explanation};

/// (pooled, direct): converting either way gives the other, byte for byte.
const PAIRS: &[(&str, &str)] = &[
    (
        "postgresql://alex:AbC%40d%3Ae%2Ff%25g@ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require",
        "postgresql://alex:AbC%40d%3Ae%2Ff%25g@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require",
    ),
    (
        "postgres://u:p@ep-calm-snow-aev1ojm4-pooler.c-2.us-east-2.aws.neon.tech:5432/db",
        "postgres://u:p@ep-calm-snow-aev1ojm4.c-2.us-east-2.aws.neon.tech:5432/db",
    ),
    (
        "postgresql://u:p@ep-x-a1b2c3d4-pooler.eastus2.azure.neon.tech/db?sslmode=verify-full&sslrootcert=system",
        "postgresql://u:p@ep-x-a1b2c3d4.eastus2.azure.neon.tech/db?sslmode=verify-full&sslrootcert=system",
    ),
    (
        "postgres://u:p@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/db",
        "postgres://u:p@ep-cool-darkness-123456.us-east-2.aws.neon.tech/db",
    ),
    (
        "postgresql+asyncpg://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db?ssl=require",
        "postgresql+asyncpg://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/db?ssl=require",
    ),
    (
        "postgresql+psycopg2://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db",
        "postgresql+psycopg2://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/db",
    ),
    (
        "postgresql+psycopg://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db",
        "postgresql+psycopg://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/db",
    ),
    (
        "postgresql://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech/db?pgbouncer=true&connection_limit=1&pool_timeout=10&schema=app",
        "postgresql://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech/db?pgbouncer=true&connection_limit=1&pool_timeout=10&schema=app",
    ),
    (
        "host=ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech port=5432 dbname=db user=u password='p w' sslmode=verify-full sslrootcert=system",
        "host=ep-a-a1b2c3d4.us-east-2.aws.neon.tech port=5432 dbname=db user=u password='p w' sslmode=verify-full sslrootcert=system",
    ),
    (
        "postgres://u:p@ep-a-a1b2c3d4-pooler.us-east-2.aws.neon.tech,ep-b-a1b2c3d4-pooler.us-east-2.aws.neon.tech:6543/db?target_session_attrs=read-write&options=endpoint%3Dep-a-a1b2c3d4",
        "postgres://u:p@ep-a-a1b2c3d4.us-east-2.aws.neon.tech,ep-b-a1b2c3d4.us-east-2.aws.neon.tech:6543/db?target_session_attrs=read-write&options=endpoint%3Dep-a-a1b2c3d4",
    ),
];

#[test]
fn direct_and_pooled_round_trip_every_shape() {
    for (pooled, direct) in PAIRS {
        Neonops::new()
            .args(["url", "direct", "--show-password", pooled])
            .run()
            .code(0)
            .stdout_has(direct);
        let r = Neonops::new()
            .args(["url", "pooled", "--show-password", direct])
            .run();
        r.code(0);
        assert_eq!(r.stdout_trimmed(), *pooled);
    }
}

#[test]
fn conversion_is_redacted_unless_asked() {
    let r = Neonops::new().args(["url", "direct", PAIRS[0].0]).run();
    r.code(0).lacks("AbC").lacks("%40d");
    assert_eq!(
        r.stdout_trimmed(),
        "postgresql://alex:****@ep-cool-darkness-a1b2c3d4.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require"
    );
    let c: Converted = Neonops::new()
        .args(["--json", "url", "direct", PAIRS[0].0])
        .run()
        .json();
    assert!(c.changed);
    assert_eq!(c.kind["kind"], "neon_direct");
    assert!(c.url.contains(":****@"));
}

#[test]
fn already_direct_is_printed_unchanged() {
    let (_, direct) = PAIRS[1];
    let r = Neonops::new()
        .args(["url", "direct", "--show-password", direct])
        .run();
    r.code(0).stderr_has("already a direct endpoint");
    assert_eq!(r.stdout_trimmed(), direct);
}

#[test]
fn a_plain_host_cannot_be_converted() {
    for cmd in ["direct", "pooled"] {
        Neonops::new()
            .args(["url", cmd, "postgres://u:p@db.example.com/app"])
            .run()
            .code(2)
            .stderr_has("db.example.com is not a Neon endpoint")
            .stderr_has("[[pooler]]");
    }
}

#[test]
fn a_declared_pooler_converts_and_one_without_direct_host_refuses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neonops.toml"),
        "[[pooler]]\nname = \"bouncer\"\nhost = \"pgbouncer.internal\"\nport = 6432\ndirect_host = \"db.internal\"\ndirect_port = 5432\n\n[[pooler]]\nname = \"opaque\"\nhost = \"pool.example.com\"\n",
    )
    .unwrap();
    let r = Neonops::new()
        .cwd(dir.path())
        .args([
            "url",
            "direct",
            "--show-password",
            "postgres://u:p@pgbouncer.internal:6432/app?sslmode=require",
        ])
        .run();
    r.code(0);
    assert_eq!(
        r.stdout_trimmed(),
        "postgres://u:p@db.internal:5432/app?sslmode=require"
    );
    let r = Neonops::new()
        .cwd(dir.path())
        .args([
            "url",
            "pooled",
            "--show-password",
            "postgres://u:p@db.internal:5432/app",
        ])
        .run();
    r.code(0);
    assert_eq!(
        r.stdout_trimmed(),
        "postgres://u:p@pgbouncer.internal:6432/app"
    );
    Neonops::new()
        .cwd(dir.path())
        .args(["url", "direct", "postgres://u:p@pool.example.com/app"])
        .run()
        .code(2)
        .stderr_has("\"opaque\"")
        .stderr_has("direct_host");
}

#[test]
fn explain_reports_parts_parameters_and_warnings() {
    let url = "postgresql+asyncpg://al%40ex:pw@ep-a-a1b2c3d4-pooler.c-3.us-east-2.aws.neon.tech/neondb?ssl=require&pgbouncer=true&connection_limit=1&schema=app&sslcompression=1&options=-c%20search_path%3Dapp";
    let x: Explanation = Neonops::new()
        .args(["--json", "url", "explain", url])
        .run()
        .json();
    assert_eq!(x.user, "al@ex");
    assert_eq!(x.password.as_deref(), Some("****"));
    assert_eq!(x.database, "neondb");
    assert_eq!(x.form, "uri");
    assert_eq!(x.driver.as_deref(), Some("asyncpg"));
    assert_eq!(x.hosts[0]["kind"], "neon_pooled");
    assert_eq!(x.hosts[0]["neon"]["endpoint_id"], "ep-a-a1b2c3d4");
    assert_eq!(x.hosts[0]["neon"]["region"], "us-east-2");
    assert_eq!(x.hosts[0]["neon"]["cell"], "c-3");
    assert_eq!(x.effective.sslmode, "require");
    assert!(
        x.direct_url
            .as_deref()
            .unwrap()
            .contains("@ep-a-a1b2c3d4.c-3.us-east-2")
    );
    let handling = |k: &str| {
        x.parameters
            .iter()
            .find(|n| n.key == k)
            .map(|n| (n.handling.as_str(), n.why.as_str()))
            .unwrap_or_else(|| panic!("{k} not reported"))
    };
    assert_eq!(handling("ssl").0, "translated");
    assert!(handling("ssl").1.contains("sslmode=require"));
    assert_eq!(handling("pgbouncer").0, "ignored");
    assert_eq!(handling("connection_limit").0, "ignored");
    assert_eq!(handling("schema").0, "translated");
    assert_eq!(handling("sslcompression").0, "ignored");
    assert_eq!(handling("scheme").0, "ignored");
    assert_eq!(handling("options").0, "used");
    let warnings = x.warnings.join("\n");
    assert!(warnings.contains("does not verify"), "{warnings}");
    assert!(
        warnings.contains("unsupported startup parameter"),
        "{warnings}"
    );
    assert!(warnings.contains("channel_binding=require"), "{warnings}");

    // The human form shows the same in a table.
    Neonops::new()
        .args(["url", "explain", url])
        .run()
        .code(0)
        .stdout_has("Neon pooled endpoint")
        .stdout_has("endpoint ep-a-a1b2c3d4, region us-east-2")
        .stdout_has("pgbouncer")
        .stdout_has("warning: sslmode=require");
}

#[test]
fn explain_key_value_ipv6_and_multi_host() {
    let x: Explanation = Neonops::new()
        .args([
            "--json",
            "url",
            "explain",
            "postgres://u@[::1]:5433,db.example.com/d?sslmode=verify-full&sslrootcert=system",
        ])
        .run()
        .json();
    assert_eq!(x.hosts.len(), 2);
    assert_eq!(x.hosts[0]["host"], "::1");
    assert_eq!(x.hosts[0]["port"], 5433);
    assert_eq!(x.hosts[1]["port"], 5432);
    assert_eq!(x.hosts[1]["kind"], "postgres");
    assert!(x.password.is_none());
    assert!(x.conversion_note.is_some());
    let x: Explanation = Neonops::new()
        .args([
            "--json",
            "url",
            "explain",
            "host=h1,h2 port=1,2 dbname=d user=u application_name=web",
        ])
        .run()
        .json();
    assert_eq!(x.form, "key_value");
    assert_eq!(x.effective.application_name, "web");
}

/// Bad input: exit 2, the part named, no panic, no password.
#[test]
fn malformed_urls_are_named_errors() {
    for (url, want) in MALFORMED {
        Neonops::new()
            .args(["url", "explain", url])
            .run()
            .code(2)
            .stderr_has(want)
            .lacks("Zq9");
    }
}

/// Malformed connection strings and what their error must name.
pub const MALFORMED: &[(&str, &str)] = &[
    ("", "empty"),
    ("mysql://u:Zq9@h/db", "unsupported scheme"),
    ("postgres://u:Zq9@h/db?sslmod=require", "\"sslmod\""),
    ("postgres://u:Zq9@h/db?sslmode=verify", "sslmode"),
    (
        "postgres://u:Zq9%zz@h/db",
        "percent-encoding in the password",
    ),
    ("postgres://u:Zq9@x@h/db", "%40"),
    (
        "postgres://u:Zq9@h:99999/db",
        "for \"port\": a number from 1 to 65535",
    ),
    ("postgres://u:Zq9@[::1/db", "IPv6"),
    ("postgres://u:Zq9@h/db?service=prod", "service files"),
    (
        "postgres://u:Zq9@h/db?sslrootcert=system&sslmode=require",
        "weak sslmode",
    ),
    (
        "postgres://u:Zq9@h/db?connect_timeout=soon",
        "connect_timeout",
    ),
    ("host=h password='Zq9", "unterminated"),
    ("just some words", "not a connection string"),
    ("postgress://u:Zq9@h/db", "unsupported scheme"),
    ("POSTGRES://u:Zq9@h/db", "lower case"),
    ("postgres://u:Zq9@h/db?sslmode=require=x", "second '='"),
    (
        "postgres://u:Zq9@h/db?&&sslmode=require",
        "query parameter without '='",
    ),
    ("postgres://u:Zq9@h/db?application_name=a%00b", "%00"),
    ("postgres://u:Zq9@[]/db", "empty IPv6"),
    ("postgres://u:Zq9@[::1]x/db", "after an IPv6 address"),
    ("postgres://u:Zq9@h/db?gssencmode=maybe", "gssencmode"),
    ("host=h keepalives=yes password=Zq9", "keepalives"),
];
