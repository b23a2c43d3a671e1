//! Authenticated encryption of secrets at rest (TOTP seeds, API-key secrets) with
//! XChaCha20-Poly1305. The stored form is `v1:<key id>:<base64(nonce || ciphertext)>`:
//! the key id lets an operator rotate `secret_key` while old rows stay readable through
//! `secret_keys_retired`.

use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Why a key or a ciphertext was refused.
#[derive(Debug, thiserror::Error)]
pub enum SecretBoxError {
    /// `secret_key` is not 64 hex characters.
    #[error("secret_key must be 64 hex characters (32 bytes)")]
    BadKey,
    /// Reading or writing the generated key file failed.
    #[error("secret key file: {0}")]
    Io(#[from] std::io::Error),
    /// The stored value is malformed, was made with an unknown key, or was tampered with.
    #[error("cannot decrypt stored secret")]
    Undecryptable,
}

struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// Encrypts with the current key; decrypts with the current or any retired key.
pub struct SecretBox {
    current: Key,
    retired: Vec<Key>,
}

impl SecretBox {
    /// Uses `configured` (hex) or the key generated into `data_dir/secret.key`.
    pub fn load_or_generate(
        configured: Option<&str>,
        retired: Option<&str>,
        data_dir: &Path,
    ) -> Result<Self, SecretBoxError> {
        let current_hex = match configured {
            Some(hex) => hex.trim().to_owned(),
            None => super::key_file::read_or_create(&data_dir.join("secret.key"), || {
                Ok(super::random::hex_token(32))
            })?
            .trim()
            .to_owned(),
        };
        let retired = retired
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_key)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            current: parse_key(&current_hex)?,
            retired,
        })
    }

    /// Encrypts `plaintext` under the current key with a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8]) -> Result<String, SecretBoxError> {
        let nonce_bytes = super::random::bytes(24);
        let nonce = XNonce::from_slice(&nonce_bytes);
        let ciphertext = self
            .current
            .cipher
            .encrypt(nonce, plaintext)
            .map_err(|_| SecretBoxError::Undecryptable)?;
        let mut blob = nonce_bytes;
        blob.extend_from_slice(&ciphertext);
        Ok(format!("v1:{}:{}", self.current.id, B64.encode(blob)))
    }

    /// Decrypts a value produced by [`SecretBox::seal`] under any known key.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, SecretBoxError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(SecretBoxError::Undecryptable);
        };
        let key = std::iter::once(&self.current)
            .chain(&self.retired)
            .find(|k| k.id == id)
            .ok_or(SecretBoxError::Undecryptable)?;
        let blob = B64
            .decode(body)
            .map_err(|_| SecretBoxError::Undecryptable)?;
        if blob.len() < 24 {
            return Err(SecretBoxError::Undecryptable);
        }
        let (nonce, ciphertext) = blob.split_at(24);
        key.cipher
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| SecretBoxError::Undecryptable)
    }
}

fn parse_key(hex_key: &str) -> Result<Key, SecretBoxError> {
    let bytes = hex::decode(hex_key).map_err(|_| SecretBoxError::BadKey)?;
    if bytes.len() != 32 {
        return Err(SecretBoxError::BadKey);
    }
    let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| SecretBoxError::BadKey)?;
    let id = super::sha256_hex(&bytes)[..8].to_owned();
    Ok(Key { id, cipher })
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const K2: &str = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";

    #[test]
    fn seal_open_round_trip_and_tamper_detection() {
        let dir = tempfile::tempdir().unwrap();
        let sb = SecretBox::load_or_generate(Some(K1), None, dir.path()).unwrap();
        let sealed = sb.seal(b"JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(sb.open(&sealed).unwrap(), b"JBSWY3DPEHPK3PXP");
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(sb.open(&tampered).is_err());
    }

    #[test]
    fn rotation_keeps_old_values_readable() {
        let dir = tempfile::tempdir().unwrap();
        let old = SecretBox::load_or_generate(Some(K1), None, dir.path()).unwrap();
        let sealed = old.seal(b"secret").unwrap();
        let rotated = SecretBox::load_or_generate(Some(K2), Some(K1), dir.path()).unwrap();
        assert_eq!(rotated.open(&sealed).unwrap(), b"secret");
        let without_old = SecretBox::load_or_generate(Some(K2), None, dir.path()).unwrap();
        assert!(without_old.open(&sealed).is_err());
    }

    #[test]
    fn generated_key_is_reused_and_bad_keys_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = SecretBox::load_or_generate(None, None, dir.path()).unwrap();
        let b = SecretBox::load_or_generate(None, None, dir.path()).unwrap();
        assert_eq!(b.open(&a.seal(b"x").unwrap()).unwrap(), b"x");
        assert!(matches!(
            SecretBox::load_or_generate(Some("abcd"), None, dir.path()),
            Err(SecretBoxError::BadKey)
        ));
    }
}
