//! SMS delivery backends, a closed set: `Log` (the embedded default) writes each
//! message to the log and as a file under `<data dir>/sms/`, so a developer reads the
//! verification code from disk without an SMS account; `Twilio` posts to Twilio's REST
//! API (form-encoded, HTTP basic auth with the account SID and auth token), as Barong
//! did through the twilio-ruby gem. Sending is awaited by the caller: the user must
//! learn at once when the code did not leave.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::{Config, SmsProvider};

/// How long one Twilio call may take before the user is told the SMS failed.
const TWILIO_TIMEOUT: Duration = Duration::from_secs(10);

/// One text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// Recipient in E.164 form (`+447418084106`).
    pub to: String,
    /// The text.
    pub body: String,
}

/// Why a message did not leave.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The settings cannot work (checked at startup).
    #[error("SMS settings: {0}")]
    Config(String),
    /// The provider refused the message or could not be reached.
    #[error("SMS provider: {0}")]
    Provider(String),
    /// The log sender could not write its file.
    #[error("SMS file: {0}")]
    Io(#[from] std::io::Error),
}

/// Twilio credentials and endpoint.
#[derive(Clone)]
pub struct TwilioSender {
    client: reqwest::Client,
    messages_url: String,
    account_sid: String,
    auth_token: String,
    from: String,
}

/// The configured SMS backend.
#[derive(Clone)]
pub enum SmsSender {
    /// Writes messages to the log and to files in a folder.
    Log {
        /// Target folder.
        dir: PathBuf,
    },
    /// Sends through Twilio.
    Twilio(Box<TwilioSender>),
}

impl SmsSender {
    /// The provider named by `sms_provider`; the log sender writes into `<data dir>/sms`.
    pub fn from_config(config: &Config) -> Result<Self, SmsError> {
        match config.sms_provider {
            SmsProvider::Log => {
                // The development default: say so at every start, since in production
                // it would put every verification code in the log.
                tracing::warn!(
                    "SMS provider is `log`: verification codes go to the log and to <data dir>/sms; set BARONG_SMS_PROVIDER=twilio in production"
                );
                Ok(Self::Log {
                    dir: config.data_dir.join("sms"),
                })
            }
            SmsProvider::Twilio => {
                let missing = || SmsError::Config("Twilio credentials are missing".to_owned());
                let account_sid = config.twilio_account_sid.clone().ok_or_else(missing)?;
                let auth_token = config
                    .twilio_auth_token
                    .as_ref()
                    .ok_or_else(missing)?
                    .expose()
                    .to_owned();
                let client = reqwest::Client::builder()
                    .timeout(TWILIO_TIMEOUT)
                    .build()
                    .map_err(|e| SmsError::Config(e.to_string()))?;
                let messages_url = format!(
                    "{}/2010-04-01/Accounts/{account_sid}/Messages.json",
                    config.twilio_api_url.trim_end_matches('/')
                );
                Ok(Self::Twilio(Box::new(TwilioSender {
                    client,
                    messages_url,
                    account_sid,
                    auth_token,
                    from: config.twilio_phone_number.clone(),
                })))
            }
        }
    }

    /// Delivers one message.
    pub async fn send(&self, sms: &Sms) -> Result<(), SmsError> {
        match self {
            Self::Log { dir } => {
                // Deliberate: this sender exists so a developer can read the code.
                tracing::info!(sms.to = %sms.to, sms.body = %sms.body, "SMS (log sender)");
                write_file(dir, sms).await
            }
            Self::Twilio(twilio) => twilio.send(sms).await,
        }
    }
}

impl TwilioSender {
    async fn send(&self, sms: &Sms) -> Result<(), SmsError> {
        let form = [
            ("To", sms.to.as_str()),
            ("From", self.from.as_str()),
            ("Body", sms.body.as_str()),
        ];
        let response = self
            .client
            .post(&self.messages_url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&form)
            .send()
            .await
            .map_err(|e| SmsError::Provider(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // Twilio's error body names the reason (`{"code":21211,"message":"..."}`); it
        // never echoes the message text, so it is safe to log.
        let detail: serde_json::Value = response.json().await.unwrap_or_default();
        Err(SmsError::Provider(format!(
            "HTTP {status}, code {}, {}",
            detail["code"], detail["message"]
        )))
    }
}

/// Writes `<timestamp>-<random>.sms` through a temporary name, so a reader never sees
/// half a file; the first line names the recipient, the text follows a blank line.
async fn write_file(dir: &Path, sms: &Sms) -> Result<(), SmsError> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
        crate::crypto::random::hex_token(4)
    );
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, format!("To: {}\n\n{}\n", sms.to, sms.body)).await?;
    tokio::fs::rename(&tmp, dir.join(format!("{name}.sms"))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn log_sender_writes_a_readable_file() {
        let dir = tempfile::tempdir().unwrap();
        let sender = SmsSender::Log {
            dir: dir.path().join("sms"),
        };
        let sms = Sms {
            to: "+447418084106".to_owned(),
            body: "Your verification code for Barong: 01234".to_owned(),
        };
        sender.send(&sms).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("sms"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert!(files[0].extension().is_some_and(|e| e == "sms"));
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert_eq!(
            text,
            "To: +447418084106\n\nYour verification code for Barong: 01234\n"
        );
    }
}
