//! PostgreSQL does not always print an expression the way it prints it
//! again once that text is parsed back: `status IN ('a', 'b')` on a varchar
//! column comes back as `ARRAY[('a'::varchar)::text, …]` the first time and
//! `(ARRAY['a'::varchar, …])::text[]` the next. Two definitions that differ
//! only in their casts and parentheses are the same object; without this a
//! plan's second diff would never be empty.

/// Words that continue a type's name after a space.
const CONTINUED: &[&str] = &["varying", "precision", "with", "without", "time", "zone"];

/// The text without casts, parentheses and repeated spaces (string
/// literals kept as they are).
pub(super) fn canonical(def: &str) -> String {
    let b = def.as_bytes();
    let mut out = String::with_capacity(def.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                // A literal, '' inside it included.
                let start = i;
                i += 1;
                while i < b.len() {
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(b.len());
                out.push_str(&def[start..i]);
            }
            b':' if b.get(i + 1) == Some(&b':') => i = skip_type(def, i + 2),
            b'(' | b')' => i += 1,
            c if c.is_ascii_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                i += 1;
            }
            _ => {
                let ch = def[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out.trim().to_string()
}

/// Past a type name: `"quoted"` or `word[.word]`, the words that continue
/// it, a `(typmod)`, any `[]`.
fn skip_type(def: &str, mut i: usize) -> usize {
    let b = def.as_bytes();
    if b.get(i) == Some(&b'"') {
        i += 1;
        while i < b.len() && b[i] != b'"' {
            i += 1;
        }
        i = (i + 1).min(b.len());
    } else {
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
            i += 1;
        }
    }
    loop {
        let rest = &def[i..];
        match CONTINUED.iter().find(|w| {
            rest.strip_prefix(' ').is_some_and(|r| {
                r.starts_with(*w)
                    && !r[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        }) {
            Some(w) => i += 1 + w.len(),
            None => break,
        }
    }
    if b.get(i) == Some(&b'(') {
        while i < b.len() && b[i] != b')' {
            i += 1;
        }
        i = (i + 1).min(b.len());
    }
    while def[i..].starts_with("[]") {
        i += 2;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn casts_and_parentheses_do_not_count_and_literals_do() {
        assert_eq!(
            canonical(
                "CHECK (((status)::text = ANY (ARRAY[('pending'::character varying)::text, ('shipped'::character varying)::text])))"
            ),
            canonical(
                "CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'shipped'::character varying])::text[])))"
            )
        );
        assert_eq!(
            canonical("DEFAULT now()::timestamp with time zone"),
            "DEFAULT now"
        );
        assert_ne!(canonical("CHECK (a > 0)"), canonical("CHECK (a > 1)"));
        assert_ne!(canonical("'it''s :: (x)'"), canonical("'it''s :: x'"));
        assert_eq!(canonical("x::numeric(12,2) > 0"), "x > 0");
        assert_eq!(canonical("x::\"My Type\"[] = y"), "x = y");
    }
}
