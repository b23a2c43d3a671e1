//! RFC 6238 TOTP (SHA-1, 6 digits, 30 s), the parameters Google Authenticator and pyotp
//! use. Verification returns the matched time step so callers can refuse a code whose
//! step was already used (a code is accepted once only).

use totp_rs::{Algorithm, Builder};

const DIGITS: u8 = 6;
const PERIOD: u64 = 30;

/// A TOTP generator for one user's secret.
pub struct Totp(totp_rs::Totp);

impl Totp {
    /// Builds a generator from the raw secret bytes (at least 16 bytes).
    pub fn new(secret: Vec<u8>, issuer: &str, account: &str) -> Option<Self> {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_skew(1)
            .with_step_duration(PERIOD)
            .with_secret(secret)
            .with_issuer(Some(issuer))
            .with_account_name(account)
            .build()
            .ok()
            .map(Self)
    }

    /// The `otpauth://` URL authenticator apps import.
    pub fn url(&self) -> Option<String> {
        self.0.to_url().ok()
    }

    /// The QR code of [`Totp::url`] as a base64 PNG, for `otp/generate_qrcode`.
    pub fn qr_png_base64(&self) -> Option<String> {
        self.0.to_qr_base64().ok()
    }

    /// The code for the given unix time (tests and the login fixture use it).
    pub fn code_at(&self, unix_secs: u64) -> String {
        self.0.generate(unix_secs).to_string()
    }

    /// Checks `code` against the steps `now-1 ..= now+1` (one step of clock drift) and
    /// returns the matching step (totp-rs compares tokens in constant time).
    pub fn verify(&self, code: &str, unix_secs: u64) -> Option<u64> {
        self.0.check(code.trim(), unix_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B, truncated to 6 digits: T=59 -> 94287082.
        let t = Totp::new(b"12345678901234567890".to_vec(), "Barong", "a@b.io").unwrap();
        assert_eq!(t.code_at(59), "287082");
        assert_eq!(t.verify("287082", 59), Some(1));
        assert_eq!(t.verify("287082", 59 + 30), Some(1), "one step of drift");
        assert_eq!(t.verify("287082", 59 + 90), None);
        assert_eq!(t.verify("28708", 59), None);
        assert!(
            t.url()
                .unwrap()
                .starts_with("otpauth://totp/Barong:a%40b.io?")
        );
    }
}
