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
        "not a connection string: expected postgres://… or key=value pairs (e.g. \"host=… dbname=…\")"
    )]
    NotAConnectionString,
    #[error(
        "more than one '@' before the host: a password or user name containing '@' must be percent-encoded as %40"
    )]
    ManyAt,
    #[error(
        "invalid percent-encoding in the {0}: '%' must be followed by two hex digits (write '%' itself as %25)"
    )]
    Percent(&'static str),
    #[error("the {0} is not valid UTF-8 after percent-decoding")]
    Utf8(&'static str),
    #[error("unterminated IPv6 address in the host list (missing ']')")]
    Ipv6,
    #[error("invalid port \"{0}\" in the host list: expected a number from 1 to 65535")]
    Port(String),
    #[error("query parameter without '=': \"{0}\"")]
    QueryNoEquals(String),
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

pub fn lex(input: &str) -> Result<Lexed, LexError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(LexError::Empty);
    }
    if let Some(idx) = input.find("://") {
        let scheme = &input[..idx];
        let looks_like_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
            && !scheme.contains('=');
        if looks_like_scheme {
            let (base, driver) = match scheme.split_once('+') {
                Some((b, d)) => (b, Some(d.to_string())),
                None => (scheme, None),
            };
            let base_lc = base.to_ascii_lowercase();
            let ok = matches!(base_lc.as_str(), "postgres" | "postgresql")
                && (driver.is_none() || base_lc == "postgresql");
            if !ok {
                return Err(LexError::Scheme(scheme.to_string()));
            }
            let settings = lex_uri(input, idx + 3)?;
            return Ok(Lexed {
                form: Form::Uri {
                    scheme: scheme.to_string(),
                    driver,
                },
                settings,
            });
        }
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

fn lex_uri(input: &str, start: usize) -> Result<Vec<Setting>, LexError> {
    let mut out = Vec::new();
    let rest = &input[start..];
    // The authority ends at the first '/' or '?'.
    let auth_len = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..auth_len];
    let mut host_part_start = start;
    let mut host_part = authority;
    let at_count = authority.matches('@').count();
    if at_count > 1 {
        return Err(LexError::ManyAt);
    }
    if let Some(at) = authority.find('@') {
        let userinfo = &authority[..at];
        match userinfo.find(':') {
            Some(colon) => {
                if colon > 0 {
                    out.push(setting(
                        "user",
                        &userinfo[..colon],
                        start,
                        "user name",
                        Origin::Userinfo,
                    )?);
                }
                out.push(setting(
                    "password",
                    &userinfo[colon + 1..],
                    start + colon + 1,
                    "password",
                    Origin::Userinfo,
                )?);
            }
            None if !userinfo.is_empty() => {
                out.push(setting(
                    "user",
                    userinfo,
                    start,
                    "user name",
                    Origin::Userinfo,
                )?);
            }
            None => {}
        }
        host_part_start = start + at + 1;
        host_part = &authority[at + 1..];
    }
    lex_host_list(host_part, host_part_start, &mut out)?;

    let mut pos = start + auth_len;
    let after = &input[pos..];
    if let Some(path) = after.strip_prefix('/') {
        let path_len = path.find('?').unwrap_or(path.len());
        if path_len > 0 {
            out.push(setting(
                "dbname",
                &path[..path_len],
                pos + 1,
                "database name",
                Origin::Path,
            )?);
        }
        pos += 1 + path_len;
    }
    if input[pos..].starts_with('?') {
        pos += 1;
        for piece in input[pos..].split('&') {
            let piece_start = pos;
            pos += piece.len() + 1;
            if piece.is_empty() {
                continue;
            }
            let Some(eq) = piece.find('=') else {
                return Err(LexError::QueryNoEquals(piece.to_string()));
            };
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

/// `host1[:port1][,host2[:port2]…]`, hosts possibly `[ipv6]`.
fn lex_host_list(list: &str, start: usize, out: &mut Vec<Setting>) -> Result<(), LexError> {
    if list.is_empty() {
        return Ok(());
    }
    let mut offset = 0;
    for item in split_hosts(list)? {
        let item_start = start + offset;
        offset += item.len() + 1;
        let (host_raw, host_off, port) = if let Some(inner) = item.strip_prefix('[') {
            let close = inner.find(']').ok_or(LexError::Ipv6)?;
            let port = inner[close + 1..].strip_prefix(':');
            (&inner[..close], 1, port.map(|p| (p, close + 3)))
        } else {
            match item.rfind(':') {
                Some(c) => (&item[..c], 0, Some((&item[c + 1..], c + 1))),
                None => (item, 0, None),
            }
        };
        out.push(setting(
            "host",
            host_raw,
            item_start + host_off,
            "host name",
            Origin::Authority,
        )?);
        if let Some((p, p_off)) = port
            && !p.is_empty()
        {
            if !p.chars().all(|c| c.is_ascii_digit())
                || p.parse::<u16>().is_ok_and(|n| n == 0)
                || p.parse::<u16>().is_err()
            {
                return Err(LexError::Port(p.to_string()));
            }
            out.push(setting(
                "port",
                p,
                item_start + p_off,
                "port",
                Origin::Authority,
            )?);
        }
    }
    Ok(())
}

fn split_hosts(list: &str) -> Result<Vec<&str>, LexError> {
    let mut items = Vec::new();
    let mut depth = false;
    let mut last = 0;
    for (i, c) in list.char_indices() {
        match c {
            '[' => depth = true,
            ']' => depth = false,
            ',' if !depth => {
                items.push(&list[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    if depth {
        return Err(LexError::Ipv6);
    }
    items.push(&list[last..]);
    Ok(items)
}

fn lex_keyword_value(input: &str) -> Result<Vec<Setting>, LexError> {
    let b = input.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &input[key_start..i];
        if key.is_empty() {
            return Err(LexError::EmptyKeyword(key_start));
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            return Err(LexError::KeywordNoEquals(key.to_string()));
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
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
            while i < b.len() && !b[i].is_ascii_whitespace() {
                if b[i] == b'\\' && i + 1 < b.len() {
                    value.push(b[i + 1]);
                    escaped = true;
                    i += 2;
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
            "postgres://u:secret@h:99999/db",
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
