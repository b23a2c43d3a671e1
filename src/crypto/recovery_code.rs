//! 2FA recovery codes: ten random 64-bit codes shown once when 2FA is turned on, each
//! usable once instead of a TOTP code at log-in (for a lost phone). Only a digest is
//! stored, salted with the owner's uid so equal codes of two users differ at rest; 64
//! random bits make the unsalted-hash shortcut of password cracking useless.

use super::{random, sha256_hex};

/// How many codes one enabling of 2FA issues.
pub const COUNT: usize = 10;

/// A new code, `xxxx-xxxx-xxxx-xxxx` in lowercase hex.
pub fn generate() -> String {
    let hex = random::hex_token(8);
    hex.as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed (any case, with or without dashes and spaces), or `None` if it
/// cannot be a recovery code (then it is a TOTP code or garbage).
pub fn normalise(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    (code.len() == 16 && code.bytes().all(|b| b.is_ascii_hexdigit())).then_some(code)
}

/// The stored digest of a normalised code of the user `uid`.
pub fn digest(uid: &str, normalised: &str) -> String {
    sha256_hex(format!("{uid}:{normalised}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_normalise_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
        let n = normalise(&a.to_uppercase()).unwrap();
        assert_eq!(n, a.replace('-', ""));
        assert_ne!(generate(), a);
        assert_eq!(normalise("123456"), None);
        assert_eq!(normalise("zzzz-zzzz-zzzz-zzzz"), None);
        assert_ne!(digest("ID1", &n), digest("ID2", &n));
    }
}
