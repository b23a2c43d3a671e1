//! Fuzzes API-key signature checking and nonce freshness (`barong::authz::api_key`):
//! `sign`, `signature_ok` and `nonce_fresh` receive the client's `X-Auth-Nonce`,
//! `X-Auth-Apikey` and `X-Auth-Signature` header values and the key's stored algorithm
//! and secret.
//!
//! Checks, from the module's documentation: `sign` answers only for HS256/384/512, with
//! lowercase hex of the digest's length; a signature made by `sign` is accepted, and
//! `signature_ok` (a constant-time compare) agrees with a plain comparison of the trimmed
//! header against `sign`; the MAC is over `nonce + kid`; `nonce_fresh` is true exactly when
//! the trimmed nonce is an `i64` within `window_ms` of `now_ms` (computed here without
//! overflow). `now_ms` and `window_ms` stay in realistic ranges (a clock between 1970 and
//! 2100, a window of up to a day), so any failure is reachable from the headers alone.
#![no_main]

use arbitrary::Arbitrary;
use barong::authz::api_key::{nonce_fresh, sign, signature_ok};
use libfuzzer_sys::fuzz_target;

const KNOWN: [(&str, usize); 3] = [("HS256", 64), ("HS384", 96), ("HS512", 128)];

#[derive(Debug, Arbitrary)]
enum Algorithm {
    Known(u8),
    Other(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    algorithm: Algorithm,
    secret: String,
    nonce: String,
    kid: String,
    signature: String,
    now_ms: u64,
    window_ms: u32,
}

fuzz_target!(|input: Input| {
    let algorithm = match &input.algorithm {
        Algorithm::Known(i) => KNOWN[usize::from(*i) % KNOWN.len()].0.to_owned(),
        Algorithm::Other(s) => s.clone(),
    };
    let (secret, nonce, kid) = (&input.secret, &input.nonce, &input.kid);

    let expected_len = KNOWN
        .iter()
        .find(|(name, _)| *name == algorithm)
        .map(|(_, len)| *len);
    let signed = sign(&algorithm, secret, nonce, kid);
    match (&signed, expected_len) {
        (Some(sig), Some(len)) => {
            assert_eq!(sig.len(), len, "wrong signature length for {algorithm}");
            assert!(
                sig.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "signature is not lowercase hex: {sig:?}"
            );
            assert!(signature_ok(&algorithm, secret, nonce, kid, sig));
            // The MAC covers the concatenation `nonce + kid`.
            let joined = format!("{nonce}{kid}");
            assert_eq!(sign(&algorithm, secret, &joined, "").as_ref(), Some(sig));
        }
        (None, None) => {
            assert!(!signature_ok(&algorithm, secret, nonce, kid, &input.signature));
        }
        _ => panic!("sign({algorithm:?}) = {signed:?}, expected length {expected_len:?}"),
    }

    // The constant-time compare agrees with `==` on arbitrary client signatures.
    let ok = signature_ok(&algorithm, secret, nonce, kid, &input.signature);
    let plain = signed
        .as_deref()
        .is_some_and(|sig| sig == input.signature.trim());
    assert_eq!(ok, plain, "signature_ok disagrees with a plain comparison");

    // 1970..2100 and a window of at most a day.
    let now_ms = i64::try_from(input.now_ms % 4_102_444_800_000).unwrap_or(0);
    let window_ms = i64::from(input.window_ms % 86_400_001);
    let fresh = nonce_fresh(nonce, now_ms, window_ms);
    let expected = nonce.trim().parse::<i64>().is_ok_and(|ts| {
        (i128::from(now_ms) - i128::from(ts)).abs() <= i128::from(window_ms)
    });
    assert_eq!(
        fresh, expected,
        "nonce_fresh({nonce:?}, {now_ms}, {window_ms}) = {fresh}"
    );
});
