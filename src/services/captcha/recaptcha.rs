//! Google reCAPTCHA server-side verification (`siteverify`).

use serde_json::Value;

/// reCAPTCHA client.
#[derive(Clone)]
pub struct Recaptcha {
    client: reqwest::Client,
    secret: String,
    verify_url: String,
}

impl Recaptcha {
    /// A client for `verify_url` with the site's secret key.
    pub fn new(client: reqwest::Client, secret: String, verify_url: String) -> Self {
        Self {
            client,
            secret,
            verify_url,
        }
    }

    /// True when Google says the response token is valid; any failure is false.
    pub async fn verify(&self, response: &Value, remote_ip: &str) -> bool {
        let Some(token) = response.as_str() else {
            return false;
        };
        let form = [
            ("secret", self.secret.as_str()),
            ("response", token),
            ("remoteip", remote_ip),
        ];
        let answer = match self.client.post(&self.verify_url).form(&form).send().await {
            Ok(r) => r.json::<Value>().await,
            Err(e) => {
                tracing::warn!(error = %e, "reCAPTCHA unreachable");
                return false;
            }
        };
        matches!(answer, Ok(body) if body.get("success") == Some(&Value::Bool(true)))
    }
}
