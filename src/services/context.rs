//! `Services`: the dependencies every use case needs, built once by `app` and cloned
//! cheaply into handlers.

use std::sync::Arc;

use crate::crypto::jwt::JwtKeys;
use crate::crypto::secret_box::SecretBox;
use crate::events::SmsSender;
use crate::sessions::{RateLimiter, SessionStore, Softlock};
use crate::storage::Database;
use crate::storage::files::FileStore;

use super::captcha::CaptchaVerifier;

/// Settings the use cases read (a slice of the configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Issuer name in mail and TOTP.
    pub app_name: String,
    /// Base of links in mail.
    pub frontend_url: String,
    /// Lifetime of one-time tokens in seconds.
    pub token_expire: u64,
    /// Largest accepted KYC file in bytes.
    pub upload_max_bytes: u64,
    /// Most KYC documents one user may upload.
    pub documents_limit: u64,
    /// Accepted `doc_type` values.
    pub doc_types: Vec<String>,
    /// Whether a KYC upload must carry `doc_expire`.
    pub required_docs_expire: bool,
    /// Lifetime of a phone verification code in seconds.
    pub phone_code_ttl: u64,
    /// Minimum seconds between two codes sent to one phone.
    pub phone_code_resend_secs: u64,
    /// Wrong codes accepted before the code is burnt.
    pub phone_code_max_attempts: u32,
    /// Roles whose tokens the admin API accepts.
    pub admin_roles: Vec<String>,
    /// Identity requests per client IP and minute (0: off).
    pub identity_per_min: u32,
    /// Seconds between two SMS codes per user or number (0: off).
    pub sms_min_interval: u64,
    /// SMS codes per user or number and hour (0: off).
    pub sms_max_per_hour: u32,
    /// Failed logins before the softlock delay starts (0: off).
    pub login_max_failures: u32,
    /// `domain` of `system.user.*` events.
    pub domain: String,
}

/// Shared handles to storage, sessions, keys and captcha (mail goes through the
/// outbox's events).
#[derive(Clone)]
pub struct Services {
    /// Database pool.
    pub db: Database,
    /// Session store.
    pub sessions: SessionStore,
    /// JWT signing keys.
    pub jwt: Arc<JwtKeys>,
    /// Encryption of secrets at rest.
    pub secrets: Arc<SecretBox>,
    /// Captcha verification.
    pub captcha: CaptchaVerifier,
    /// Settings.
    pub settings: Arc<Settings>,
    /// Outgoing SMS (phone verification codes).
    pub sms: SmsSender,
    /// Where KYC files are kept (local folder or S3 bucket).
    pub files: FileStore,
    /// Rate-limit counters, beside the sessions (shared through Redis when configured).
    pub limiter: RateLimiter,
    /// Failed log-in counters per account (the softlock).
    pub softlock: Softlock,
    /// An argon2id digest of a random password, verified against when a login names
    /// no account, so both cases take the same time.
    pub(crate) dummy_digest: Arc<str>,
}

impl Services {
    /// Assembles the services; computes the timing-equaliser digest once. One
    /// parameter per dependency: only the composition root calls this.
    #[allow(clippy::too_many_arguments)]
    pub async fn new(
        db: Database,
        sessions: SessionStore,
        jwt: JwtKeys,
        secrets: SecretBox,
        captcha: CaptchaVerifier,
        settings: Settings,
        sms: SmsSender,
        files: FileStore,
    ) -> Result<Self, crate::crypto::password::HashError> {
        let dummy = crate::crypto::password::hash(&crate::crypto::random::hex_token(16)).await?;
        Ok(Self {
            db,
            limiter: RateLimiter::new(&sessions),
            softlock: Softlock::new(&sessions),
            sessions,
            jwt: Arc::new(jwt),
            secrets: Arc::new(secrets),
            captcha,
            settings: Arc::new(settings),
            sms,
            files,
            dummy_digest: dummy.into(),
        })
    }
}
