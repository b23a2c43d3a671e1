//! Random values from the operating system's CSPRNG.

use base64::Engine;
use rand::RngCore;

/// `n` random bytes.
pub fn bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf
}

/// `n` random bytes as lowercase hex (2n characters); used for `jti` and CSRF tokens.
pub fn hex_token(n: usize) -> String {
    hex::encode(bytes(n))
}

/// A 256-bit token in URL-safe base64, the form of session ids in cookies.
pub fn url_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes(32))
}
