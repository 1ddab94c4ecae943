//! Where a server is, for deciding how much an unencrypted or unverified
//! connection matters: on this machine (loopback, a Unix socket), on a
//! private network, or anywhere else.

use std::net::IpAddr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// Loopback or a Unix-domain socket: the traffic never leaves the machine.
    Local,
    /// RFC 1918, carrier-grade NAT, link-local, IPv6 unique-local.
    Private,
    /// Anything else (and a name that could not be resolved).
    Public,
}

impl Locality {
    pub fn describe(self) -> &'static str {
        match self {
            Locality::Local => "on this machine (loopback or a Unix socket)",
            Locality::Private => "on a private network",
            Locality::Public => "on a public network",
        }
    }
}

fn of_address(a: IpAddr) -> Locality {
    match a {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if v4.is_loopback() {
                Locality::Local
            } else if v4.is_private()
                || v4.is_link_local()
                || (o[0] == 100 && (64..128).contains(&o[1]))
            {
                Locality::Private
            } else {
                Locality::Public
            }
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return of_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Locality::Local
            } else if (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 {
                Locality::Private
            } else {
                Locality::Public
            }
        }
    }
}

/// From what is known without the network: a socket path, `localhost`, or
/// an IP literal. `None` for a host name (its addresses decide).
pub fn of_host(host: &str) -> Option<Locality> {
    if host.starts_with('/') || host.starts_with('@') {
        return Some(Locality::Local);
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Some(Locality::Local);
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()
        .map(of_address)
}

/// The host, and the addresses it resolved to (when known): the least
/// private of them decides.
pub fn locality(host: &str, addresses: &[IpAddr]) -> Locality {
    if let Some(l) = of_host(host) {
        return l;
    }
    addresses
        .iter()
        .map(|a| of_address(*a))
        .max()
        .unwrap_or(Locality::Public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hosts_and_addresses() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        for (host, addrs, want) in [
            ("/var/run/postgresql", vec![], Locality::Local),
            ("localhost", vec![], Locality::Local),
            ("127.0.0.3", vec![], Locality::Local),
            ("::1", vec![], Locality::Local),
            ("10.1.2.3", vec![], Locality::Private),
            ("172.20.0.2", vec![], Locality::Private),
            ("192.168.1.9", vec![], Locality::Private),
            ("100.72.0.1", vec![], Locality::Private),
            ("fd12::1", vec![], Locality::Private),
            ("8.8.8.8", vec![], Locality::Public),
            ("db", vec![ip("172.18.0.2")], Locality::Private),
            ("db", vec![ip("127.0.0.1"), ip("::1")], Locality::Local),
            ("db", vec![ip("10.0.0.1"), ip("3.3.3.3")], Locality::Public),
            ("db.example.com", vec![], Locality::Public),
        ] {
            assert_eq!(locality(host, &addrs), want, "{host} {addrs:?}");
        }
    }
}
