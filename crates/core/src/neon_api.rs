//! Neon's control-plane API (v2), the calls a rehearsal needs: find the
//! project and branch of an endpoint, create a branch with a read-write
//! endpoint, wait for its operations, get its connection URI and its
//! role's password, delete it. The key is a secret like a password: it is
//! never printed, and every message that could hold it is scrubbed.
//!
//! Errors in Neon's shape (`{request_id, code, message}`) become errors
//! that name the cause and the fix. Retries happen exactly where the API
//! says they are safe (423 a running operation, 429 the rate limit, 503),
//! a bounded number of times.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::endpoint::secret::Secret;

/// Where the API is, unless `NEON_API_HOST` says otherwise (the sandbox's
/// stand-in does).
pub const DEFAULT_HOST: &str = "https://console.neon.tech/api/v2";

/// Attempts of a call the API refused with a status that is safe to retry.
const ATTEMPTS: u32 = 6;

pub struct NeonApi {
    base: String,
    key: Secret,
    agent: ureq::Agent,
}

/// A call that failed, named.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(
        "no Neon API key: set NEON_API_KEY (create one under Account settings → API keys in the Neon console; `neonops sandbox env` sets the sandbox's)"
    )]
    KeyMissing,
    #[error(
        "the Neon API refused the key (HTTP {status}{}): check NEON_API_KEY; a project-scoped key only reaches its own project",
        detail(code, message)
    )]
    KeyRefused {
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "the Neon API knows no {what} (HTTP 404{}): check [neon] project_id and the environment's neon_branch in neonops.toml",
        detail(code, message)
    )]
    NotFound {
        what: String,
        code: String,
        message: String,
    },
    #[error(
        "the project has as many branches as its plan allows (HTTP {status}{}): delete a branch you no longer need (`neonctl branches list`), or raise the plan's limit",
        detail(code, message)
    )]
    BranchLimit {
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "the Neon API is still busy after {attempts} attempts (HTTP {status}{}): {}",
        detail(code, message),
        busy_fix(*status)
    )]
    Busy {
        status: u16,
        attempts: u32,
        code: String,
        message: String,
    },
    #[error(
        "the Neon API answered HTTP {status}{} to {what}",
        detail(code, message)
    )]
    Refused {
        what: String,
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "could not reach the Neon API at {base}: {message} (check the network, or NEON_API_HOST)"
    )]
    Unreachable { base: String, message: String },
    #[error("the Neon API's answer to {what} is not what its reference describes: {message}")]
    Unexpected { what: String, message: String },
    #[error(
        "operation {id} ({action}) ended {status}: the branch is not usable; see the project's operations in the Neon console"
    )]
    OperationFailed {
        id: String,
        action: String,
        status: String,
    },
    #[error("operation {id} ({action}) did not finish within {}s", .waited.as_secs())]
    OperationTimeout {
        id: String,
        action: String,
        waited: Duration,
    },
}

fn detail(code: &str, message: &str) -> String {
    let mut out = String::new();
    if !code.is_empty() {
        out.push_str(&format!(", {code}"));
    }
    if !message.is_empty() {
        out.push_str(&format!(": {message}"));
    }
    out
}

fn busy_fix(status: u16) -> &'static str {
    match status {
        423 => "another operation on the project is still running; try again when it has finished",
        429 => "the API's rate limit (700 requests a minute) is reached; try again in a minute",
        _ => "the service is unavailable; try again later",
    }
}

/// Neon's error body.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Branch {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub host: String,
    pub branch_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub autoscaling_limit_min_cu: Option<f64>,
    #[serde(default)]
    pub autoscaling_limit_max_cu: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    pub id: String,
    pub action: String,
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A branch just created, with what came with it.
#[derive(Debug, Clone, Deserialize)]
pub struct Created {
    pub branch: Branch,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

/// What to branch: from which branch, under which name, until when.
pub struct NewBranch<'a> {
    pub parent_id: &'a str,
    pub name: &'a str,
    /// RFC 3339.
    pub expires_at: &'a str,
    /// The endpoint's autoscaling limits (CU), as the environment's; the
    /// project's default when unknown.
    pub compute: Option<(f64, f64)>,
}

impl NeonApi {
    /// From `NEON_API_KEY` and `NEON_API_HOST`, as `env` gives them.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<NeonApi, ApiError> {
        let key = env("NEON_API_KEY")
            .filter(|k| !k.trim().is_empty())
            .ok_or(ApiError::KeyMissing)?;
        let base = env("NEON_API_HOST")
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| DEFAULT_HOST.to_string());
        let base = base.trim_end_matches('/').to_string();
        // The TLS stack PostgreSQL connections use (OpenSSL) and the
        // system's roots, as `sslrootcert=system` trusts: one set of
        // roots for the API and the database.
        let tls = native_tls::TlsConnector::new().map_err(|e| ApiError::Unreachable {
            base: base.clone(),
            message: format!("TLS set-up: {e}"),
        })?;
        Ok(NeonApi {
            base,
            key: Secret::new(key.trim()),
            agent: ureq::AgentBuilder::new()
                .tls_connector(std::sync::Arc::new(tls))
                .timeout_connect(Duration::from_secs(10))
                .timeout(Duration::from_secs(60))
                .build(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// One call, retried where the API says it is safe (423, 429, 503).
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        what: &str,
    ) -> Result<serde_json::Value, ApiError> {
        let url = format!("{}{path}", self.base);
        let mut backoff =
            crate::backoff::Backoff::new(Duration::from_millis(500), Duration::from_secs(5));
        let mut attempt = 0;
        loop {
            attempt += 1;
            let req = self
                .agent
                .request(method, &url)
                .set(
                    "Authorization",
                    &format!("Bearer {}", self.key.expose_to_connection()),
                )
                .set("Accept", "application/json");
            let r = match body {
                Some(b) => req.send_json(b.clone()),
                None => req.call(),
            };
            match r {
                Ok(resp) => {
                    return resp.into_json().map_err(|e| ApiError::Unexpected {
                        what: what.into(),
                        message: e.to_string(),
                    });
                }
                Err(ureq::Error::Status(status, resp)) => {
                    let retry_after = resp
                        .header("Retry-After")
                        .and_then(|v| v.parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let b: ErrorBody = resp.into_json().unwrap_or_default();
                    let (code, message) = (
                        b.code,
                        crate::endpoint::secret::scrub(&b.message).into_owned(),
                    );
                    if matches!(status, 423 | 429 | 503) {
                        if attempt < ATTEMPTS {
                            let pause = retry_after.unwrap_or_else(|| backoff.pause());
                            std::thread::sleep(pause.min(Duration::from_secs(10)));
                            continue;
                        }
                        return Err(ApiError::Busy {
                            status,
                            attempts: attempt,
                            code,
                            message,
                        });
                    }
                    return Err(match status {
                        401 | 403 => ApiError::KeyRefused {
                            status,
                            code,
                            message,
                        },
                        404 => ApiError::NotFound {
                            what: what.into(),
                            code,
                            message,
                        },
                        422 | 409
                            if code.contains("LIMIT")
                                || message.to_ascii_lowercase().contains("limit") =>
                        {
                            ApiError::BranchLimit {
                                status,
                                code,
                                message,
                            }
                        }
                        _ => ApiError::Refused {
                            what: what.into(),
                            status,
                            code,
                            message,
                        },
                    });
                }
                Err(ureq::Error::Transport(t)) => {
                    return Err(ApiError::Unreachable {
                        base: self.base.clone(),
                        message: crate::endpoint::secret::scrub(&t.to_string()).into_owned(),
                    });
                }
            }
        }
    }

    fn parse<T: for<'de> Deserialize<'de>>(
        v: serde_json::Value,
        field: &str,
        what: &str,
    ) -> Result<T, ApiError> {
        serde_json::from_value(v.get(field).cloned().unwrap_or_default()).map_err(|e| {
            ApiError::Unexpected {
                what: what.into(),
                message: format!("{field}: {e}"),
            }
        })
    }

    pub fn projects(&self) -> Result<Vec<Project>, ApiError> {
        let what = "the list of projects";
        Self::parse(
            self.call("GET", "/projects?limit=400", None, what)?,
            "projects",
            what,
        )
    }

    pub fn endpoints(&self, project: &str) -> Result<Vec<Endpoint>, ApiError> {
        let what = format!("the endpoints of project {project}");
        Self::parse(
            self.call(
                "GET",
                &format!("/projects/{project}/endpoints"),
                None,
                &what,
            )?,
            "endpoints",
            &what,
        )
    }

    pub fn branches(&self, project: &str) -> Result<Vec<Branch>, ApiError> {
        let what = format!("the branches of project {project}");
        Self::parse(
            self.call("GET", &format!("/projects/{project}/branches"), None, &what)?,
            "branches",
            &what,
        )
    }

    /// The project and branch an endpoint belongs to.
    pub fn locate_endpoint(&self, endpoint_id: &str) -> Result<(String, Endpoint), ApiError> {
        for p in self.projects()? {
            if let Some(e) = self
                .endpoints(&p.id)?
                .into_iter()
                .find(|e| e.id == endpoint_id)
            {
                return Ok((p.id, e));
            }
        }
        Err(ApiError::NotFound {
            what: format!("project with the endpoint {endpoint_id} (among those the key reaches)"),
            code: String::new(),
            message: String::new(),
        })
    }

    pub fn create_branch(&self, project: &str, b: &NewBranch) -> Result<Created, ApiError> {
        let what = format!("creating branch {} in project {project}", b.name);
        let body = json!({
            "branch": { "parent_id": b.parent_id, "name": b.name, "expires_at": b.expires_at },
            "endpoints": [match b.compute {
                Some((min, max)) => json!({
                    "type": "read_write",
                    "autoscaling_limit_min_cu": min,
                    "autoscaling_limit_max_cu": max,
                }),
                None => json!({ "type": "read_write" }),
            }],
        });
        let v = self.call(
            "POST",
            &format!("/projects/{project}/branches"),
            Some(&body),
            &what,
        )?;
        serde_json::from_value(v).map_err(|e| ApiError::Unexpected {
            what,
            message: e.to_string(),
        })
    }

    pub fn operation(&self, project: &str, id: &str) -> Result<Operation, ApiError> {
        let what = format!("operation {id}");
        Self::parse(
            self.call(
                "GET",
                &format!("/projects/{project}/operations/{id}"),
                None,
                &what,
            )?,
            "operation",
            &what,
        )
    }

    /// Wait until every operation has finished (polling), or say which did not.
    pub fn wait(&self, project: &str, ops: &[Operation], limit: Duration) -> Result<(), ApiError> {
        let started = std::time::Instant::now();
        for op in ops {
            let mut status = op.status.clone();
            loop {
                match status.as_str() {
                    "finished" | "skipped" => break,
                    "failed" | "error" | "cancelled" | "cancelling" => {
                        return Err(ApiError::OperationFailed {
                            id: op.id.clone(),
                            action: op.action.clone(),
                            status,
                        });
                    }
                    _ => {}
                }
                if started.elapsed() > limit {
                    return Err(ApiError::OperationTimeout {
                        id: op.id.clone(),
                        action: op.action.clone(),
                        waited: started.elapsed(),
                    });
                }
                std::thread::sleep(Duration::from_millis(200));
                status = self.operation(project, &op.id)?.status;
            }
        }
        Ok(())
    }

    /// The branch's connection URI (with its role's password).
    pub fn connection_uri(
        &self,
        project: &str,
        branch: &str,
        endpoint: &str,
        database: &str,
        role: &str,
    ) -> Result<Secret, ApiError> {
        let what = format!("the connection URI of branch {branch}");
        let path = format!(
            "/projects/{project}/connection_uri?branch_id={branch}&endpoint_id={endpoint}&database_name={}&role_name={}&pooled=false",
            encode(database),
            encode(role)
        );
        let v = self.call("GET", &path, None, &what)?;
        let uri: String = Self::parse(v, "uri", &what)?;
        Ok(Secret::new(uri))
    }

    /// A role's password on a branch.
    pub fn reveal_password(
        &self,
        project: &str,
        branch: &str,
        role: &str,
    ) -> Result<Secret, ApiError> {
        let what = format!("the password of role {role}");
        let v = self.call(
            "GET",
            &format!(
                "/projects/{project}/branches/{branch}/roles/{}/reveal_password",
                encode(role)
            ),
            None,
            &what,
        )?;
        let p: String = Self::parse(v, "password", &what)?;
        Ok(Secret::new(p))
    }

    pub fn delete_branch(&self, project: &str, branch: &str) -> Result<Vec<Operation>, ApiError> {
        let what = format!("deleting branch {branch}");
        let v = self.call(
            "DELETE",
            &format!("/projects/{project}/branches/{branch}"),
            None,
            &what,
        )?;
        Self::parse(v, "operations", &what)
    }
}

/// Percent-encode a query or path value.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
