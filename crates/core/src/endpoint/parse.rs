//! Lexing of connection strings: libpq URIs (with SQLAlchemy's `+driver`
//! schemes) and libpq `key=value` strings.
//!
//! The lexer keeps, for every value, the byte range of its text in the input,
//! so that conversions can edit exactly one piece of what the user wrote and
//! redaction can mask exactly the password. No crate parses libpq's
//! multi-host URIs (`postgres://a:5432,b:5433/db`), hence this module.

use std::ops::Range;

use thiserror::Error;

/// Byte range of a value's text inside the original connection string.
pub type Span = Range<usize>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `postgres://…`, `postgresql://…`, `postgresql+driver://…`
    Uri {
        scheme: String,
        driver: Option<String>,
    },
    /// `host=… user=… dbname=…`
    KeyValue,
}

/// Where a setting came from in the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// user or password in the URI's `user:password@` part
    Userinfo,
    /// host or port in the URI's authority
    Authority,
    /// the database in the URI's path
    Path,
    /// a `?key=value` query parameter
    Query,
    /// a `key=value` keyword
    Keyword,
}

#[derive(Debug, Clone)]
pub struct Setting {
    pub key: String,
    /// Decoded value.
    pub value: String,
    /// Where the raw text of the value sits in the input.
    pub span: Span,
    /// True when the raw text equals the decoded value (no escapes, no
    /// percent-encoding), so the span can be edited in place.
    pub verbatim: bool,
    pub origin: Origin,
}

/// Errors name the part of the input that is wrong, never a password.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LexError {
    #[error("the connection string is empty")]
    Empty,
    #[error(
        "unsupported scheme \"{0}\": use postgres://, postgresql:// (or postgresql+driver://), or a libpq key=value string"
    )]
    Scheme(String),
    #[error(
        "the scheme \"{0}\" must be written in lower case (postgres:// or postgresql://), as libpq requires"
    )]
    SchemeCase(String),
    #[error(
        "not a connection string: expected postgres://… or key=value pairs (e.g. \"host=… dbname=…\")"
    )]
    NotAConnectionString,
    #[error(
        "an '@' in the host list: a password or user name containing '@' must be percent-encoded as %40"
    )]
    ManyAt,
    #[error(
        "invalid percent-encoding in the {0}: '%' must be followed by two hex digits (write '%' itself as %25)"
    )]
    Percent(&'static str),
    #[error("the {0} is not valid UTF-8 after percent-decoding")]
    Utf8(&'static str),
    #[error("the {0} contains %00 (a NUL byte), which libpq forbids")]
    Nul(&'static str),
    #[error("unterminated IPv6 address in the host list (missing ']')")]
    Ipv6,
    #[error("an empty IPv6 address ([]) in the host list")]
    Ipv6Empty,
    #[error(
        "unexpected \"{0}\" after an IPv6 address in the host list: expected ':', '/', '?' or ','"
    )]
    AfterIpv6(char),
    #[error("query parameter without '=': \"{0}\" (an empty one comes from a stray '&')")]
    QueryNoEquals(String),
    #[error("query parameter \"{0}\" has a second '=': percent-encode an '=' in a value as %3D")]
    QueryTwoEquals(String),
    #[error("missing '=' after keyword \"{0}\" in the key=value string")]
    KeywordNoEquals(String),
    #[error("unterminated quoted value for keyword \"{0}\"")]
    Unterminated(String),
    #[error("empty keyword in the key=value string near byte {0}")]
    EmptyKeyword(usize),
}

#[derive(Debug, Clone)]
pub struct Lexed {
    pub form: Form,
    pub settings: Vec<Setting>,
}

/// The scheme at the start of `input` (`letters+digits+.-://`), if any.
fn scheme_of(input: &str) -> Option<&str> {
    let idx = input.find("://")?;
    let scheme = &input[..idx];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'))
    .then_some(scheme)
}

pub fn lex(input: &str) -> Result<Lexed, LexError> {
    // libpq takes an empty string as "all defaults"; for neonops it is a
    // mistake (an unset variable), said as such.
    if input.trim().is_empty() {
        return Err(LexError::Empty);
    }
    if let Some(scheme) = scheme_of(input) {
        let (base, driver) = match scheme.split_once('+') {
            Some((b, d)) => (b, Some(d.to_string())),
            None => (scheme, None),
        };
        // libpq's prefixes are exact: postgresql:// and postgres://. SQLAlchemy's
        // postgresql+driver:// is read as postgresql://.
        let ok = match &driver {
            None => matches!(base, "postgres" | "postgresql"),
            Some(_) => base == "postgresql",
        };
        if !ok {
            let lower = base.to_ascii_lowercase();
            if matches!(lower.as_str(), "postgres" | "postgresql") && driver.is_none() {
                return Err(LexError::SchemeCase(scheme.to_string()));
            }
            return Err(LexError::Scheme(scheme.to_string()));
        }
        let settings = lex_uri(input, scheme.len() + 3)?;
        return Ok(Lexed {
            form: Form::Uri {
                scheme: scheme.to_string(),
                driver,
            },
            settings,
        });
    }
    if !input.contains('=') {
        return Err(LexError::NotAConnectionString);
    }
    Ok(Lexed {
        form: Form::KeyValue,
        settings: lex_keyword_value(input)?,
    })
}

fn decode(raw: &str, what: &'static str) -> Result<String, LexError> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(LexError::Percent(what));
            }
            if &bytes[i + 1..i + 3] == b"00" {
                return Err(LexError::Nul(what));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| LexError::Utf8(what))
}

fn setting(
    key: &str,
    raw: &str,
    start: usize,
    what: &'static str,
    origin: Origin,
) -> Result<Setting, LexError> {
    let value = decode(raw, what)?;
    Ok(Setting {
        key: key.to_string(),
        verbatim: value == raw,
        value,
        span: start..start + raw.len(),
        origin,
    })
}

/// One item of a URI's host list: the host and its offset, the port and its offset.
type HostItem<'a> = (&'a str, usize, Option<(&'a str, usize)>);

/// A URI, split as libpq splits it (`conninfo_uri_parse_options`): the
/// user information runs to the first '@' before any '/'; each host of the
/// list ends at ':', '/', '?' or ',', and its port at '/', '?' or ','; the
/// database name runs to '?'; query parameters are `key=value` joined by '&'.
fn lex_uri(input: &str, start: usize) -> Result<Vec<Setting>, LexError> {
    let mut out = Vec::new();
    let rest = &input[start..];
    let mut p = 0;
    if let Some(at) = rest
        .find(['@', '/'])
        .filter(|&i| rest.as_bytes()[i] == b'@')
    {
        let userinfo = &rest[..at];
        let (user, password) = match userinfo.find(':') {
            Some(c) => (&userinfo[..c], Some((&userinfo[c + 1..], c + 1))),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            out.push(setting("user", user, start, "user name", Origin::Userinfo)?);
        }
        if let Some((pw, off)) = password
            && !pw.is_empty()
        {
            out.push(setting(
                "password",
                pw,
                start + off,
                "password",
                Origin::Userinfo,
            )?);
        }
        p = at + 1;
    }
    let b = rest.as_bytes();
    let mut items: Vec<HostItem> = Vec::new();
    let mut end = loop {
        let (host, host_at);
        if b.get(p) == Some(&b'[') {
            let close = rest[p + 1..].find(']').ok_or(LexError::Ipv6)? + p + 1;
            if close == p + 1 {
                return Err(LexError::Ipv6Empty);
            }
            host = &rest[p + 1..close];
            host_at = p + 1;
            p = close + 1;
            match b.get(p) {
                None | Some(b':' | b'/' | b'?' | b',') => {}
                Some(_) => {
                    return Err(LexError::AfterIpv6(rest[p..].chars().next().unwrap_or('?')));
                }
            }
        } else {
            let stop = rest[p..]
                .find([':', '/', '?', ','])
                .map_or(rest.len(), |i| p + i);
            host = &rest[p..stop];
            host_at = p;
            p = stop;
        }
        let mut port = None;
        if b.get(p) == Some(&b':') {
            let from = p + 1;
            let stop = rest[from..]
                .find(['/', '?', ','])
                .map_or(rest.len(), |i| from + i);
            port = Some((&rest[from..stop], from));
            p = stop;
        }
        items.push((host, host_at, port));
        if b.get(p) == Some(&b',') {
            p += 1;
            continue;
        }
        break b.get(p).copied();
    };
    for (host, at, port) in &items {
        // libpq splits the host list before it decodes it: a host with an
        // '@' in it is a password that should have been encoded.
        if host.contains('@') {
            return Err(LexError::ManyAt);
        }
        out.push(setting(
            "host",
            host,
            start + at,
            "host name",
            Origin::Authority,
        )?);
        if let Some((port, at)) = port
            && !port.is_empty()
        {
            out.push(setting(
                "port",
                port,
                start + at,
                "port",
                Origin::Authority,
            )?);
        }
    }
    if end == Some(b'/') {
        let from = p + 1;
        let stop = rest[from..].find('?').map_or(rest.len(), |i| from + i);
        if stop > from {
            out.push(setting(
                "dbname",
                &rest[from..stop],
                start + from,
                "database name",
                Origin::Path,
            )?);
        }
        p = stop;
        end = b.get(p).copied();
    }
    if end == Some(b'?') {
        let mut pos = start + p + 1;
        let pieces: Vec<&str> = input[pos..].split('&').collect();
        for (n, piece) in pieces.iter().enumerate() {
            let piece_start = pos;
            pos += piece.len() + 1;
            // libpq allows nothing after the last '&' (or after '?').
            if piece.is_empty() && n + 1 == pieces.len() {
                break;
            }
            let Some(eq) = piece.find('=') else {
                return Err(LexError::QueryNoEquals(piece.to_string()));
            };
            if piece[eq + 1..].contains('=') {
                return Err(LexError::QueryTwoEquals(piece[..eq].to_string()));
            }
            let key = decode(&piece[..eq], "query parameter name")?;
            let what = if is_secret_key(&key) {
                "password"
            } else {
                "query parameter value"
            };
            out.push(setting(
                &key,
                &piece[eq + 1..],
                piece_start + eq + 1,
                what,
                Origin::Query,
            )?);
        }
    }
    Ok(out)
}

/// Keys whose values are secrets and are masked in every output.
pub fn is_secret_key(key: &str) -> bool {
    matches!(key, "password" | "sslpassword")
}

/// C's `isspace`, which libpq uses: space, \t, \n, \v, \f, \r.
trait CSpace {
    fn is_c_space(&self) -> bool;
}

impl CSpace for u8 {
    fn is_c_space(&self) -> bool {
        matches!(self, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
    }
}

/// A `key=value` string, as libpq's `conninfo_parse` reads it.
fn lex_keyword_value(input: &str) -> Result<Vec<Setting>, LexError> {
    let b = input.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_c_space() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_c_space() {
            i += 1;
        }
        let key = &input[key_start..i];
        if key.is_empty() {
            return Err(LexError::EmptyKeyword(key_start));
        }
        while i < b.len() && b[i].is_c_space() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            return Err(LexError::KeywordNoEquals(key.to_string()));
        }
        i += 1;
        while i < b.len() && b[i].is_c_space() {
            i += 1;
        }
        let (value, span, verbatim) = if i < b.len() && b[i] == b'\'' {
            i += 1;
            let vstart = i;
            let mut value = Vec::new();
            let mut escaped = false;
            loop {
                if i >= b.len() {
                    return Err(LexError::Unterminated(key.to_string()));
                }
                match b[i] {
                    b'\\' if i + 1 < b.len() => {
                        value.push(b[i + 1]);
                        escaped = true;
                        i += 2;
                    }
                    b'\'' => break,
                    c => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
            let span = vstart..i;
            i += 1;
            (String::from_utf8_lossy(&value).into_owned(), span, !escaped)
        } else {
            let vstart = i;
            let mut value = Vec::new();
            let mut escaped = false;
            while i < b.len() && !b[i].is_c_space() {
                if b[i] == b'\\' {
                    // A backslash escapes the next byte; a trailing one is dropped.
                    if i + 1 < b.len() {
                        value.push(b[i + 1]);
                    }
                    escaped = true;
                    i = (i + 2).min(b.len());
                } else {
                    value.push(b[i]);
                    i += 1;
                }
            }
            (
                String::from_utf8_lossy(&value).into_owned(),
                vstart..i,
                !escaped,
            )
        };
        out.push(Setting {
            key: key.to_string(),
            value,
            span,
            verbatim,
            origin: Origin::Keyword,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(l: &'a Lexed, key: &str) -> Vec<&'a str> {
        l.settings
            .iter()
            .filter(|s| s.key == key)
            .map(|s| s.value.as_str())
            .collect()
    }

    #[test]
    fn uri_with_everything() {
        let s = "postgresql://us%40er:p%40ss%3Aw%2Fo%25rd@h1:5432,[::1]:5433,h3/my%20db?sslmode=require&application_name=x";
        let l = lex(s).unwrap();
        assert_eq!(get(&l, "user"), ["us@er"]);
        assert_eq!(get(&l, "password"), ["p@ss:w/o%rd"]);
        assert_eq!(get(&l, "host"), ["h1", "::1", "h3"]);
        assert_eq!(get(&l, "port"), ["5432", "5433"]);
        assert_eq!(get(&l, "dbname"), ["my db"]);
        assert_eq!(get(&l, "sslmode"), ["require"]);
        let pw = l.settings.iter().find(|s| s.key == "password").unwrap();
        assert_eq!(&s[pw.span.clone()], "p%40ss%3Aw%2Fo%25rd");
        let h = l
            .settings
            .iter()
            .filter(|s| s.key == "host")
            .nth(1)
            .unwrap();
        assert_eq!(&s[h.span.clone()], "::1");
    }

    #[test]
    fn keyword_value_with_quotes() {
        let s = "host=h port = 6432 password='a b\\'c' dbname=d";
        let l = lex(s).unwrap();
        assert_eq!(get(&l, "password"), ["a b'c"]);
        assert_eq!(get(&l, "port"), ["6432"]);
        assert_eq!(l.form, Form::KeyValue);
    }

    #[test]
    fn errors_never_contain_the_password() {
        for s in [
            "postgres://u:se%zzcret@h/db",
            "postgres://u:se@cret@h/db",
            "postgres://u:secret@[::1/db",
        ] {
            let e = lex(s).unwrap_err().to_string();
            assert!(!e.contains("secret") && !e.contains("cret"), "{e}");
        }
    }

    #[test]
    fn rejects_other_schemes() {
        assert!(matches!(lex("mysql://h/db"), Err(LexError::Scheme(_))));
        assert!(matches!(
            lex("postgres+asyncpg://h/db"),
            Err(LexError::Scheme(_))
        ));
        assert!(matches!(
            lex("just words"),
            Err(LexError::NotAConnectionString)
        ));
    }
}
