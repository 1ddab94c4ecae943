//! Output: human tables (comfy-table) and `--json` on stdout, logs through
//! tracing on stderr.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use tracing_subscriber::EnvFilter;

/// Logs go to stderr. `-v` info, `-vv` debug, `-vvv` trace; `-q` errors
/// only; `NEONOPS_LOG` (an EnvFilter directive) overrides.
pub fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        (_, 2) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("NEONOPS_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| crate::endpoint::secret::Scrubbing(std::io::stderr()))
        .with_ansi(colour(&std::io::stderr()))
        .with_target(verbose >= 2)
        .try_init();
}

/// Colour only for a terminal, and never when `NO_COLOR` is set to
/// anything (<https://no-color.org>).
pub fn colour(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    if !t.is_tty() {
        // Piped or redirected: wrap to a width that reads well in logs.
        t.set_width(120);
    }
    t
}

pub fn print_json<T: Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("serialisable")
    );
}
