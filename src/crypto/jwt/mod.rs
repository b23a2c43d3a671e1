//! The key pair that signs every JWT barong issues (upstream tokens, email-confirmation
//! and password-reset tokens) and verifies the ones that come back. RS256 by default;
//! ES256 (P-256) and EdDSA (Ed25519) are selectable with `jwt_algorithm`. Loaded from
//! `jwt_private_key_file`, or generated into the data dir on first start and reused, so
//! tokens survive restarts (Barong generated a fresh key per boot). After
//! `barong keys rotate` the previous public key stays published and accepted.

mod key_kinds;
mod multisig;

use std::path::{Path, PathBuf};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Serialize, de::DeserializeOwned};

pub use key_kinds::generate_pem_for;

/// The key could not be read, parsed or generated.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the key file failed.
    #[error("JWT key file {path}: {source}")]
    Io {
        /// The key file.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not a supported private key in PEM, or not of the configured kind.
    #[error("JWT private key is invalid: {0}")]
    Invalid(String),
}

/// Signing or verification failed.
#[derive(Debug, thiserror::Error)]
#[error("jwt: {0}")]
pub struct JwtError(#[from] jsonwebtoken::errors::Error);

/// A public key that still verifies tokens (the current one, or the one before the
/// last rotation), with its JWK form.
#[derive(Clone)]
pub struct PublicKey {
    /// Key id.
    pub kid: String,
    /// The algorithm this key signs with; verification is pinned to it.
    pub algorithm: Algorithm,
    /// Public JWK members (`kty`, `crv`, `n`/`e`, `x`/`y`), without `kid`/`alg`/`use`.
    pub jwk: serde_json::Map<String, serde_json::Value>,
    decoding: DecodingKey,
}

/// The signing key and every key still accepted for verification.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    kid: String,
    algorithm: Algorithm,
    published: Vec<PublicKey>,
}

/// Where the previous key of a key file is kept after `barong keys rotate`.
pub fn previous_path(current: &Path) -> PathBuf {
    current.with_extension("previous.pem")
}

fn key_path(file: Option<&Path>, data_dir: &Path) -> PathBuf {
    file.map_or_else(|| data_dir.join("jwt_private_key.pem"), Path::to_path_buf)
}

/// Moves the current key aside as the previous one and writes a fresh key of
/// `algorithm`; tokens signed with the old key keep verifying until they expire.
pub fn rotate(file: Option<&Path>, data_dir: &Path, algorithm: Algorithm) -> std::io::Result<()> {
    let current = key_path(file, data_dir);
    if current.exists() {
        std::fs::rename(&current, previous_path(&current))?;
    }
    super::key_file::read_or_create(&current, || generate_pem_for(algorithm)).map(|_| ())
}

/// A fresh RSA-2048 private key in PKCS#8 PEM.
pub fn generate_pem() -> std::io::Result<String> {
    generate_pem_for(Algorithm::RS256)
}

impl JwtKeys {
    /// Reads `file`, or the generated key in `data_dir` (creating one of `algorithm` if
    /// absent), plus the previous key if a rotation left one. A key of another kind than
    /// `algorithm` is refused, so a configuration change cannot silently keep signing
    /// with the old algorithm.
    pub fn load_or_generate(
        file: Option<&Path>,
        data_dir: &Path,
        algorithm: Algorithm,
    ) -> Result<Self, KeyError> {
        let path = key_path(file, data_dir);
        let mut keys = if file.is_some() {
            let pem = std::fs::read_to_string(&path).map_err(|source| KeyError::Io {
                path: path.display().to_string(),
                source,
            })?;
            Self::from_pem(&pem)?
        } else {
            Self::load_or_create_at(&path, algorithm)?
        };
        if keys.algorithm != algorithm {
            return Err(KeyError::Invalid(format!(
                "jwt_algorithm is {algorithm:?} but {} holds a {:?} key",
                path.display(),
                keys.algorithm
            )));
        }
        if let Ok(previous) = std::fs::read_to_string(previous_path(&path)) {
            let old = Self::from_pem(&previous)?;
            keys.published.extend(old.published);
        }
        Ok(keys)
    }

    /// Reads the key at `path`, generating one of `algorithm` there (mode 0600) when
    /// the file does not exist; for keys without rotation, such as the event key.
    pub fn load_or_create_at(path: &Path, algorithm: Algorithm) -> Result<Self, KeyError> {
        let pem = super::key_file::read_or_create(path, || generate_pem_for(algorithm)).map_err(
            |source| KeyError::Io {
                path: path.display().to_string(),
                source,
            },
        )?;
        Self::from_pem(&pem)
    }

    /// Parses an RSA (PKCS#1 or PKCS#8), P-256 or Ed25519 (PKCS#8) PEM private key.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let parsed = key_kinds::parse(pem)?;
        let kid = super::sha256_hex(&parsed.fingerprint)[..16].to_owned();
        let public = PublicKey {
            kid: kid.clone(),
            algorithm: parsed.algorithm,
            jwk: parsed.jwk,
            decoding: parsed.decoding,
        };
        Ok(Self {
            encoding: parsed.encoding,
            kid,
            algorithm: parsed.algorithm,
            published: vec![public],
        })
    }

    /// Key id, put in every token header so verifiers pick the key from the JWKS.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The signing algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The keys a verifier should accept (current first), for the JWKS document.
    pub fn published(&self) -> &[PublicKey] {
        &self.published
    }

    /// Signs `claims` with the current key.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, JwtError> {
        let mut header = Header::new(self.algorithm);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }

    /// Verifies a token under `validation` with the published key its `kid` names (the
    /// current key when it names none). The accepted algorithm is that key's own,
    /// whatever `validation` or the token header say, so no algorithm confusion is
    /// possible.
    pub fn verify<T: DeserializeOwned>(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<T, JwtError> {
        let header = jsonwebtoken::decode_header(token)?;
        let key = match header.kid {
            Some(kid) => self.published.iter().find(|k| k.kid == kid),
            None => self.published.first(),
        }
        .ok_or_else(|| JwtError(jsonwebtoken::errors::ErrorKind::InvalidKeyFormat.into()))?;
        let mut validation = validation.clone();
        validation.algorithms = vec![key.algorithm];
        Ok(jsonwebtoken::decode::<T>(token, &key.decoding, &validation)?.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize)]
    struct Claims {
        sub: String,
        exp: i64,
    }

    #[test]
    fn every_algorithm_signs_verifies_and_publishes_a_jwk() {
        for (alg, kty) in [
            (Algorithm::RS256, "RSA"),
            (Algorithm::ES256, "EC"),
            (Algorithm::EdDSA, "OKP"),
        ] {
            let keys = JwtKeys::from_pem(&generate_pem_for(alg).unwrap()).unwrap();
            assert_eq!(keys.algorithm(), alg);
            assert_eq!(keys.published()[0].jwk["kty"], kty);
            let token = keys
                .sign(&Claims {
                    sub: "s".into(),
                    exp: chrono::Utc::now().timestamp() + 60,
                })
                .unwrap();
            let claims: Claims = keys
                .verify(&token, &Validation::new(Algorithm::RS256))
                .unwrap();
            assert_eq!(claims.sub, "s");
            let other = JwtKeys::from_pem(&generate_pem_for(alg).unwrap()).unwrap();
            assert!(
                other
                    .verify::<Claims>(&token, &Validation::new(alg))
                    .is_err()
            );
        }
    }

    #[test]
    fn rotation_keeps_the_previous_key_published() {
        let dir = tempfile::tempdir().unwrap();
        let first = JwtKeys::load_or_generate(None, dir.path(), Algorithm::ES256).unwrap();
        let token = first
            .sign(&Claims {
                sub: "s".into(),
                exp: chrono::Utc::now().timestamp() + 60,
            })
            .unwrap();
        rotate(None, dir.path(), Algorithm::ES256).unwrap();
        let second = JwtKeys::load_or_generate(None, dir.path(), Algorithm::ES256).unwrap();
        assert_ne!(first.kid(), second.kid());
        assert_eq!(second.published().len(), 2);
        assert!(
            second
                .verify::<Claims>(&token, &Validation::new(Algorithm::ES256))
                .is_ok()
        );
        assert!(
            JwtKeys::load_or_generate(None, dir.path(), Algorithm::RS256).is_err(),
            "kind mismatch refused"
        );
    }
}
