//! Password hashing: argon2id for every new digest; bcrypt digests imported from
//! Barong still verify and are flagged for re-hashing. Both run on the blocking pool so
//! a burst of logins cannot stall the async workers.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use tracing::Instrument;

/// What checking a password against a stored digest found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Wrong password (or an unreadable digest).
    Mismatch,
    /// Right password, digest already argon2id.
    Match,
    /// Right password, but the digest is legacy bcrypt: store a fresh argon2id hash.
    MatchNeedsRehash,
}

/// Hashing failed; argon2 only fails on absurd parameters, or the blocking pool died.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes a password with argon2id (OWASP parameters of the argon2 crate's defaults).
pub async fn hash(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    let span = tracing::debug_span!("password.hash");
    tokio::task::spawn_blocking(move || span.in_scope(|| hash_blocking(&password)))
        .await
        .map_err(|e| HashError(e.to_string()))?
}

/// Checks a password against an argon2id or bcrypt digest.
pub async fn verify(password: &str, digest: &str) -> Verification {
    let (password, digest) = (password.to_owned(), digest.to_owned());
    let span = tracing::debug_span!("password.verify");
    tokio::task::spawn_blocking(move || verify_blocking(&password, &digest))
        .instrument(span)
        .await
        .unwrap_or(Verification::Mismatch)
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

fn verify_blocking(password: &str, digest: &str) -> Verification {
    if digest.starts_with("$2a$") || digest.starts_with("$2b$") || digest.starts_with("$2y$") {
        return match bcrypt::verify(password, digest) {
            Ok(true) => Verification::MatchNeedsRehash,
            _ => Verification::Mismatch,
        };
    }
    match PasswordHash::new(digest) {
        Ok(parsed)
            if Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok() =>
        {
            Verification::Match
        }
        _ => Verification::Mismatch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2id_round_trip() {
        let digest = hash("Tecohvi0").await.unwrap();
        assert!(digest.starts_with("$argon2id$"));
        assert_eq!(verify("Tecohvi0", &digest).await, Verification::Match);
        assert_eq!(verify("tecohvi0", &digest).await, Verification::Mismatch);
    }

    #[tokio::test]
    async fn barong_bcrypt_digests_verify_and_ask_for_rehash() {
        let digest = bcrypt::hash("Gol4aid2", 4).unwrap();
        assert_eq!(
            verify("Gol4aid2", &digest).await,
            Verification::MatchNeedsRehash
        );
        assert_eq!(verify("Gol4aid3", &digest).await, Verification::Mismatch);
        assert_eq!(verify("x", "garbage").await, Verification::Mismatch);
    }
}
