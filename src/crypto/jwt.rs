//! The RSA key pair that signs every JWT barong issues (upstream tokens, email
//! confirmation and password-reset tokens) and verifies the ones that come back.
//! Loaded from `jwt_private_key_file`, or generated (RSA-2048) into the data dir on first
//! start and reused, so tokens survive restarts (Barong generated a fresh key per boot).

use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde::{Serialize, de::DeserializeOwned};

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
    /// The file is not an RSA private key in PEM (PKCS#1 or PKCS#8).
    #[error("JWT private key is invalid: {0}")]
    Invalid(String),
}

/// Signing or verification failed.
#[derive(Debug, thiserror::Error)]
#[error("jwt: {0}")]
pub struct JwtError(#[from] jsonwebtoken::errors::Error);

/// A public key that still verifies tokens (the current one, or the one before the
/// last rotation).
#[derive(Clone)]
pub struct PublicKey {
    /// Key id.
    pub kid: String,
    /// Big-endian RSA modulus.
    pub modulus: Vec<u8>,
    /// Big-endian RSA exponent.
    pub exponent: Vec<u8>,
    decoding: DecodingKey,
}

/// The signing key and every key still accepted for verification.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    kid: String,
    public_pem: String,
    published: Vec<PublicKey>,
}

/// Where the previous key of a key file is kept after `barong keys rotate`.
pub fn previous_path(current: &Path) -> std::path::PathBuf {
    current.with_extension("previous.pem")
}

/// Moves the current key aside as the previous one and writes a fresh key; tokens
/// signed with the old key keep verifying until they expire.
pub fn rotate(file: Option<&Path>, data_dir: &Path) -> std::io::Result<()> {
    let current = key_path(file, data_dir);
    if current.exists() {
        std::fs::rename(&current, previous_path(&current))?;
    }
    super::key_file::read_or_create(&current, generate_pem).map(|_| ())
}

fn key_path(file: Option<&Path>, data_dir: &Path) -> std::path::PathBuf {
    file.map_or_else(|| data_dir.join("jwt_private_key.pem"), Path::to_path_buf)
}

impl JwtKeys {
    /// Reads `file`, or the generated key in `data_dir`, creating it if absent.
    pub fn load_or_generate(file: Option<&Path>, data_dir: &Path) -> Result<Self, KeyError> {
        let path = match file {
            Some(p) => p.to_path_buf(),
            None => data_dir.join("jwt_private_key.pem"),
        };
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        let pem = if file.is_some() {
            std::fs::read_to_string(&path).map_err(io)?
        } else {
            super::key_file::read_or_create(&path, generate_pem).map_err(io)?
        };
        Self::from_pem(&pem)
    }

    /// Parses a PKCS#8 or PKCS#1 PEM RSA private key.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let decoding = DecodingKey::from_rsa_pem(public_pem.as_bytes())
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let modulus = private.n().to_bytes_be();
        let exponent = private.e().to_bytes_be();
        let kid = super::sha256_hex(&modulus)[..16].to_owned();
        let public = PublicKey {
            kid: kid.clone(),
            modulus,
            exponent,
            decoding,
        };
        Ok(Self {
            encoding,
            kid,
            public_pem,
            published: vec![public],
        })
    }

    /// Key id (first 16 hex chars of SHA-256 of the modulus), put in every token header
    /// so verifiers can pick the key from a JWKS during rotation.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key in PEM, for operators configuring verifiers by hand.
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// The keys a verifier should accept (current first), for the JWKS document.
    pub fn published(&self) -> &[PublicKey] {
        &self.published
    }

    /// Signs `claims` with RS256.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, JwtError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding)?)
    }

    /// Verifies a token under `validation` with the published key its `kid` names (the
    /// current key when it names none) and returns its claims.
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
        Ok(jsonwebtoken::decode::<T>(token, &key.decoding, validation)?.claims)
    }
}

/// A fresh RSA-2048 private key in PKCS#8 PEM.
pub fn generate_pem() -> std::io::Result<String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(std::io::Error::other)?;
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(std::io::Error::other)
}
