//! The direct endpoint's connection limits and sessions: what is free, who
//! holds what, and what is stuck.

use std::time::Duration;

use serde::Serialize;
use tokio_postgres::Client;

use super::{Finding, Status, rows};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Limits {
    pub server_version: String,
    pub max_connections: u64,
    pub superuser_reserved_connections: u64,
    pub reserved_connections: u64,
    pub role: String,
    pub role_connection_limit: i64,
    pub database: String,
    pub database_connection_limit: i64,
    /// Whether this role sees every session's details (pg_read_all_stats).
    pub sees_all_sessions: bool,
    pub in_use: u64,
    pub hidden_sessions: u64,
    /// Sessions idle in a transaction past `[doctor] idle_in_transaction`.
    pub idle_in_transaction: u64,
    /// Queries running past `[doctor] long_running`.
    pub long_running: u64,
    pub blocked: u64,
    pub invalid_indexes: Vec<String>,
    /// The Neon compute size these limits imply.
    pub compute_size: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Connections {
    pub state: String,
    pub application_name: String,
    pub role: String,
    pub count: u64,
}

/// Neon's max_connections for a compute size (current docs' formula).
pub fn max_connections_for(cu: f64) -> u32 {
    ((cu * 419.66).floor() as u32).clamp(100, 4000)
}

/// Neon's compute size for a max_connections value, when it is one of Neon's.
pub fn compute_size_for(max_connections: u64) -> Option<String> {
    const SIZES: [f64; 12] = [0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 56.0];
    for cu in SIZES {
        if max_connections_for(cu) as u64 == max_connections {
            return Some(if max_connections == 4000 {
                "9–56 CU".into()
            } else {
                format!("{cu} CU")
            });
        }
    }
    None
}

const LIMITS_SQL: &str = "SELECT current_setting('server_version'), current_setting('max_connections'), current_setting('superuser_reserved_connections'), coalesce(current_setting('reserved_connections', true), '0'), current_user, (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user)::text, current_database(), (SELECT datconnlimit FROM pg_database WHERE datname = current_database())::text, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')::text";
/// Client backends; another role's sessions have no backend_type without pg_read_all_stats.
fn activity_sql(idle: Duration, long: Duration) -> String {
    format!(
        "SELECT count(*)::text, count(*) FILTER (WHERE state IS NULL)::text, count(*) FILTER (WHERE state = 'idle in transaction' AND now() - state_change > interval '{} milliseconds')::text, count(*) FILTER (WHERE state = 'active' AND now() - query_start > interval '{} milliseconds' AND pid <> pg_backend_pid())::text, count(*) FILTER (WHERE cardinality(pg_blocking_pids(pid)) > 0)::text FROM pg_stat_activity WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL)",
        idle.as_millis(),
        long.as_millis()
    )
}
const GROUPS_SQL: &str = "SELECT coalesce(state, '(not visible)'), coalesce(nullif(application_name, ''), '(none)'), coalesce(usename, ''), count(*)::text FROM pg_stat_activity WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL) GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2";
const INVALID_SQL: &str =
    "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid ORDER BY 1";

pub(super) struct DirectFacts {
    pub limits: Limits,
    pub groups: Vec<Connections>,
}

pub(super) async fn read_limits(
    client: &Client,
    thresholds: &crate::config::Doctor,
) -> Option<DirectFacts> {
    let activity = activity_sql(thresholds.idle_in_transaction, thresholds.long_running);
    let (l, a, g, i) = tokio::join!(
        client.simple_query(LIMITS_SQL),
        client.simple_query(&activity),
        client.simple_query(GROUPS_SQL),
        client.simple_query(INVALID_SQL)
    );
    let l = rows(&l.ok()?).pop()?;
    let a = rows(&a.ok()?).pop()?;
    let n = |s: &str| s.parse::<u64>().unwrap_or(0);
    let max_connections = n(&l[1]);
    Some(DirectFacts {
        limits: Limits {
            server_version: l[0].clone(),
            max_connections,
            superuser_reserved_connections: n(&l[2]),
            reserved_connections: n(&l[3]),
            role: l[4].clone(),
            role_connection_limit: l[5].parse().unwrap_or(-1),
            database: l[6].clone(),
            database_connection_limit: l[7].parse().unwrap_or(-1),
            sees_all_sessions: l[8] == "true",
            in_use: n(&a[0]),
            hidden_sessions: n(&a[1]),
            idle_in_transaction: n(&a[2]),
            long_running: n(&a[3]),
            blocked: n(&a[4]),
            invalid_indexes: i
                .map(|m| rows(&m).into_iter().map(|r| r[0].clone()).collect())
                .unwrap_or_default(),
            compute_size: compute_size_for(max_connections),
        },
        groups: g
            .map(|m| {
                rows(&m)
                    .into_iter()
                    .map(|r| Connections {
                        state: r[0].clone(),
                        application_name: r[1].clone(),
                        role: r[2].clone(),
                        count: n(&r[3]),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

pub(super) fn limit_findings(l: &Limits, thresholds: &crate::config::Doctor) -> Vec<Finding> {
    let mut f = Vec::new();
    let ep = Some("direct");
    let reserved = l.superuser_reserved_connections + l.reserved_connections;
    let usable = l.max_connections.saturating_sub(reserved);
    f.push(Finding::new(
        Status::Info,
        "server",
        ep,
        format!(
            "PostgreSQL {} · max_connections {} · reserved {} (superuser {}, reserved_connections {}){}",
            l.server_version,
            l.max_connections,
            reserved,
            l.superuser_reserved_connections,
            l.reserved_connections,
            l.compute_size.as_ref().map(|c| format!(" · Neon compute {c}")).unwrap_or_default()
        ),
        None,
    ));
    let pct = (l.in_use * 100).checked_div(usable).unwrap_or(100);
    let status = if l.in_use >= usable {
        Status::Fail
    } else if pct >= 80 {
        Status::Warn
    } else {
        Status::Pass
    };
    f.push(Finding::new(
        status,
        "connections",
        ep,
        format!("{} in use of {usable} usable ({pct}%)", l.in_use),
        (status != Status::Pass).then(|| "close idle sessions, route applications through the pooled endpoint, or use a larger compute".to_string()),
    ));
    for (what, limit) in [
        ("role", l.role_connection_limit),
        ("database", l.database_connection_limit),
    ] {
        if limit >= 0 {
            f.push(Finding::new(
                Status::Info,
                "connection limit",
                ep,
                format!("{what} connection limit {limit}"),
                None,
            ));
        }
    }
    if !l.sees_all_sessions && l.hidden_sessions > 0 {
        f.push(Finding::new(
            Status::Warn,
            "visibility",
            ep,
            format!(
                "role {} cannot see the state of {} other session(s): counts below are partial",
                l.role, l.hidden_sessions
            ),
            Some("grant pg_read_all_stats (or pg_monitor) to the role that runs doctor".into()),
        ));
    }
    let t = |d: Duration| humantime::format_duration(d).to_string();
    let idle = format!(
        "idle in transaction for over {}",
        t(thresholds.idle_in_transaction)
    );
    let long = format!("active for over {}", t(thresholds.long_running));
    let sessions = [
        (
            l.idle_in_transaction,
            idle.as_str(),
            "commit or roll back sooner; set idle_in_transaction_session_timeout",
        ),
        (
            l.long_running,
            long.as_str(),
            "check for runaway queries (pg_stat_activity) and set statement_timeout",
        ),
        (
            l.blocked,
            "waiting on locks held by other sessions",
            "find the blockers with pg_blocking_pids()",
        ),
    ];
    for (n, what, fix) in sessions {
        f.push(Finding::new(
            if n > 0 { Status::Warn } else { Status::Pass },
            "sessions",
            ep,
            format!("{n} session(s) {what}"),
            (n > 0).then(|| fix.to_string()),
        ));
    }
    f.push(Finding::new(
        if l.invalid_indexes.is_empty() {
            Status::Pass
        } else {
            Status::Warn
        },
        "indexes",
        ep,
        if l.invalid_indexes.is_empty() {
            "no invalid indexes".into()
        } else {
            format!("INVALID: {}", l.invalid_indexes.join(", "))
        },
        (!l.invalid_indexes.is_empty()).then(|| {
            format!(
                "DROP INDEX CONCURRENTLY {}; and build it again",
                l.invalid_indexes.join(", ")
            )
        }),
    ));
    f
}
