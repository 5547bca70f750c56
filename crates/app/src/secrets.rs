//! Secrets in one place: random tokens for links and sessions, the SHA-256 that is stored in
//! their place, links derived with HMAC-SHA256 from an installation key, and constant-time
//! comparison. Nothing else in the workspace draws randomness for a token or hashes one.

use crate::AppError;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| AppError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(b)
}

/// `bytes` random bytes as lower-case hex (twice as many characters).
pub fn random_hex(bytes: usize) -> Result<String, AppError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| AppError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(hex(&b))
}

/// The SHA-256 of a token as lower-case hex: what the database keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The SHA-256 of bytes as lower-case hex (e.g. a photo's checksum).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// HMAC-SHA256 of `message` with `key`, its first `bytes` bytes as lower-case hex: a link token
/// that only the holder of the installation key can derive.
pub fn derived_token(key: &[u8], message: &[u8], bytes: usize) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    let tag = mac.finalize().into_bytes();
    hex(&tag[..bytes.min(tag.len())])
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2() {
        let tag = derived_token(b"Jefe", b"what do ya want for nothing?", 32);
        assert_eq!(tag, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_eq!(derived_token(b"Jefe", b"what do ya want for nothing?", 24).len(), 48);
    }

    #[test]
    fn a_long_key_is_hashed_first_as_rfc_4231_test_case_6_says() {
        let key = [0xaa_u8; 131];
        let tag = derived_token(&key, b"Test Using Larger Than Block-Size Key - Hash Key First", 32);
        assert_eq!(tag, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    #[test]
    fn tokens_are_random_hex_and_their_hash_is_sha_256() {
        let (a, b) = (random_hex(24).unwrap(), random_hex(24).unwrap());
        assert_eq!(a.len(), 48);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn same_token_compares_whole_tokens() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
        assert!(!same_token("", "a"));
    }
}
