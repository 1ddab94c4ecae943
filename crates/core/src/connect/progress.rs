//! Showing that a connection is being retried: one status line, rewritten
//! at every attempt (the caller's terminal draws it), or a few log lines
//! (the first failure, then at most one every 10 s).

use std::sync::Arc;
use std::time::Duration;

use tracing::{debug, warn};

use super::ConnectError;

#[derive(Debug, Clone, Default)]
pub enum Progress {
    /// Nothing but debug logs (diagnoses answer at once; library callers).
    #[default]
    Silent,
    /// A few log lines.
    Log,
    /// One status line, cleared when connecting ends.
    Line(Arc<dyn StatusLine>),
}

/// Where a status line is drawn (the binary's terminal).
pub trait StatusLine: Send + Sync + std::fmt::Debug {
    /// Show `text` in place of the line shown before.
    fn show(&self, text: &str);
    /// Take the line away.
    fn clear(&self);
}

const LOG_EVERY: Duration = Duration::from_secs(10);

pub(super) struct Reporter {
    mode: Progress,
    budget: Duration,
    per_attempt: Duration,
    logged_at: Option<Duration>,
    line: bool,
}

/// The first clause of a message: enough for a progress line.
fn short(e: &ConnectError) -> &str {
    e.message.split([':', '(']).next().unwrap_or("").trim()
}

impl Reporter {
    pub(super) fn new(mode: Progress, budget: Duration, per_attempt: Duration) -> Self {
        Reporter {
            mode,
            budget,
            per_attempt,
            logged_at: None,
            line: false,
        }
    }

    fn where_set(&self) -> String {
        format!(
            "budget {}s: NEONOPS_CONNECT_BUDGET or [timeouts] connect_budget; each attempt {}s: --connect-timeout",
            self.budget.as_secs(),
            self.per_attempt.as_secs()
        )
    }

    /// Attempt `attempt` failed and will be retried.
    pub(super) fn retrying(&mut self, e: &ConnectError, attempt: u32, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        match &self.mode {
            Progress::Silent => debug!("attempt {attempt} failed: {e}; retrying"),
            Progress::Log => {
                let due = match self.logged_at {
                    None => true,
                    Some(at) => elapsed >= at + LOG_EVERY,
                };
                if !due {
                    debug!("attempt {attempt} failed: {e}; retrying");
                } else if self.logged_at.is_none() {
                    warn!(
                        "cannot connect to {} yet ({} stage: {}); retrying for up to {}s ({})",
                        e.target,
                        e.stage.as_str(),
                        short(e),
                        self.budget.as_secs(),
                        self.where_set()
                    );
                    self.logged_at = Some(elapsed);
                } else {
                    warn!(
                        "still cannot connect to {} after {attempt} attempts, {secs:.1}s of the {}s budget ({} stage: {})",
                        e.target,
                        self.budget.as_secs(),
                        e.stage.as_str(),
                        short(e)
                    );
                    self.logged_at = Some(elapsed);
                }
            }
            Progress::Line(line) => {
                // What matters first, so that a narrow line cuts the least useful part.
                let text = format!(
                    "attempt {attempt} failed ({}) · {secs:.1}s of {}s (NEONOPS_CONNECT_BUDGET) · connecting to {}",
                    short(e),
                    self.budget.as_secs(),
                    e.target,
                );
                line.show(&text);
                self.line = true;
            }
        }
    }

    /// Connecting ended (either way): take the line away.
    pub(super) fn clear(&mut self) {
        if self.line
            && let Progress::Line(line) = &self.mode
        {
            line.clear();
            self.line = false;
        }
    }
}
