//! The pool budget: what the application pools in neonops.toml demand
//! against what the direct endpoint and the pooler allow, with the
//! arithmetic shown.

use serde::Serialize;

use super::{Finding, Limits, Status};
use crate::config::{AppPool, ConsumerKind, PoolEndpoint};

/// Neon's PgBouncer: max_client_conn.
pub const POOLER_MAX_CLIENTS: u64 = 10_000;

#[derive(Debug, Clone, Serialize)]
pub struct Consumer {
    pub name: String,
    pub endpoint: PoolEndpoint,
    pub kind: ConsumerKind,
    pub instances: u32,
    pub pool_size: u32,
    pub max_overflow: u32,
    /// instances × (pool_size + max_overflow)
    pub connections: u64,
    /// How pool_size was found.
    pub pool_size_from: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub consumers: Vec<Consumer>,
    pub direct_demand: u64,
    pub pooled_clients: u64,
    /// Server connections the pooled consumers keep busy at peak (their pool sizes).
    pub pooled_server_demand: u64,
    /// max_connections − superuser_reserved_connections − reserved_connections
    pub available: u64,
    pub headroom: u64,
    /// Neon's default_pool_size: 0.9 × max_connections per role and database.
    pub pooler_server_limit: u64,
    pub pooler_client_limit: u64,
    /// The arithmetic, one line each.
    pub arithmetic: Vec<String>,
}

pub fn pool_size(p: &AppPool) -> (u32, String) {
    match (p.pool_size, p.peak_rps, p.avg_query_ms) {
        (Some(s), _, _) => (s, "pool_size".into()),
        (None, Some(rps), Some(ms)) => {
            let n = (rps * ms / 1000.0).ceil().max(1.0) as u32;
            (n, format!("ceil({rps} rps × {} s) = {n}", ms / 1000.0))
        }
        _ => (1, "default".into()),
    }
}

pub fn evaluate(pools: &[AppPool], limits: &Limits) -> (Budget, Vec<Finding>) {
    let budget = budget(pools, limits);
    let mut findings = limit_findings(&budget, limits);
    findings.extend(shape_findings(&budget.consumers));
    (budget, findings)
}

/// The demand of the declared pools against the limits, and its arithmetic.
fn budget(pools: &[AppPool], limits: &Limits) -> Budget {
    let consumers: Vec<Consumer> = pools
        .iter()
        .map(|p| {
            let (size, from) = pool_size(p);
            Consumer {
                name: p.name.clone(),
                endpoint: p.endpoint,
                kind: p.kind,
                instances: p.instances,
                pool_size: size,
                max_overflow: p.max_overflow,
                connections: p.instances as u64 * (size + p.max_overflow) as u64,
                pool_size_from: from,
            }
        })
        .collect();
    let sum = |e: PoolEndpoint| -> u64 {
        consumers
            .iter()
            .filter(|c| c.endpoint == e)
            .map(|c| c.connections)
            .sum()
    };
    let direct_demand = sum(PoolEndpoint::Direct);
    let pooled_clients = sum(PoolEndpoint::Pooled);
    let pooled_server_demand: u64 = consumers
        .iter()
        .filter(|c| c.endpoint == PoolEndpoint::Pooled)
        .map(|c| c.instances as u64 * c.pool_size as u64)
        .sum();
    let reserved = limits.superuser_reserved_connections + limits.reserved_connections;
    let available = limits.max_connections.saturating_sub(reserved);
    let headroom = (available / 10).max(5);
    let pooler_server_limit = (limits.max_connections as f64 * 0.9).floor() as u64;
    let mut arithmetic = Vec::new();
    arithmetic.push(format!(
        "available to ordinary roles: max_connections {} − reserved {} = {available} (keeping {headroom} for migrations, admin and monitoring)",
        limits.max_connections, reserved
    ));
    for c in &consumers {
        arithmetic.push(format!(
            "{} ({:?}, {}): {} × ({} + {}) = {} connections [{}]",
            c.name,
            c.endpoint,
            kind_name(c.kind),
            c.instances,
            c.pool_size,
            c.max_overflow,
            c.connections,
            c.pool_size_from
        ));
    }
    arithmetic.push(format!("direct demand {direct_demand}; pooled clients {pooled_clients}; pooled server connections at peak {pooled_server_demand}"));

    Budget {
        consumers,
        direct_demand,
        pooled_clients,
        pooled_server_demand,
        available,
        headroom,
        pooler_server_limit,
        pooler_client_limit: POOLER_MAX_CLIENTS,
        arithmetic,
    }
}

/// The budget against each limit: the direct endpoint's slots, the
/// pooler's clients and server connections, and both together.
fn limit_findings(b: &Budget, limits: &Limits) -> Vec<Finding> {
    let Budget {
        direct_demand,
        pooled_clients,
        pooled_server_demand,
        available,
        headroom,
        pooler_server_limit,
        ..
    } = *b;
    let mut findings = Vec::new();
    let status = if direct_demand + headroom <= available {
        Status::Pass
    } else if direct_demand <= available {
        Status::Warn
    } else {
        Status::Fail
    };
    findings.push(Finding::new(
        status,
        "pool budget: direct endpoint",
        None,
        format!(
            "{direct_demand} connections demanded of {available} available ({headroom} kept free)"
        ),
        (status != Status::Pass).then(|| {
            "move consumers to the pooled endpoint, shrink their pools, or use a larger compute"
                .to_string()
        }),
    ));
    let status = if pooled_clients <= POOLER_MAX_CLIENTS {
        Status::Pass
    } else {
        Status::Fail
    };
    findings.push(Finding::new(
        status,
        "pool budget: pooler clients",
        None,
        format!("{pooled_clients} client connections of the pooler's {POOLER_MAX_CLIENTS} (max_client_conn)"),
        (status != Status::Pass).then(|| "shrink client-side pools: the pooler multiplexes them anyway".to_string()),
    ));
    let status = if pooled_server_demand <= pooler_server_limit {
        Status::Pass
    } else {
        Status::Warn
    };
    findings.push(Finding::new(
        status,
        "pool budget: pooler server connections",
        None,
        format!(
            "{pooled_server_demand} busy at peak of {pooler_server_limit} per role and database (0.9 × max_connections {})",
            limits.max_connections
        ),
        (status != Status::Pass).then(|| {
            "requests beyond it queue in the pooler and fail after query_wait_timeout (120 s): shorten queries or use a larger compute".to_string()
        }),
    ));
    if direct_demand + pooled_server_demand.min(pooler_server_limit) > available {
        findings.push(Finding::new(
            Status::Warn,
            "pool budget: together",
            None,
            format!(
                "direct {direct_demand} + pooler server connections {} > {available} available",
                pooled_server_demand.min(pooler_server_limit)
            ),
            Some("at peak the pooler and the direct consumers compete for the same slots: move direct consumers to the pooler".into()),
        ));
    }
    findings
}

/// Pools of a shape that hurts whatever the numbers: serverless on the
/// direct endpoint, a large client-side pool in front of PgBouncer.
fn shape_findings(consumers: &[Consumer]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for c in consumers {
        if c.endpoint == PoolEndpoint::Direct && c.kind == ConsumerKind::Serverless {
            findings.push(Finding::new(
                Status::Warn,
                "pool shape",
                None,
                format!("{}: a serverless consumer on the direct endpoint opens connections per invocation", c.name),
                Some("point serverless functions at the pooled endpoint".into()),
            ));
        }
        if c.endpoint == PoolEndpoint::Pooled && c.pool_size + c.max_overflow > 10 {
            findings.push(Finding::new(
                Status::Warn,
                "pool shape",
                None,
                format!(
                    "{}: a client-side pool of {} per instance on top of PgBouncer",
                    c.name,
                    c.pool_size + c.max_overflow
                ),
                Some("keep client-side pools small (1–5) in front of a transaction pooler".into()),
            ));
        }
    }
    findings
}

fn kind_name(k: ConsumerKind) -> &'static str {
    match k {
        ConsumerKind::Serverless => "serverless",
        ConsumerKind::LongRunning => "long-running",
        ConsumerKind::Worker => "worker",
    }
}
