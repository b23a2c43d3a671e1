//! Cryptography: password hashing, JWT signing keys, the secret box that encrypts
//! TOTP and API-key secrets at rest, TOTP codes and random tokens. Everything slow
//! (argon2) runs on the blocking pool. Imports: `config` only (never storage or HTTP).

pub mod jwt;
pub mod key_file;
pub mod password;
pub mod random;
pub mod recovery_code;
pub mod secret_box;
pub mod totp;

use subtle::ConstantTimeEq;

/// Compares two secrets without leaking, through timing, how long a prefix matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// SHA-256 in lowercase hex: the form in which session ids are stored, so a leaked
/// session store does not hand out live cookies.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}
