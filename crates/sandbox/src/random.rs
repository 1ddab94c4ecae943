//! The sandbox's random strings (passwords, API keys, ids), from the
//! operating system's cryptographic generator through OpenSSL's
//! `RAND_bytes`, never a fast non-cryptographic one.

use anyhow::{Context as _, Result};

/// Lower-case letters and digits.
pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Letters of both cases and digits.
pub const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A number below `len` (1 to 256), each equally likely: a byte past the
/// last whole multiple of `len` is drawn again, so that none is favoured.
pub fn below(len: usize) -> Result<usize> {
    assert!((1..=256).contains(&len));
    let limit = 256 - 256 % len;
    loop {
        let mut b = [0u8; 1];
        openssl::rand::rand_bytes(&mut b).context("the system's random generator")?;
        if (b[0] as usize) < limit {
            return Ok(b[0] as usize % len);
        }
    }
}

/// `n` characters of `alphabet`, each equally likely.
pub fn token(n: usize, alphabet: &[u8]) -> Result<String> {
    (0..n)
        .map(|_| Ok(alphabet[below(alphabet.len())?] as char))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_length_and_alphabet_asked_and_differ() {
        let a = token(24, ALNUM).unwrap();
        let b = token(24, ALNUM).unwrap();
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| ALNUM.contains(&c)), "{a}");
        assert_ne!(a, b);
        assert_eq!(token(0, LOWER_ALNUM).unwrap(), "");
    }

    #[test]
    fn every_character_of_the_alphabet_comes_up_about_as_often() {
        // 36 letters, 360,000 draws: each comes 10,000 times give or
        // take 100 (one standard deviation). A modulo bias (256 % 36 = 4
        // letters with 8 chances in 256 instead of 7) would bring four of
        // them to about 11,250, past the bound of five deviations here.
        let mut seen = [0usize; 36];
        for _ in 0..360_000 {
            seen[below(36).unwrap()] += 1;
        }
        for (i, k) in seen.iter().enumerate() {
            assert!((9_500..10_500).contains(k), "{i} came {k} times");
        }
    }
}
