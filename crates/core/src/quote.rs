//! Names and literals written into SQL, by one function each. A name is
//! kept unquoted, as PostgreSQL stores it, until it is written; generated
//! names are cut on characters, to PostgreSQL's 63 bytes, before quoting.

use pg_query::protobuf::KeywordKind;

/// PostgreSQL's limit on a name's length, in bytes (NAMEDATALEN - 1).
pub const NAME_BYTES: usize = 63;

/// A name quoted always: `"a ""b"""`.
pub fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A name quoted as PostgreSQL's `quote_ident` (and `format('%I')`) quotes
/// it: bare when it is lower case letters, digits and underscores, starts
/// with a letter or underscore and is not a keyword that needs quoting.
pub fn ident_min(s: &str) -> String {
    let simple = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if simple && !needs_quoting_as_keyword(s) {
        s.to_string()
    } else {
        ident(s)
    }
}

/// A keyword other than an unreserved one (what `quote_ident` quotes).
fn needs_quoting_as_keyword(s: &str) -> bool {
    match pg_query::scan(s) {
        Ok(r) => match r.tokens.as_slice() {
            [t] => !matches!(
                KeywordKind::try_from(t.keyword_kind),
                Ok(KeywordKind::NoKeyword | KeywordKind::UnreservedKeyword)
            ),
            _ => true,
        },
        Err(_) => true,
    }
}

/// Parts of a qualified name, each quoted as `ident_min`, joined by dots.
pub fn qualified<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(|p| ident_min(p.as_ref()))
        .collect::<Vec<_>>()
        .join(".")
}

/// A string literal: `'it''s'`.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `name` with `suffix`, at most 63 bytes: the name is cut on a character
/// boundary, never inside one, so that the suffix is always whole.
pub fn with_suffix(name: &str, suffix: &str) -> String {
    let mut keep = NAME_BYTES.saturating_sub(suffix.len()).min(name.len());
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{suffix}", &name[..keep])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_as_postgresql_quotes_them() {
        assert_eq!(ident_min("orders"), "orders");
        assert_eq!(ident_min("Orders"), "\"Orders\"");
        assert_eq!(ident_min("a.b"), "\"a.b\"");
        assert_eq!(ident_min("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(ident_min("select"), "\"select\"");
        assert_eq!(ident_min("user"), "\"user\"");
        // Unreserved keywords stay bare, as quote_ident leaves them.
        assert_eq!(ident_min("name"), "name");
        assert_eq!(ident_min("version"), "version");
        assert_eq!(ident_min("1a"), "\"1a\"");
        assert_eq!(ident_min("é"), "\"é\"");
        assert_eq!(ident_min(""), "\"\"");
        assert_eq!(qualified(&["public", "My Table"]), "public.\"My Table\"");
        assert_eq!(literal("it's"), "'it''s'");
    }

    #[test]
    fn a_suffix_cuts_the_name_on_characters_to_63_bytes() {
        assert_eq!(with_suffix("abc", "_new"), "abc_new");
        let long = "d".repeat(63);
        let cut = with_suffix(&long, "_not_null_neonops");
        assert_eq!(cut.len(), 63);
        assert!(cut.ends_with("_not_null_neonops"));
        // Two-byte characters: never cut in half.
        let wide = "é".repeat(40);
        let cut = with_suffix(&wide, "_neonops_new");
        assert!(cut.len() <= 63 && cut.ends_with("_neonops_new"), "{cut}");
        assert_eq!(cut.len(), 62, "25 two-byte characters and the suffix");
    }
}
