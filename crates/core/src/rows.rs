//! What every simple-query answer is read as: its rows, each a vector of
//! text (NULL as the empty string), and FNV-1a, the one small hash of
//! names and texts that must be the same from run to run and machine to
//! machine (a lock key, a shard, an edited prefix).

use tokio_postgres::SimpleQueryMessage;

/// The rows of an answer, as text.
pub fn text(messages: &[SimpleQueryMessage]) -> Vec<Vec<String>> {
    messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(
                (0..r.len())
                    .map(|i| r.get(i).unwrap_or("").to_string())
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

/// 64-bit FNV-1a of byte strings, each followed by a 0 byte when `separated`.
pub fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a [u8]>, separated: bool) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        let end: &[u8] = if separated { &[0] } else { &[] };
        for &b in part.iter().chain(end) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // The reference values of the FNV test suite (64-bit FNV-1a).
        assert_eq!(fnv1a([&b""[..]], false), 0xcbf29ce484222325);
        assert_eq!(fnv1a([&b"a"[..]], false), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a([&b"foobar"[..]], false), 0x85944171f73967e8);
        assert_eq!(
            fnv1a([&b"foo"[..], &b"bar"[..]], false),
            fnv1a([&b"foobar"[..]], false)
        );
        assert_ne!(
            fnv1a([&b"foo"[..], &b"bar"[..]], true),
            fnv1a([&b"foobar"[..]], true)
        );
    }
}
