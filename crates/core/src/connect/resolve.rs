//! `--resolve HOST:PORT:ADDR[,ADDR…]`: pin a host name to addresses, as curl
//! does. The sandbox uses it to give Neon-shaped names to loopback servers;
//! users can use it when DNS misbehaves.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveRule {
    pub host: String,
    /// `None` for `*` (any port).
    pub port: Option<u16>,
    pub addrs: Vec<IpAddr>,
}

/// As `--resolve` takes it back.
impl std::fmt::Display for ResolveRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let port = self.port.map_or("*".to_string(), |p| p.to_string());
        let addrs: Vec<String> = self
            .addrs
            .iter()
            .map(|a| match a {
                IpAddr::V6(v6) => format!("[{v6}]"),
                IpAddr::V4(v4) => v4.to_string(),
            })
            .collect();
        write!(f, "{}:{port}:{}", self.host, addrs.join(","))
    }
}

/// A rule that is not `HOST:PORT:ADDR[,ADDR…]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid --resolve \"{0}\": expected HOST:PORT:ADDR[,ADDR…] (PORT may be *; an IPv6 ADDR in [brackets])"
)]
pub struct BadRule(pub String);

impl FromStr for ResolveRule {
    type Err = BadRule;

    fn from_str(s: &str) -> Result<Self, BadRule> {
        let bad = || BadRule(s.to_string());
        let (host, rest) = s.split_once(':').ok_or_else(bad)?;
        let (port, addrs) = rest.split_once(':').ok_or_else(bad)?;
        if host.is_empty() {
            return Err(bad());
        }
        let port = match port {
            "*" => None,
            p => Some(p.parse::<u16>().map_err(|_| bad())?),
        };
        let addrs = addrs
            .split(',')
            .map(|a| {
                a.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| bad())?;
        Ok(ResolveRule {
            host: host.to_ascii_lowercase(),
            port,
            addrs,
        })
    }
}

/// Rules from a list like `NEONOPS_RESOLVE` (separated by spaces or `;`).
pub fn parse_list(s: &str) -> Result<Vec<ResolveRule>, BadRule> {
    s.split([' ', ';', '\n'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().parse())
        .collect()
}

pub fn lookup(rules: &[ResolveRule], host: &str, port: u16) -> Option<Vec<SocketAddr>> {
    let host = host.to_ascii_lowercase();
    rules
        .iter()
        .find(|r| r.host == host && r.port.is_none_or(|p| p == port))
        .map(|r| r.addrs.iter().map(|a| SocketAddr::new(*a, port)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_curl_style() {
        let r: ResolveRule = "ep-a-pooler.x.aws.neon.tech:5432:127.0.0.2"
            .parse()
            .unwrap();
        assert_eq!(r.port, Some(5432));
        let r: ResolveRule = "h:*:[::1],127.0.0.1".parse().unwrap();
        assert_eq!(r.addrs.len(), 2);
        let e = "h:5432".parse::<ResolveRule>().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid --resolve \"h:5432\": expected HOST:PORT:ADDR")
        );
        assert_eq!(
            parse_list("a:1:127.0.0.1 b:x:127.0.0.1"),
            Err(BadRule("b:x:127.0.0.1".into()))
        );
        assert_eq!(lookup(&[r], "H", 7).unwrap()[0].port(), 7);
    }
}
