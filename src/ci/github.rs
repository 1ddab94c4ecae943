//! GitHub's side of a pull request: the one comment neonops keeps on it
//! (found again by a hidden marker, updated in place on every push), the
//! step's outputs (`$GITHUB_OUTPUT`) and its summary
//! (`$GITHUB_STEP_SUMMARY`).
//!
//! The REST API is reached at `$GITHUB_API_URL` (GitHub's, or a GitHub
//! Enterprise server's) with the job's `$GITHUB_TOKEN`; the token goes in
//! a header, never in a URL, a log line or an error.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, Result, anyhow};
use serde_json::{Value, json};

use crate::error::usage;

/// The comment's hidden first line: how neonops finds its comment again.
pub const MARKER: &str = "<!-- neonops:ci-comment -->";

/// GitHub's limit on a comment's body is 65,536 characters.
const COMMENT_MAX: usize = 65_000;

/// Where the pull request is, and the token to write to it.
pub struct PullRequest {
    api: String,
    repo: String,
    pub number: u64,
    token: String,
}

impl std::fmt::Debug for PullRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{} at {}", self.repo, self.number, self.api)
    }
}

/// What was done with the comment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Commented {
    pub id: u64,
    pub created: bool,
}

impl PullRequest {
    /// The pull request of this workflow run, from GitHub Actions'
    /// variables and its event file.
    pub fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Result<PullRequest> {
        let need = |k: &str| {
            var(k).filter(|v| !v.is_empty()).ok_or_else(|| {
                usage(format!(
                    "--comment needs ${k}: run it in a GitHub Actions job (GITHUB_TOKEN: pass `github.token` as env GITHUB_TOKEN, with `permissions: pull-requests: write`)"
                ))
            })
        };
        let token = need("GITHUB_TOKEN")?;
        let repo = need("GITHUB_REPOSITORY")?;
        let event_path = need("GITHUB_EVENT_PATH")?;
        let api = var("GITHUB_API_URL")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "https://api.github.com".into());
        let event: Value =
            serde_json::from_str(&std::fs::read_to_string(&event_path).map_err(|e| {
                usage(format!(
                    "cannot read $GITHUB_EVENT_PATH ({event_path}): {e}"
                ))
            })?)
            .map_err(|e| {
                usage(format!(
                    "$GITHUB_EVENT_PATH ({event_path}) is not JSON: {e}"
                ))
            })?;
        let number = event
            .pointer("/pull_request/number")
            .or_else(|| event.pointer("/issue/number"))
            .or_else(|| event.get("number"))
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                usage(format!(
                    "--comment: the event ({event_path}) is not a pull request's: run it `on: pull_request`"
                ))
            })?;
        Ok(PullRequest {
            api: api.trim_end_matches('/').to_string(),
            repo,
            number,
            token,
        })
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        ureq::request(method, &format!("{}{path}", self.api))
            .set("Authorization", &format!("Bearer {}", self.token))
            .set("Accept", "application/vnd.github+json")
            .set("X-GitHub-Api-Version", "2022-11-28")
            .set("User-Agent", concat!("neonops/", env!("CARGO_PKG_VERSION")))
            .timeout(std::time::Duration::from_secs(30))
    }

    /// The id of the comment that carries the marker, if there is one.
    fn find(&self) -> Result<Option<u64>> {
        for page in 1..=50 {
            let path = format!(
                "/repos/{}/issues/{}/comments?per_page=100&page={page}",
                self.repo, self.number
            );
            let comments: Vec<Value> = self
                .request("GET", &path)
                .call()
                .map_err(api_error)
                .with_context(|| format!("listing the comments of {}#{}", self.repo, self.number))?
                .into_json()
                .context("reading the comments")?;
            if let Some(id) = comments
                .iter()
                .find(|c| c["body"].as_str().is_some_and(|b| b.contains(MARKER)))
                .and_then(|c| c["id"].as_u64())
            {
                return Ok(Some(id));
            }
            if comments.len() < 100 {
                break;
            }
        }
        Ok(None)
    }

    /// Create the comment, or update the one there is.
    pub fn upsert(&self, markdown: &str) -> Result<Commented> {
        let body = comment_body(markdown);
        let existing = self.find()?;
        let (method, path) = match existing {
            Some(id) => (
                "PATCH",
                format!("/repos/{}/issues/comments/{id}", self.repo),
            ),
            None => (
                "POST",
                format!("/repos/{}/issues/{}/comments", self.repo, self.number),
            ),
        };
        let reply: Value = self
            .request(method, &path)
            .send_json(json!({ "body": body }))
            .map_err(api_error)
            .with_context(|| {
                format!(
                    "{} the comment on {}#{}",
                    if existing.is_some() {
                        "updating"
                    } else {
                        "creating"
                    },
                    self.repo,
                    self.number
                )
            })?
            .into_json()
            .context("reading the comment's reply")?;
        Ok(Commented {
            id: reply["id"].as_u64().or(existing).unwrap_or(0),
            created: existing.is_none(),
        })
    }
}

/// An HTTP failure said without the request (its headers hold the token).
fn api_error(e: ureq::Error) -> anyhow::Error {
    match e {
        ureq::Error::Status(code, r) => {
            let text = r.into_string().unwrap_or_default();
            let message = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| text.chars().take(200).collect());
            let hint = match code {
                401 => " (the token is not valid)",
                403 | 404 => {
                    " (give the job `permissions: pull-requests: write`; a pull request from a fork gets a read-only token)"
                }
                _ => "",
            };
            anyhow!("GitHub answered {code}: {message}{hint}")
        }
        ureq::Error::Transport(t) => anyhow!("GitHub could not be reached: {}", t.kind()),
    }
}

/// The marker, the report, and a note when it had to be cut to fit.
pub fn comment_body(markdown: &str) -> String {
    let mut body = format!("{MARKER}\n{markdown}");
    if body.len() > COMMENT_MAX {
        let mut cut = COMMENT_MAX - 200;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
        body.push_str(
            "\n\n… cut to fit GitHub's comment limit: the whole report is in the job's summary.\n",
        );
    }
    body
}

/// A file GitHub Actions names in a variable, when it does.
fn actions_file(var: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<PathBuf> {
    var(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn append(path: &PathBuf, text: &str) -> Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .with_context(|| format!("writing {}", path.display()))
}

/// The step's outputs, as `name=value` lines of `$GITHUB_OUTPUT` (values
/// are one line each: numbers, true/false, a version). Nothing when the
/// variable is not set.
pub fn write_outputs(
    var: &dyn Fn(&str) -> Option<String>,
    outputs: &[(&str, String)],
) -> Result<bool> {
    let Some(path) = actions_file(var, "GITHUB_OUTPUT") else {
        return Ok(false);
    };
    let mut text = String::new();
    for (k, v) in outputs {
        let v = v.replace(['\n', '\r'], " ");
        text.push_str(&format!("{k}={v}\n"));
    }
    append(&path, &text)?;
    Ok(true)
}

/// The report on the job's summary page, when `$GITHUB_STEP_SUMMARY` is set.
pub fn write_summary(var: &dyn Fn(&str) -> Option<String>, markdown: &str) -> Result<bool> {
    let Some(path) = actions_file(var, "GITHUB_STEP_SUMMARY") else {
        return Ok(false);
    };
    append(&path, &format!("{markdown}\n"))?;
    Ok(true)
}
