//! Configuration: built-in documented defaults (`defaults.toml`), then an optional TOML
//! file, then `BARONG_*` environment variables (with `BARONG_<KEY>_FILE` for secrets),
//! validated once at start so a typo stops the process with a clear message instead of
//! surfacing as a strange failure later. This is the only module that reads `std::env`.
//! Imports: nothing of ours.

mod choices;
mod secret;
mod sources;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;

pub use choices::{CaptchaProvider, JwtAlgorithm, LogFormat, SmsProvider, StorageBackend};
pub use secret::Secret;

/// The text of the built-in defaults, shown by `barong config defaults` and the README.
pub const DEFAULTS_TOML: &str = include_str!("defaults.toml");

/// Why the configuration was refused; the message names the offending key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file given by `--config` or `BARONG_CONFIG` could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A value has the wrong syntax or type.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Every setting of the process. Built only through [`Config::load`] or
/// [`Config::from_sources`], so an instance is always validated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder for generated keys, the default SQLite file and the mail folder.
    pub data_dir: PathBuf,
    /// SeaORM URL (`sqlite://`, `postgres://`, `mysql://`); unset: SQLite in the data dir.
    pub database_url: Option<Secret>,
    /// Redis URL for sessions and shared state; unset: in-memory (single instance only).
    pub redis_url: Option<Secret>,
    /// Prefix of every Redis key, so several deployments can share one Redis.
    pub redis_key_prefix: String,
    /// HTTP listener address.
    pub http_addr: SocketAddr,
    /// gRPC (Envoy ext_authz) listener address.
    pub grpc_addr: SocketAddr,
    /// PEM file with the RSA private key signing JWTs; unset: generated into the data dir.
    pub jwt_private_key_file: Option<PathBuf>,
    /// Idle lifetime of a session in seconds.
    pub session_expire: u64,
    /// Session cookie name.
    pub session_cookie_name: String,
    /// Whether the session cookie carries `Secure`.
    pub session_cookie_secure: bool,
    /// SMTP URL for lettre (`smtps://user:pass@host`); unset: mail goes to `<data_dir>/mail`.
    pub smtp_url: Option<Secret>,
    /// `From:` of every mail.
    pub mail_from: String,
    /// Base of links in mail.
    pub frontend_url: String,
    /// 32-byte key (64 hex chars) encrypting TOTP and API-key secrets; unset: generated.
    pub secret_key: Option<Secret>,
    /// Comma-separated older secret keys, still accepted for decryption during rotation.
    pub secret_keys_retired: Option<Secret>,
    /// Email of the seeded admin.
    pub admin_email: String,
    /// Password of the seeded admin; unset: random, printed once by `barong seed`.
    pub admin_password: Option<Secret>,
    /// Issuer name for TOTP and mail.
    pub app_name: String,
    /// Domain copied into events.
    pub domain: String,
    /// Lifetime of confirmation and reset tokens in seconds.
    pub token_expire: u64,
    /// Comma-separated CIDRs whose `X-Forwarded-For` is trusted.
    pub trusted_proxies: String,
    /// Barong `authz_rules.yml` file; unset: Barong's default rules.
    pub authz_rules_file: Option<PathBuf>,
    /// Accepted distance between an API-key nonce and now, in milliseconds.
    pub apikey_nonce_window_ms: i64,
    /// Deny API keys without a scope.
    pub apikey_require_scope: bool,
    /// Lowest accepted API-key signature version (1 or 2).
    pub apikey_min_version: u8,
    /// Identity requests per client IP and minute (0: off).
    pub rate_limit_identity_per_min: u32,
    /// Edge checks per API key and second (0: off); bursts up to twice that.
    pub rate_limit_apikey_per_sec: u32,
    /// Edge checks without valid credentials per client IP and second (0: off).
    pub rate_limit_anon_per_sec: u32,
    /// Seconds between two SMS codes for one user or one number (0: off).
    pub sms_min_interval: u64,
    /// SMS codes per user or number and hour (0: off).
    pub sms_max_per_hour: u32,
    /// Failed logins before the softlock delay starts (0: off).
    pub login_max_failures: u32,
    /// Require `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_protection: bool,
    /// Deny a session used from another user agent than at login.
    pub session_bind_user_agent: bool,
    /// Lifetime of upstream JWTs in seconds.
    pub jwt_expire: u64,
    /// JWT signing algorithm.
    pub jwt_algorithm: JwtAlgorithm,
    /// Captcha provider for sign-up and log-in.
    pub captcha_provider: CaptchaProvider,
    /// reCAPTCHA secret key.
    pub recaptcha_secret_key: Option<Secret>,
    /// reCAPTCHA verification URL.
    pub recaptcha_verify_url: String,
    /// GeeTest captcha id.
    pub geetest_id: Option<String>,
    /// GeeTest private key.
    pub geetest_key: Option<Secret>,
    /// GeeTest API base URL.
    pub geetest_api_url: String,
    /// Largest accepted KYC file in bytes.
    pub upload_max_bytes: u64,
    /// Most KYC documents one user may upload.
    pub documents_limit: u64,
    /// Accepted `doc_type` values, comma-separated.
    pub doc_types: String,
    /// Whether a KYC upload must carry `doc_expire`.
    pub required_docs_expire: bool,
    /// Where KYC files are kept.
    pub storage_backend: StorageBackend,
    /// S3 bucket (`storage_backend = "s3"`).
    pub s3_bucket: String,
    /// S3 region.
    pub s3_region: String,
    /// S3 endpoint for S3-compatible services; empty: AWS.
    pub s3_endpoint: String,
    /// Path-style S3 requests (`endpoint/bucket/key`; MinIO, Ceph); false: virtual-hosted.
    pub s3_path_style: bool,
    /// S3 access key id.
    pub s3_access_key_id: Option<String>,
    /// S3 secret access key.
    pub s3_secret_access_key: Option<Secret>,
    /// Lifetime of a phone verification code in seconds.
    pub phone_code_ttl: u64,
    /// Minimum seconds between two codes sent to one phone.
    pub phone_code_resend_secs: u64,
    /// Wrong codes accepted before the code is burnt.
    pub phone_code_max_attempts: u32,
    /// SMS delivery.
    pub sms_provider: SmsProvider,
    /// Roles the admin API accepts, comma-separated.
    pub admin_roles: String,
    /// Twilio API base URL.
    pub twilio_api_url: String,
    /// Twilio sender number (E.164).
    pub twilio_phone_number: String,
    /// Twilio account SID.
    pub twilio_account_sid: Option<String>,
    /// Twilio auth token.
    pub twilio_auth_token: Option<Secret>,
    /// tracing env-filter directive.
    pub log_level: String,
    /// Log format.
    pub log_format: LogFormat,
    /// RabbitMQ URL of the Event API (`amqp://user:pass@host:5672/%2f`); unset: events
    /// stay in the outbox for the mailer only.
    pub amqp_url: Option<Secret>,
    /// PEM private key signing event envelopes; unset: generated into the data dir.
    pub event_private_key_file: Option<PathBuf>,
    /// Seconds a finished outbox row is kept.
    pub outbox_retention: u64,
    /// Separate listener for `/metrics`; unset: served on the HTTP port.
    pub metrics_addr: Option<String>,
    /// OTLP/gRPC collector (`http://127.0.0.1:4317`); unset: no traces exported.
    pub otlp_endpoint: Option<String>,
    /// `service.name` of exported spans.
    pub otlp_service_name: String,
}

impl Config {
    /// Reads the process environment and the file it names (or `file`), then validates.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let from_env = env
            .iter()
            .find(|(k, _)| k == "BARONG_CONFIG")
            .map(|(_, v)| PathBuf::from(v));
        let file = file.map(Path::to_path_buf).or(from_env);
        let text = match &file {
            Some(path) => {
                Some(
                    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                        path: path.clone(),
                        source,
                    })?,
                )
            }
            None => None,
        };
        Self::from_sources(text.as_deref(), env)
    }

    /// Builds a configuration from a TOML text and `(name, value)` variables, without
    /// touching the process environment; tests and `load` share this path.
    pub fn from_sources<I, K, V>(file_toml: Option<&str>, env: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let table = sources::merge(DEFAULTS_TOML, file_toml, env)?;
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_owned()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |msg: &str| Err(ConfigError::Invalid(msg.to_owned()));
        if self.session_expire == 0 {
            return invalid("session_expire must be a positive number of seconds");
        }
        if self.jwt_expire < 10 {
            return invalid("jwt_expire must be at least 10 seconds");
        }
        if self.apikey_nonce_window_ms <= 0 {
            return invalid("apikey_nonce_window_ms must be positive");
        }
        if !(1..=2).contains(&self.apikey_min_version) {
            return invalid("apikey_min_version must be 1 or 2");
        }
        if self.token_expire == 0 {
            return invalid("token_expire must be a positive number of seconds");
        }
        if !(self.frontend_url.starts_with("http://") || self.frontend_url.starts_with("https://"))
        {
            return invalid("frontend_url must start with http:// or https://");
        }
        if self.session_cookie_name.is_empty()
            || !self
                .session_cookie_name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return invalid("session_cookie_name must be letters, digits, '_' or '-'");
        }
        self.trusted_proxy_nets()?;
        if self.upload_max_bytes == 0 {
            return invalid("upload_max_bytes must be positive");
        }
        if self.admin_role_list().is_empty() {
            return invalid("admin_roles must list at least one role");
        }
        if self.doc_type_list().is_empty() {
            return invalid("doc_types must list at least one document type");
        }
        if self.phone_code_ttl == 0 || self.phone_code_max_attempts == 0 {
            return invalid("phone_code_ttl and phone_code_max_attempts must be positive");
        }
        if self.storage_backend == StorageBackend::S3 && self.s3_bucket.trim().is_empty() {
            return invalid("storage_backend = s3 needs s3_bucket");
        }
        if self.sms_provider == SmsProvider::Twilio
            && (self.twilio_account_sid.is_none()
                || self.twilio_auth_token.is_none()
                || self.twilio_phone_number.trim().is_empty())
        {
            return invalid(
                "sms_provider = twilio needs twilio_account_sid, twilio_auth_token and twilio_phone_number",
            );
        }
        if let Some(url) = &self.amqp_url
            && !(url.expose().starts_with("amqp://") || url.expose().starts_with("amqps://"))
        {
            return invalid("amqp_url must start with amqp:// or amqps://");
        }
        self.metrics_socket()?;
        if let Some(endpoint) = &self.otlp_endpoint
            && !(endpoint.starts_with("http://") || endpoint.starts_with("https://"))
        {
            return invalid("otlp_endpoint must start with http:// or https://");
        }
        if self.outbox_retention == 0 {
            return invalid("outbox_retention must be a positive number of seconds");
        }
        let url = self.database_url();
        if !["sqlite:", "postgres:", "postgresql:", "mysql:", "mariadb:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
        {
            return invalid("database_url must start with sqlite:, postgres: or mysql:");
        }
        match self.captcha_provider {
            CaptchaProvider::Recaptcha if self.recaptcha_secret_key.is_none() => {
                invalid("captcha_provider = recaptcha needs recaptcha_secret_key")
            }
            CaptchaProvider::Geetest if self.geetest_id.is_none() || self.geetest_key.is_none() => {
                invalid("captcha_provider = geetest needs geetest_id and geetest_key")
            }
            _ => Ok(()),
        }
    }

    /// The database URL in effect: the configured one, or a SQLite file in the data dir
    /// (created on first start).
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("barong.sqlite").display()
            ),
        }
    }

    /// The trusted proxy networks, parsed.
    pub fn trusted_proxy_nets(&self) -> Result<Vec<IpNet>, ConfigError> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>().map_err(|_| {
                    ConfigError::Invalid(format!("trusted_proxies: '{s}' is not a CIDR"))
                })
            })
            .collect()
    }

    /// The roles the admin API accepts, trimmed.
    pub fn admin_role_list(&self) -> Vec<String> {
        comma_list(&self.admin_roles)
    }

    /// The accepted KYC document types, trimmed, in configured order.
    pub fn doc_type_list(&self) -> Vec<String> {
        comma_list(&self.doc_types)
    }

    /// The separate metrics listener, when configured.
    pub fn metrics_socket(&self) -> Result<Option<SocketAddr>, ConfigError> {
        self.metrics_addr
            .as_deref()
            .map(|raw| {
                raw.trim().parse::<SocketAddr>().map_err(|_| {
                    ConfigError::Invalid(format!("metrics_addr: '{raw}' is not host:port"))
                })
            })
            .transpose()
    }

    /// The event signing key file: the configured one or `<data dir>/event_private_key.pem`.
    pub fn event_key_path(&self) -> PathBuf {
        self.event_private_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("event_private_key.pem"))
    }

    /// Folder where the Dir mailer writes `.eml` files.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// The non-empty, trimmed items of a comma-separated setting, in order.
fn comma_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests;
