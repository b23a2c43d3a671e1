//! Barong's Event API envelope: a JWS in general JSON serialisation (jwt-multisig) with
//! one signature, `{"payload", "signatures": [{"protected", "header": {"kid"}, "signature"}]}`.
//! The protected header holds only `alg`, as Barong's; the signature covers
//! `protected "." payload`, so any JWS library verifies it after joining the three parts.

use serde::Serialize;
use serde_json::{Value, json};

use super::{JwtError, JwtKeys};

impl JwtKeys {
    /// Signs `claims` into the general-serialisation envelope; `signer` goes in the
    /// unprotected header's `kid` (Barong used `"barong"`).
    pub fn sign_general<T: Serialize>(&self, claims: &T, signer: &str) -> Result<Value, JwtError> {
        let mut header = jsonwebtoken::Header::new(self.algorithm);
        header.typ = None;
        let compact = jsonwebtoken::encode(&header, claims, &self.encoding)?;
        let mut parts = compact.splitn(3, '.');
        let (protected, payload, signature) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        Ok(json!({
            "payload": payload,
            "signatures": [{
                "protected": protected,
                "header": { "kid": signer },
                "signature": signature,
            }],
        }))
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use jsonwebtoken::Algorithm;

    use super::*;

    #[test]
    fn the_envelope_verifies_as_a_compact_jws() {
        let keys =
            JwtKeys::from_pem(&super::super::generate_pem_for(Algorithm::RS256).unwrap()).unwrap();
        let claims = json!({"iss": "barong", "exp": 4_000_000_000_i64, "event": {"name": "x"}});
        let envelope = keys.sign_general(&claims, "barong").unwrap();
        let sig = &envelope["signatures"][0];
        let protected = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sig["protected"].as_str().unwrap())
            .unwrap();
        assert_eq!(protected, br#"{"alg":"RS256"}"#);
        assert_eq!(sig["header"]["kid"], "barong");
        let compact = format!(
            "{}.{}.{}",
            sig["protected"].as_str().unwrap(),
            envelope["payload"].as_str().unwrap(),
            sig["signature"].as_str().unwrap()
        );
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.required_spec_claims.clear();
        let got: Value = keys.verify(&compact, &validation).unwrap();
        assert_eq!(got["event"]["name"], "x");
    }
}
