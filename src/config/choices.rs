//! The closed sets a setting chooses from (providers, algorithms, backends, formats),
//! each deserialised from its lower-case (or algorithm) name so a typo is refused at
//! start.

use serde::Deserialize;

/// Which captcha provider guards sign-up and log-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptchaProvider {
    /// No captcha (Barong 2.2's hard-wired policy).
    None,
    /// Google reCAPTCHA v2/v3 server-side verification.
    Recaptcha,
    /// GeeTest v3 (challenge/validate/seccode).
    Geetest,
}

/// Algorithms barong signs JWTs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum JwtAlgorithm {
    /// RSA-2048 with SHA-256 (Barong's).
    RS256,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// Ed25519.
    EdDSA,
}

impl JwtAlgorithm {
    /// The jsonwebtoken algorithm.
    pub fn to_jwt(self) -> jsonwebtoken::Algorithm {
        match self {
            Self::RS256 => jsonwebtoken::Algorithm::RS256,
            Self::ES256 => jsonwebtoken::Algorithm::ES256,
            Self::EdDSA => jsonwebtoken::Algorithm::EdDSA,
        }
    }
}

/// Where uploaded KYC documents are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    /// Files under `<data dir>/uploads` (one instance, or a shared volume).
    Local,
    /// An S3-compatible bucket (AWS, MinIO, Ceph...), shared by every instance.
    S3,
}

/// How verification codes reach phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    /// Written to the log and `<data dir>/sms/` (development default).
    Log,
    /// Twilio's REST API.
    Twilio,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines for a terminal.
    Text,
    /// One JSON object per line for log shippers.
    Json,
}
