//! The three key kinds: parsing a PEM private key into signing and verification keys and
//! a public JWK, and generating a fresh key of a kind.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value, json};

use super::KeyError;

/// A parsed private key.
pub(super) struct Parsed {
    pub algorithm: Algorithm,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    pub jwk: Map<String, Value>,
    /// Public bytes the key id is derived from.
    pub fingerprint: Vec<u8>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid(e: impl std::fmt::Display) -> KeyError {
    KeyError::Invalid(e.to_string())
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Tries RSA, then P-256, then Ed25519.
pub(super) fn parse(pem: &str) -> Result<Parsed, KeyError> {
    if let Ok(key) =
        rsa::RsaPrivateKey::from_pkcs8_pem(pem).or_else(|_| rsa::RsaPrivateKey::from_pkcs1_pem(pem))
    {
        let (n, e) = (key.n().to_bytes_be(), key.e().to_bytes_be());
        return Ok(Parsed {
            algorithm: Algorithm::RS256,
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(invalid)?,
            decoding: DecodingKey::from_rsa_components(&b64(&n), &b64(&e)).map_err(invalid)?,
            jwk: object(json!({ "kty": "RSA", "n": b64(&n), "e": b64(&e) })),
            fingerprint: n,
        });
    }
    if let Ok(key) = p256::SecretKey::from_pkcs8_pem(pem) {
        let point = key.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(KeyError::Invalid("P-256 public point".into()));
        };
        return Ok(Parsed {
            algorithm: Algorithm::ES256,
            encoding: EncodingKey::from_ec_pem(pem.as_bytes()).map_err(invalid)?,
            decoding: DecodingKey::from_ec_components(&b64(x), &b64(y)).map_err(invalid)?,
            jwk: object(json!({ "kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y) })),
            fingerprint: point.as_bytes().to_vec(),
        });
    }
    if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
        let x = key.verifying_key().to_bytes();
        return Ok(Parsed {
            algorithm: Algorithm::EdDSA,
            encoding: EncodingKey::from_ed_pem(pem.as_bytes()).map_err(invalid)?,
            decoding: DecodingKey::from_ed_components(&b64(&x)).map_err(invalid)?,
            jwk: object(json!({ "kty": "OKP", "crv": "Ed25519", "x": b64(&x) })),
            fingerprint: x.to_vec(),
        });
    }
    Err(KeyError::Invalid(
        "not an RSA, P-256 or Ed25519 private key in PEM".into(),
    ))
}

/// A fresh private key for `algorithm` in PKCS#8 PEM (RSA-2048, P-256 or Ed25519).
pub fn generate_pem_for(algorithm: Algorithm) -> std::io::Result<String> {
    let pem = match algorithm {
        Algorithm::ES256 => p256::SecretKey::random(&mut rand::rngs::OsRng)
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(std::io::Error::other)?,
        Algorithm::EdDSA => ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng)
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(std::io::Error::other)?,
        _ => rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
            .map_err(std::io::Error::other)?
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(std::io::Error::other)?,
    };
    Ok(pem.to_string())
}
