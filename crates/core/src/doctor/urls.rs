//! Checks on the URLs themselves (no network): classification, parameters
//! translated or ignored, endpoint rules, and whether the pooled
//! and direct URLs name the same database.

use super::{Finding, Status};
use crate::endpoint::advice::Severity;
use crate::endpoint::{ConnectSpec, DatabaseUrl, EndpointKind};
use crate::target::{Endpoints, Target};

/// Checks on the URLs themselves: no network.
pub fn url_findings(target: &Target, eps: &Endpoints) -> Vec<Finding> {
    let mut f = Vec::new();
    let poolers = target.poolers();
    for (name, url) in [("pooled", &eps.pooled), ("direct", &eps.direct)] {
        let Some(url) = url else { continue };
        let kind = url.value.kind(poolers);
        f.push(Finding::new(
            Status::Info,
            "classification",
            Some(name),
            format!("{} ({})", kind.label(), url.source),
            None,
        ));
        let Ok(spec) = ConnectSpec::resolve(&url.value, &target.pg_env) else {
            continue;
        };
        for n in spec
            .notes
            .iter()
            .filter(|n| n.handling != crate::endpoint::Handling::Used)
        {
            f.push(Finding::new(
                Status::Info,
                "url parameter",
                Some(name),
                format!("{}={}: {:?}: {}", n.key, n.value, n.handling, n.why).to_lowercase(),
                None,
            ));
        }
        for a in crate::endpoint::advice::for_endpoint(&url.value, &spec, &kind) {
            let status = match a.severity {
                Severity::Warn => Status::Warn,
                Severity::Fail => Status::Fail,
            };
            f.push(Finding::new(
                status,
                a.check,
                Some(name),
                a.message,
                Some(a.fix),
            ));
        }
    }
    // The pooled URL and the direct URL must name the same endpoint, role and database.
    if let (Some(p), Some(d)) = (&eps.pooled, &eps.direct) {
        f.extend(pair_findings(&p.value, &d.value, poolers));
    }
    if eps.pooled.is_none() {
        let serverless = target
            .config
            .pools
            .iter()
            .any(|p| p.kind == crate::config::ConsumerKind::Serverless);
        if serverless {
            f.push(Finding::new(
                Status::Warn,
                "application url",
                None,
                "serverless consumers are configured but the application URL is not pooled".into(),
                Some("give serverless functions the pooled (-pooler) URL".into()),
            ));
        }
    }
    if let Some(r) = &eps.no_direct_reason {
        f.push(Finding::new(
            Status::Warn,
            "direct url",
            None,
            format!("no direct endpoint: {r}"),
            Some("give --direct-url".into()),
        ));
    }
    f
}

/// The pooled and the direct URL, side by side: the same endpoint, role
/// and database, and the direct one not a pooler.
fn pair_findings(
    p: &DatabaseUrl,
    d: &DatabaseUrl,
    poolers: &[crate::config::Pooler],
) -> Vec<Finding> {
    let mut f = Vec::new();
    let pk = p.kind(poolers);
    let dk = d.kind(poolers);
    if let (EndpointKind::NeonPooled { neon: pn }, EndpointKind::NeonDirect { neon: dn }) =
        (&pk, &dk)
    {
        let same = pn.endpoint_id == dn.endpoint_id;
        f.push(Finding::new(
            if same { Status::Pass } else { Status::Fail },
            "pooled url",
            Some("pooled"),
            if same {
                format!(
                    "the pooled host is the -pooler of endpoint {}",
                    pn.endpoint_id
                )
            } else {
                format!(
                    "the pooled URL is endpoint {} but the direct URL is {}",
                    pn.endpoint_id, dn.endpoint_id
                )
            },
            (!same).then(|| {
                "use the pooled and direct URLs of the same branch and compute".to_string()
            }),
        ));
    } else if matches!(dk, EndpointKind::NeonPooled { .. }) {
        f.push(Finding::new(
            Status::Fail,
            "direct url",
            Some("direct"),
            "the direct URL is a pooled (-pooler) endpoint".into(),
            Some("drop -pooler from the host of the direct URL".into()),
        ));
    }
    let get = |u: &DatabaseUrl, k: &str| u.get(k).map(|s| s.value.clone());
    for key in ["user", "dbname"] {
        let (a, b) = (get(p, key), get(d, key));
        if a != b {
            f.push(Finding::new(
                Status::Fail,
                "pooled url",
                Some("pooled"),
                format!(
                    "{key} differs: pooled {:?}, direct {:?}",
                    a.unwrap_or_default(),
                    b.unwrap_or_default()
                ),
                Some("the two URLs should name the same role and database".into()),
            ));
        }
    }
    f
}
