//! A pooler declared in `neonops.toml` (`[[pooler]]`): for non-Neon hosts,
//! how neonops recognises a pooled endpoint and gets around it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pooler {
    pub name: String,
    /// The pooler's host name, as it appears in URLs.
    pub host: String,
    /// Its port, when the host also serves other things.
    pub port: Option<u16>,
    /// The PostgreSQL server behind it, so that neonops can get around it.
    pub direct_host: Option<String>,
    pub direct_port: Option<u16>,
    /// `transaction` (default), `session` or `statement`.
    #[serde(default = "default_pool_mode")]
    pub mode: String,
}

fn default_pool_mode() -> String {
    "transaction".into()
}

impl Pooler {
    pub fn matches(&self, host: &str, port: Option<u16>) -> bool {
        self.host.eq_ignore_ascii_case(host) && self.port.is_none_or(|p| port.unwrap_or(5432) == p)
    }
}
