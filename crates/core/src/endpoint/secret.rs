//! A password that cannot be printed by accident, and a last line of
//! defence: every secret neonops reads is remembered, so that a panic
//! message or a log line that somehow holds one is masked before it is
//! printed.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Mutex, OnceLock};

/// What a secret shows in every output: Display, Debug, errors, logs and JSON.
pub const MASK: &str = "****";

/// A secret value (a password). `Display` and `Debug` print [`MASK`]; the
/// value itself is reachable only through [`Secret::expose_to_connection`],
/// whose name says where it may be used.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// Secrets shorter than this are not scrubbed from free text (masking every
/// "pw" in a message would garble it); they are still never formatted.
const SCRUB_MIN_LEN: usize = 4;

fn known() -> &'static Mutex<Vec<String>> {
    static KNOWN: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    KNOWN.get_or_init(Mutex::default)
}

/// Remember a secret (as written, and as decoded) for [`scrub`].
pub fn remember(value: &str) {
    if value.len() < SCRUB_MIN_LEN {
        return;
    }
    let mut k = known().lock().unwrap_or_else(|p| p.into_inner());
    if !k.iter().any(|v| v == value) {
        k.push(value.to_string());
        // Longest first, so that a secret containing another is masked whole.
        k.sort_by_key(|v| std::cmp::Reverse(v.len()));
    }
}

/// `text` with every remembered secret replaced by [`MASK`].
pub fn scrub(text: &str) -> Cow<'_, str> {
    let k = known().lock().unwrap_or_else(|p| p.into_inner());
    if !k.iter().any(|v| text.contains(v.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for v in k.iter() {
        out = out.replace(v.as_str(), MASK);
    }
    Cow::Owned(out)
}

/// A writer that scrubs what passes through it (for the log).
pub struct Scrubbing<W>(pub W);

impl<W: std::io::Write> std::io::Write for Scrubbing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(scrub(text).as_bytes()),
            Err(_) => self.0.write_all(buf),
        }?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        remember(&value);
        Secret(value)
    }

    /// The raw value. Call this only where a connection is built
    /// (`connect::config`), never to format output.
    pub(crate) fn expose_to_connection(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_secrets_are_scrubbed_from_free_text() {
        let _ = Secret::new("s3cr3t-long-one");
        remember("p%40ss-encoded");
        assert_eq!(
            scrub("url postgres://u:p%40ss-encoded@h and s3cr3t-long-one!"),
            "url postgres://u:****@h and ****!"
        );
        assert!(matches!(scrub("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn never_formats_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), MASK);
        assert_eq!(format!("{s:?}"), MASK);
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{MASK}\""));
        assert_eq!(s.expose_to_connection(), "hunter2");
    }
}
