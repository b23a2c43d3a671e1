//! API-key signatures, version 2: the HMAC covers what the request does, not only who
//! sends it. Barong's version 1 signs `nonce + kid`, so a captured signature can be
//! replayed (within its nonce window, on another instance, or before the nonce reaches
//! the store) against any path, with any method and body. Version 2 signs
//!
//! ```text
//! nonce \n kid \n METHOD \n /public/path?sorted=query \n hex(sha256(body))
//! ```
//!
//! where the path is what the client sent to the gateway (leading slash kept, query
//! parameters sorted by name, each `name=value` pair kept byte for byte) and the body
//! digest travels in `X-Auth-Content-SHA256`, checked against the body whenever the
//! gateway forwards it.

use sha2::{Digest, Sha256};

use super::api_key::hmac_hex;

/// Header carrying the signature version (`1` when absent).
pub const VERSION_HEADER: &str = "x-auth-signature-version";
/// Header carrying the lowercase hex SHA-256 of the request body.
pub const CONTENT_DIGEST_HEADER: &str = "x-auth-content-sha256";
/// SHA-256 of the empty string: the digest a request without a body sends.
pub const EMPTY_BODY_DIGEST: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The signature version a request asks for: `Some(1)` when the header is absent,
/// `None` for anything but `1` or `2`.
pub fn requested_version(header: Option<&str>) -> Option<u8> {
    match header.map(str::trim) {
        None | Some("1") => Some(1),
        Some("2") => Some(2),
        Some(_) => None,
    }
}

/// The path as signed: `raw` up to any `#`, its query pairs sorted by name (stable, so
/// repeated names keep their order), empty pairs dropped, no `?` when nothing is left.
pub fn canonical_path(raw: &str) -> String {
    let raw = raw.split('#').next().unwrap_or_default();
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_by_key(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// Whether `digest` looks like a SHA-256 in lowercase hex.
pub fn digest_well_formed(digest: &str) -> bool {
    digest.len() == 64
        && digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The lowercase hex SHA-256 of a body.
pub fn body_digest(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The text that is signed.
pub fn string_to_sign(nonce: &str, kid: &str, method: &str, path: &str, digest: &str) -> String {
    format!(
        "{nonce}\n{kid}\n{}\n{}\n{digest}",
        method.to_uppercase(),
        canonical_path(path)
    )
}

/// The version-2 signature a client computes (documentation, tests, README recipe).
pub fn sign(
    algorithm: &str,
    secret: &str,
    nonce: &str,
    kid: &str,
    method: &str,
    path: &str,
    digest: &str,
) -> Option<String> {
    hmac_hex(
        algorithm,
        secret,
        string_to_sign(nonce, kid, method, path, digest).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_sorted_by_name_and_kept_as_sent() {
        assert_eq!(
            canonical_path("/api/v2/peatio/market/orders?side=buy&market=btcusd"),
            "/api/v2/peatio/market/orders?market=btcusd&side=buy"
        );
        assert_eq!(
            canonical_path("/a?b=2&a=%20x&b=1#frag"),
            "/a?a=%20x&b=2&b=1"
        );
        assert_eq!(canonical_path("/a?"), "/a");
        assert_eq!(canonical_path("/a?&&flag"), "/a?flag");
        assert_eq!(canonical_path("/a"), "/a");
    }

    #[test]
    fn versions_and_digests() {
        assert_eq!(requested_version(None), Some(1));
        assert_eq!(requested_version(Some(" 2 ")), Some(2));
        assert_eq!(requested_version(Some("3")), None);
        assert_eq!(body_digest(b""), EMPTY_BODY_DIGEST);
        assert!(digest_well_formed(EMPTY_BODY_DIGEST));
        assert!(!digest_well_formed(&EMPTY_BODY_DIGEST.to_uppercase()));
        assert!(!digest_well_formed("abc"));
    }

    #[test]
    fn readme_worked_example() {
        let body = br#"{"market":"btcusd","side":"buy","volume":"1"}"#;
        let digest = body_digest(body);
        assert_eq!(
            digest,
            "18bc5ba4a98641f6e135e3fb2293500c1ea65b60907611ba52df399b1bef7704"
        );
        let sig = sign(
            "HS256",
            "0123456789abcdef0123456789abcdef",
            "1764064800000",
            "a1b2c3d4e5f60718",
            "POST",
            "/api/v2/peatio/market/orders?side=buy&market=btcusd",
            &digest,
        );
        assert_eq!(
            sig.as_deref(),
            Some("a4583dfee008d8711ed726f77cd2e2db2a900e9f48c42835204db0932d7f5f5b")
        );
    }

    #[test]
    fn signature_covers_method_path_and_body() {
        let sig =
            |m: &str, p: &str, d: &str| sign("HS256", "s3cret", "1700000000000", "kid1", m, p, d);
        let base = sig("POST", "/api/v2/x?b=1&a=2", EMPTY_BODY_DIGEST).unwrap();
        assert_eq!(
            base,
            sig("post", "/api/v2/x?a=2&b=1", EMPTY_BODY_DIGEST).unwrap()
        );
        assert_ne!(
            base,
            sig("PUT", "/api/v2/x?b=1&a=2", EMPTY_BODY_DIGEST).unwrap()
        );
        assert_ne!(
            base,
            sig("POST", "/api/v2/y?b=1&a=2", EMPTY_BODY_DIGEST).unwrap()
        );
        assert_ne!(
            base,
            sig("POST", "/api/v2/x?b=1&a=3", EMPTY_BODY_DIGEST).unwrap()
        );
        assert_ne!(
            base,
            sig("POST", "/api/v2/x?b=1&a=2", &body_digest(b"{}")).unwrap()
        );
        // Worked example of the README (Python's hmac gives the same).
        assert_eq!(
            string_to_sign(
                "1700000000000",
                "kid1",
                "GET",
                "/api/v2/a?z=1&y=2",
                EMPTY_BODY_DIGEST
            ),
            format!("1700000000000\nkid1\nGET\n/api/v2/a?y=2&z=1\n{EMPTY_BODY_DIGEST}")
        );
    }
}
