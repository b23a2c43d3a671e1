//! Captcha verification for sign-up and log-in, a closed set of providers chosen by
//! configuration. Disabled by default (Barong 2.2's policy); when a provider is
//! configured, log-in requires it too (Barong checked it only when the client chose to
//! send one, W14).

mod geetest;
mod recaptcha;

use std::time::Duration;

use serde_json::Value;

use crate::config::{CaptchaProvider, Config};

use super::{ErrorKind, ServiceError};

pub use geetest::{Geetest, GeetestRegistration};
pub use recaptcha::Recaptcha;

/// The configured captcha provider.
#[derive(Clone)]
pub enum CaptchaVerifier {
    /// No captcha.
    Disabled,
    /// Google reCAPTCHA.
    Recaptcha(Recaptcha),
    /// GeeTest v3.
    Geetest(Geetest),
}

impl CaptchaVerifier {
    /// Builds the provider the configuration names (secrets were validated by config).
    pub fn from_config(config: &Config) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        let secret = |s: &Option<crate::config::Secret>| {
            s.as_ref()
                .map(|s| s.expose().to_owned())
                .unwrap_or_default()
        };
        match config.captcha_provider {
            CaptchaProvider::None => Self::Disabled,
            CaptchaProvider::Recaptcha => Self::Recaptcha(Recaptcha::new(
                client,
                secret(&config.recaptcha_secret_key),
                config.recaptcha_verify_url.clone(),
            )),
            CaptchaProvider::Geetest => Self::Geetest(Geetest::new(
                client,
                config.geetest_id.clone().unwrap_or_default(),
                secret(&config.geetest_key),
                config.geetest_api_url.clone(),
            )),
        }
    }

    /// Whether a provider is configured.
    pub fn enabled(&self) -> bool {
        !matches!(self, Self::Disabled)
    }

    /// Checks the client's `captcha_response` (a string for reCAPTCHA, an object for
    /// GeeTest). Absent or blank: 400 `identity.captcha.required`.
    pub async fn verify(
        &self,
        response: Option<&Value>,
        remote_ip: &str,
    ) -> Result<(), ServiceError> {
        if matches!(self, Self::Disabled) {
            return Ok(());
        }
        let blank = match response {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(Value::Object(m)) => m.is_empty(),
            Some(_) => false,
        };
        if blank {
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "identity.captcha.required",
            ));
        }
        let response = response.unwrap_or(&Value::Null);
        let passed = match self {
            Self::Disabled => true,
            Self::Recaptcha(r) => r.verify(response, remote_ip).await,
            Self::Geetest(g) => g.verify(response).await?,
        };
        if passed {
            Ok(())
        } else {
            Err(ServiceError::new(
                ErrorKind::Unprocessable,
                "identity.captcha.verification_failed",
            ))
        }
    }

    /// Starts a GeeTest challenge for `users/register_geetest`.
    pub async fn register_geetest(&self) -> Result<GeetestRegistration, ServiceError> {
        match self {
            Self::Geetest(g) => g.register().await,
            _ => Err(ServiceError::new(
                ErrorKind::BadRequest,
                "identity.captcha.geetest_not_configured",
            )),
        }
    }
}
