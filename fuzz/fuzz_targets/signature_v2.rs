//! Fuzzes version-2 API-key signatures (`barong::authz::signature_v2`): the canonical
//! path (query pairs sorted by name) and the digest and version headers are built from
//! what a client sends, before any key is looked up.
//!
//! Input: lossy UTF-8 split on `\n` into a path, a digest header, a version header and
//! a method. Besides "does not panic" it checks what the edge relies on: the canonical
//! path is a fixed point (canonicalising it again changes nothing), keeps the part
//! before `?` and never carries `#`; a path and its query pairs in another order sign
//! the same; a well-formed digest is 64 lowercase hex characters; only "1", "2" or no
//! header name a version; `sign` answers for the HMAC algorithms with lowercase hex.

#![no_main]

use barong::authz::signature_v2::{
    EMPTY_BODY_DIGEST, body_digest, canonical_path, digest_well_formed, requested_version,
    sign,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\n');
    let path = parts.next().unwrap_or_default();
    let digest = parts.next().unwrap_or_default();
    let version = parts.next();
    let method = parts.next().unwrap_or("GET");

    let canonical = canonical_path(path);
    assert_eq!(canonical_path(&canonical), canonical, "not a fixed point");
    assert!(!canonical.contains('#'));
    let before_query = path.split('#').next().unwrap_or_default();
    let before_query = before_query.split('?').next().unwrap_or_default();
    assert!(canonical.starts_with(before_query));

    if let Some((base, query)) = path.split_once('?')
        && !base.contains('#')
        && !query.contains('#')
    {
        let mut reversed: Vec<&str> = query.split('&').collect();
        reversed.reverse();
        let shuffled = format!("{base}?{}", reversed.join("&"));
        // Reversing changes the order of equal names, which the canonical form keeps.
        let names: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').map_or(p, |(n, _)| n))
            .collect();
        let distinct = names.len()
            == names
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len();
        if distinct {
            assert_eq!(canonical_path(&shuffled), canonical, "order matters");
        }
    }

    if digest_well_formed(digest) {
        assert_eq!(digest.len(), 64);
        assert!(digest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    }
    assert!(digest_well_formed(&body_digest(data)));
    assert!(digest_well_formed(EMPTY_BODY_DIGEST));

    match requested_version(version) {
        Some(1) => assert!(version.is_none_or(|v| v.trim() == "1")),
        Some(2) => assert_eq!(version.map(str::trim), Some("2")),
        None => assert!(version.is_some_and(|v| !matches!(v.trim(), "1" | "2"))),
        Some(other) => panic!("unexpected version {other}"),
    }

    for algorithm in ["HS256", "HS384", "HS512"] {
        let sig = sign(algorithm, "secret", "1", "kid", method, path, digest)
            .expect("HMAC algorithms always sign");
        assert!(sig.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    }
    assert!(sign("none", "secret", "1", "kid", method, path, digest).is_none());
});
