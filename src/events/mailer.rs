//! Mail delivery backends, a closed set: `Dir` writes one RFC 5322 `.eml` file per
//! message (the embedded default: a newcomer reads confirmation links from disk), `Smtp`
//! sends through lettre's async SMTP transport.

use std::path::PathBuf;

use lettre::message::Body;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Why a mail could not be delivered (the queue retries).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Addresses or headers are malformed; retrying cannot help.
    #[error("malformed mail: {0}")]
    Malformed(String),
    /// The transport failed; a retry may succeed.
    #[error("mail transport: {0}")]
    Transport(String),
}

/// The configured mail backend.
#[derive(Clone)]
pub enum Mailer {
    /// Writes `.eml` files into a folder.
    Dir {
        /// Target folder.
        dir: PathBuf,
        /// `From:` address.
        from: String,
    },
    /// Sends over SMTP.
    Smtp {
        /// The pooled transport.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// `From:` address.
        from: String,
    },
}

impl Mailer {
    /// SMTP when a URL is configured, otherwise the mail folder.
    pub fn from_config(
        smtp_url: Option<&str>,
        mail_dir: PathBuf,
        from: &str,
    ) -> Result<Self, MailError> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Malformed(format!("smtp_url: {e}")))?
                    .build();
                Ok(Self::Smtp {
                    transport,
                    from: from.to_owned(),
                })
            }
            None => Ok(Self::Dir {
                dir: mail_dir,
                from: from.to_owned(),
            }),
        }
    }

    /// Delivers one message.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        match self {
            Self::Dir { dir, from } => {
                let bytes = build(from, mail)?.formatted();
                write_eml(dir, &bytes).await
            }
            Self::Smtp { transport, from } => {
                let message = build(from, mail)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Transport(e.to_string()))
            }
        }
    }
}

fn build(from: &str, mail: &Mail) -> Result<Message, MailError> {
    let malformed = |e: &dyn std::fmt::Display| MailError::Malformed(e.to_string());
    Message::builder()
        .from(from.parse().map_err(|e| malformed(&e))?)
        .to(mail.to.parse().map_err(|e| malformed(&e))?)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(plain_body(&mail.body))
        .map_err(|e| malformed(&e))
}

/// 8bit transfer encoding keeps links readable in the `.eml` file (a quoted-printable
/// body would split them with `=` soft breaks); falls back to lettre's choice.
fn plain_body(text: &str) -> Body {
    Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::EightBit)
        .unwrap_or_else(|_| Body::new(text.to_owned()))
}

/// Writes through a temporary name and renames, so a reader never sees half a file.
async fn write_eml(dir: &std::path::Path, bytes: &[u8]) -> Result<(), MailError> {
    let io = |e: std::io::Error| MailError::Transport(e.to_string());
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    let name = format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
        crate::crypto::random::hex_token(4)
    );
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes).await.map_err(io)?;
    tokio::fs::rename(&tmp, dir.join(format!("{name}.eml")))
        .await
        .map_err(io)
}
