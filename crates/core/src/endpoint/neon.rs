//! Neon host names: recognise every shape, extract the endpoint id, and say
//! which edit of the first DNS label turns pooled into direct and back.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeonHost {
    /// `ep-cool-darkness-a1b2c3d4` (never with `-pooler`)
    pub endpoint_id: String,
    pub pooled: bool,
    /// `us-east-2`, `eastus2`, …
    pub region: Option<String>,
    /// `aws`, `azure`
    pub cloud: Option<String>,
    /// the `c-N` cell label, when present
    pub cell: Option<String>,
    /// byte length of the first label in the host as written
    #[serde(skip)]
    pub first_label_len: usize,
}

const POOLER_SUFFIX: &str = "-pooler";

/// Recognise a Neon endpoint host: `ep-…[-pooler].[c-N.]<region>.<cloud>.neon.tech`.
pub fn parse_host(host: &str) -> Option<NeonHost> {
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    if !lower.ends_with(".neon.tech") {
        return None;
    }
    let labels: Vec<&str> = lower.split('.').collect();
    let first = labels[0];
    if !first.starts_with("ep-") || first.len() <= 3 {
        return None;
    }
    if !first
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return None;
    }
    let (id, pooled) = match first.strip_suffix(POOLER_SUFFIX) {
        Some(id) => (id, true),
        None => (first, false),
    };
    if id.len() <= 3 || id.ends_with('-') {
        return None;
    }
    // labels between the first and "neon": [c-N] region [cloud]
    let middle = &labels[1..labels.len() - 2];
    let mut rest = middle;
    let mut cell = None;
    if let Some(l) = rest.first()
        && l.starts_with("c-")
        && l[2..].chars().all(|c| c.is_ascii_digit())
        && l.len() > 2
    {
        cell = Some(l.to_string());
        rest = &rest[1..];
    }
    let (region, cloud) = match rest {
        [region, cloud] => (Some(region.to_string()), Some(cloud.to_string())),
        [region] => (Some(region.to_string()), None),
        _ => (None, None),
    };
    Some(NeonHost {
        endpoint_id: id.to_string(),
        pooled,
        region,
        cloud,
        cell,
        first_label_len: first.len(),
    })
}

/// The first label for the other kind of endpoint.
pub fn first_label(host: &NeonHost, pooled: bool) -> String {
    if pooled {
        format!("{}{POOLER_SUFFIX}", host.endpoint_id)
    } else {
        host.endpoint_id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let cases = [
            (
                "ep-cool-darkness-a1b2c3d4-pooler.us-east-2.aws.neon.tech",
                "ep-cool-darkness-a1b2c3d4",
                true,
                Some("us-east-2"),
                Some("aws"),
                None,
            ),
            (
                "ep-calm-snow-aev1ojm4-pooler.c-2.us-east-2.aws.neon.tech",
                "ep-calm-snow-aev1ojm4",
                true,
                Some("us-east-2"),
                Some("aws"),
                Some("c-2"),
            ),
            (
                "ep-x-a1b2c3d4.eastus2.azure.neon.tech",
                "ep-x-a1b2c3d4",
                false,
                Some("eastus2"),
                Some("azure"),
                None,
            ),
            (
                "EP-Cool-Darkness-123456.us-east-2.aws.neon.tech",
                "ep-cool-darkness-123456",
                false,
                Some("us-east-2"),
                Some("aws"),
                None,
            ),
        ];
        for (host, id, pooled, region, cloud, cell) in cases {
            let h = parse_host(host).unwrap_or_else(|| panic!("{host}"));
            assert_eq!(h.endpoint_id, id, "{host}");
            assert_eq!(h.pooled, pooled, "{host}");
            assert_eq!(h.region.as_deref(), region, "{host}");
            assert_eq!(h.cloud.as_deref(), cloud, "{host}");
            assert_eq!(h.cell.as_deref(), cell, "{host}");
        }
    }

    #[test]
    fn not_neon() {
        for host in [
            "db.example.com",
            "console.neon.tech",
            "ep-.us-east-2.aws.neon.tech",
            "ep-x-pooler.neon.tech.evil.com",
            "127.0.0.1",
        ] {
            assert_eq!(parse_host(host), None, "{host}");
        }
    }
}
