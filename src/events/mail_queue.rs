//! Mail is sent off the request path: handlers enqueue and answer; a worker delivers
//! with exponential backoff, so an SMTP outage never turns a committed sign-up into a
//! 500. (Durability across a crash comes with the transactional outbox.)

use std::time::Duration;

use tokio::sync::mpsc;

use super::mailer::{Mail, MailError, Mailer};

const MAX_ATTEMPTS: u32 = 8;
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(300);

/// Handle to the delivery worker.
#[derive(Clone)]
pub struct MailQueue {
    tx: mpsc::UnboundedSender<Mail>,
}

impl MailQueue {
    /// Spawns the worker on the current runtime.
    pub fn start(mailer: Mailer) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Mail>();
        tokio::spawn(async move {
            while let Some(mail) = rx.recv().await {
                let mailer = mailer.clone();
                tokio::spawn(deliver(mailer, mail));
            }
        });
        Self { tx }
    }

    /// Queues a message; never fails the caller.
    pub fn enqueue(&self, mail: Mail) {
        if self.tx.send(mail).is_err() {
            tracing::error!("mail worker stopped; message dropped");
        }
    }
}

async fn deliver(mailer: Mailer, mail: Mail) {
    let mut delay = FIRST_DELAY;
    for attempt in 1..=MAX_ATTEMPTS {
        match mailer.send(&mail).await {
            Ok(()) => {
                tracing::info!(mail.subject = %mail.subject, mail.attempt = attempt, "mail delivered");
                return;
            }
            Err(MailError::Malformed(e)) => {
                tracing::error!(mail.subject = %mail.subject, error = %e, "mail dropped: malformed");
                return;
            }
            Err(MailError::Transport(e)) => {
                tracing::warn!(mail.subject = %mail.subject, mail.attempt = attempt, error = %e, "mail delivery failed; will retry");
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_DELAY);
    }
    tracing::error!(mail.subject = %mail.subject, "mail delivery gave up after {MAX_ATTEMPTS} attempts");
}
