//! Random values from the operating system's CSPRNG.

use base64::Engine;
use rand::{Rng, RngCore};

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

/// `n` uniformly random decimal digits (phone verification codes; leading zeros kept).
pub fn digits(n: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// A 256-bit token in URL-safe base64, the form of session ids in cookies.
pub fn url_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes(32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_decimal_and_vary() {
        let codes: Vec<String> = (0..20).map(|_| digits(5)).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert!(codes.iter().any(|c| c != &codes[0]));
    }
}
