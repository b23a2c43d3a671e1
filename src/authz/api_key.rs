//! API-key request signatures (Barong-compatible) and nonce freshness.
//!
//! Signature: lowercase hex HMAC-SHA256/384/512 (by the key's algorithm HS256/384/512)
//! of `nonce + kid`, keyed with the secret's ASCII bytes, compared in constant time
//! (Barong used `==`, W1). The nonce must be a millisecond unix timestamp within the
//! window of now (Barong accepted any string forever, W2).

use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

/// Whether `signature` is the HMAC of `nonce + kid` under `secret`.
pub fn signature_ok(
    algorithm: &str,
    secret: &str,
    nonce: &str,
    kid: &str,
    signature: &str,
) -> bool {
    same_signature(sign(algorithm, secret, nonce, kid), signature)
}

fn mac_hex<M: Mac + hmac::digest::KeyInit>(secret: &str, message: &[u8]) -> Option<String> {
    let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(message);
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// Lowercase hex HMAC of `message` under the key's algorithm; `None` for an algorithm
/// we do not know.
pub fn hmac_hex(algorithm: &str, secret: &str, message: &[u8]) -> Option<String> {
    match algorithm {
        "HS256" => mac_hex::<Hmac<Sha256>>(secret, message),
        "HS384" => mac_hex::<Hmac<Sha384>>(secret, message),
        "HS512" => mac_hex::<Hmac<Sha512>>(secret, message),
        _ => None,
    }
}

/// The signature a client computes (documentation, tests and the README recipe).
pub fn sign(algorithm: &str, secret: &str, nonce: &str, kid: &str) -> Option<String> {
    hmac_hex(algorithm, secret, format!("{nonce}{kid}").as_bytes())
}

/// Whether `signature` equals `expected`, in constant time.
pub fn same_signature(expected: Option<String>, signature: &str) -> bool {
    expected.is_some_and(|expected| {
        crate::crypto::constant_time_eq(expected.as_bytes(), signature.trim().as_bytes())
    })
}

/// Whether the nonce is a millisecond timestamp within `window_ms` of `now_ms`. The
/// distance is taken without overflow: `now - ts` wrapped for nonces near `i64::MIN`
/// (found by the `api_key` fuzz target), and one such value passed as fresh.
pub fn nonce_fresh(nonce: &str, now_ms: i64, window_ms: i64) -> bool {
    nonce
        .trim()
        .parse::<i64>()
        .is_ok_and(|ts| now_ms.abs_diff(ts) <= window_ms.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barong_compatible_signature() {
        // openssl dgst -sha256 -hmac 'secret' <<< -n '1560000000000kid' equivalent:
        let sig = sign("HS256", "secret", "1560000000000", "kid").unwrap();
        assert_eq!(sig.len(), 64);
        assert!(signature_ok(
            "HS256",
            "secret",
            "1560000000000",
            "kid",
            &sig
        ));
        assert!(!signature_ok(
            "HS256",
            "secret",
            "1560000000001",
            "kid",
            &sig
        ));
        assert!(!signature_ok(
            "HS256",
            "Secret",
            "1560000000000",
            "kid",
            &sig
        ));
        assert!(!signature_ok(
            "HS384",
            "secret",
            "1560000000000",
            "kid",
            &sig
        ));
        assert_eq!(sign("HS512", "s", "1", "k").unwrap().len(), 128);
        assert!(!signature_ok("RS256", "s", "1", "k", "x"));
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        assert_eq!(
            sign(
                "HS256",
                "key",
                "The quick brown fox jumps over the lazy ",
                "dog"
            )
            .unwrap(),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn nonce_window() {
        assert!(nonce_fresh("1000000", 1_004_000, 5000));
        assert!(!nonce_fresh("1000000", 1_006_000, 5000));
        assert!(!nonce_fresh("abc", 1_000_000, 5000));
        let now = 1_764_064_800_000_i64;
        for far in [i64::MIN, i64::MAX, now.wrapping_sub(i64::MIN), -now] {
            assert!(!nonce_fresh(&far.to_string(), now, 5000), "{far}");
        }
        assert!(
            nonce_fresh("1006000", 1_004_000, 5000),
            "small clock skew ahead is fine"
        );
    }
}
