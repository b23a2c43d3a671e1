//! GeeTest v3: `register.php` starts a challenge, `validate.php` confirms a solved one.

use md5::{Digest, Md5};
use serde::Serialize;
use serde_json::Value;

use crate::services::{ErrorKind, ServiceError};

/// GeeTest client.
#[derive(Clone)]
pub struct Geetest {
    client: reqwest::Client,
    id: String,
    key: String,
    api_url: String,
}

/// What `register_geetest` returns to the front end.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GeetestRegistration {
    /// The captcha id.
    pub gt: String,
    /// The challenge to render.
    pub challenge: String,
}

fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

impl Geetest {
    /// A client for the given account.
    pub fn new(client: reqwest::Client, id: String, key: String, api_url: String) -> Self {
        Self {
            client,
            id,
            key,
            api_url: api_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Fetches a challenge; an unreachable GeeTest is a 503 (Barong answered `""`).
    pub async fn register(&self) -> Result<GeetestRegistration, ServiceError> {
        let url = format!("{}/register.php", self.api_url);
        let body = self
            .client
            .get(url)
            .query(&[("gt", self.id.as_str())])
            .send()
            .await
            .and_then(|r| r.error_for_status());
        let body = match body {
            Ok(r) => r.text().await.map_err(|_| unavailable())?,
            Err(e) => {
                tracing::warn!(error = %e, "GeeTest unreachable");
                return Err(unavailable());
            }
        };
        Ok(GeetestRegistration {
            gt: self.id.clone(),
            challenge: md5_hex(&format!("{}{}", body.trim(), self.key)),
        })
    }

    /// Checks a solved challenge; a response without the three string fields is a 400.
    pub async fn verify(&self, response: &Value) -> Result<bool, ServiceError> {
        let field = |name: &str| {
            response
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let (Some(challenge), Some(validate), Some(seccode)) = (
            field("geetest_challenge"),
            field("geetest_validate"),
            field("geetest_seccode"),
        ) else {
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "identity.captcha.mandatory_fields",
            ));
        };
        let expected = md5_hex(&format!("{}geetest{challenge}", self.key));
        if !crate::crypto::constant_time_eq(expected.as_bytes(), validate.as_bytes()) {
            return Ok(false);
        }
        let url = format!("{}/validate.php", self.api_url);
        let answer = self
            .client
            .post(url)
            .form(&[("seccode", seccode.as_str())])
            .send()
            .await;
        match answer {
            Ok(r) => Ok(r
                .text()
                .await
                .map(|t| t.trim() == md5_hex(&seccode))
                .unwrap_or(false)),
            Err(e) => {
                tracing::warn!(error = %e, "GeeTest unreachable");
                Ok(false)
            }
        }
    }
}

fn unavailable() -> ServiceError {
    ServiceError::new(ErrorKind::Unavailable, "identity.captcha.unavailable")
}
