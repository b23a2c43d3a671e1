//! The outbox relay: one per cluster (it holds the `relay` lease), it drains the outbox
//! in id order to RabbitMQ with publisher confirms, marks each row only once the broker
//! acknowledged it, hands mail-bearing events to the mailer with per-row backoff, and
//! prunes finished rows. A broker or SMTP outage only delays delivery: the rows wait,
//! nothing is lost, and delivery resumes in order when the dependency is back.
//! Delivery is at least once (a crash between the broker's ack and the row update
//! republishes); the envelope's `jti` and the AMQP `message_id` are the event's id so
//! consumers can de-duplicate.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use serde_json::{Value, json};
use tokio::sync::watch;

use super::amqp::{AmqpError, AmqpPublisher};
use super::mail_events::{MailSettings, mail_for};
use super::mailer::{MailError, Mailer};
use crate::crypto::jwt::JwtKeys;
use crate::domain::event;
use crate::observability::Metrics;
use crate::storage::outbox::{self, OutboxRow};
use crate::storage::{self, Database, StorageError};

const LEASE: &str = "relay";
const LEASE_TTL: TimeDelta = TimeDelta::seconds(15);
const LEASE_RENEW: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(200);
const BATCH: u64 = 100;
const MAIL_BATCH: u64 = 20;
const MAIL_MAX_ATTEMPTS: i32 = 12;
/// One delivery attempt, shorter than the lease.
const MAIL_TIMEOUT: Duration = Duration::from_secs(10);
const BROKER_BACKOFF_MAX: Duration = Duration::from_secs(30);
const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// Barong's envelope lifetime: consumers checking `exp` get a minute per message.
const ENVELOPE_TTL_SECS: i64 = 60;

/// What the relay needs to run.
pub struct Relay {
    /// The database holding the outbox.
    pub db: Database,
    /// Where mail goes.
    pub mailer: Mailer,
    /// Template settings.
    pub mail: MailSettings,
    /// The key signing event envelopes.
    pub event_keys: JwtKeys,
    /// RabbitMQ URL; `None`: events are only mailed.
    pub amqp_url: Option<String>,
    /// How long finished rows are kept.
    pub retention: Duration,
    /// Counters and gauges.
    pub metrics: Metrics,
}

struct Broker {
    url: String,
    publisher: Option<AmqpPublisher>,
    retry_at: Instant,
    backoff: Duration,
}

impl Relay {
    /// Runs until `stop` turns true, then gives the lease up.
    pub fn spawn(self, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.run(stop))
    }

    async fn run(self, mut stop: watch::Receiver<bool>) {
        let holder = uuid::Uuid::new_v4().simple().to_string();
        let mut broker = self.amqp_url.clone().map(|url| Broker {
            url,
            publisher: None,
            retry_at: Instant::now(),
            backoff: Duration::from_secs(1),
        });
        let retention = TimeDelta::from_std(self.retention).unwrap_or(TimeDelta::days(7));
        let mut leader = false;
        let mut lease_checked: Option<Instant> = None;
        let mut pruned = Instant::now();
        loop {
            if lease_checked.is_none_or(|at| at.elapsed() >= LEASE_RENEW) {
                leader = match outbox::lease(self.db.conn(), LEASE, &holder, LEASE_TTL).await {
                    Ok(held) => held,
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox lease check failed");
                        false
                    }
                };
                lease_checked = Some(Instant::now());
            }
            if leader {
                if let Some(broker) = broker.as_mut() {
                    self.publish_due(broker).await;
                }
                self.mail_due().await;
                if pruned.elapsed() >= PRUNE_EVERY {
                    pruned = Instant::now();
                    match outbox::prune(self.db.conn(), retention, broker.is_some()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(outbox.pruned = n, "old outbox rows pruned"),
                        Err(e) => tracing::warn!(error = %e, "outbox prune failed"),
                    }
                }
            } else if let Some(b) = broker.as_mut()
                && let Some(p) = b.publisher.take()
            {
                p.close().await;
            }
            let connected = broker.as_ref().is_some_and(|b| {
                b.publisher
                    .as_ref()
                    .is_some_and(AmqpPublisher::is_connected)
            });
            self.metrics.relay_state(leader, connected);
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => break,
            }
            if *stop.borrow() {
                break;
            }
        }
        if let Some(p) = broker.and_then(|b| b.publisher) {
            p.close().await;
        }
        if let Err(e) = outbox::release(self.db.conn(), LEASE, &holder).await {
            tracing::warn!(error = %e, "outbox lease not released; another instance takes over when it lapses");
        }
    }

    /// Publishes waiting rows in order until none is left or the broker fails.
    async fn publish_due(&self, broker: &mut Broker) {
        if Instant::now() < broker.retry_at {
            return;
        }
        // Back to the main loop at least once per renewal period, so a long backlog
        // never outlives the lease.
        let started = Instant::now();
        loop {
            let rows = match outbox::unpublished(self.db.conn(), BATCH).await {
                Ok(rows) if rows.is_empty() => return,
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox read failed");
                    return;
                }
            };
            let full = rows.len() as u64 == BATCH;
            match self.publish_rows(broker, &rows).await {
                Ok(()) => {
                    broker.backoff = Duration::from_secs(1);
                    if !full || started.elapsed() >= LEASE_RENEW {
                        return;
                    }
                }
                Err(e) => {
                    self.metrics.event_publish_failed();
                    if let Some(p) = broker.publisher.take() {
                        p.close().await;
                    }
                    tracing::warn!(error = %e, retry.after_ms = broker.backoff.as_millis() as u64, "event publication failed; events wait in the outbox");
                    broker.retry_at = Instant::now() + broker.backoff;
                    broker.backoff = (broker.backoff * 2).min(BROKER_BACKOFF_MAX);
                    return;
                }
            }
        }
    }

    async fn publish_rows(
        &self,
        broker: &mut Broker,
        rows: &[OutboxRow],
    ) -> Result<(), RelayError> {
        if !broker
            .publisher
            .as_ref()
            .is_some_and(AmqpPublisher::is_connected)
        {
            broker.publisher = Some(AmqpPublisher::connect(&broker.url).await?);
            tracing::info!("connected to RabbitMQ");
        }
        let Some(publisher) = broker.publisher.as_ref() else {
            return Ok(());
        };
        // Send the whole batch, then collect the confirmations in order: only the
        // confirmed prefix is marked, so nothing unconfirmed is ever skipped.
        let mut sent = Vec::with_capacity(rows.len());
        let mut failure = None;
        for row in rows {
            let body = match self.envelope(row) {
                Ok(body) => body,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            let (exchange, routing_key) = event::route(&row.name);
            match publisher
                .send(&exchange, routing_key, &row.event_id, &body)
                .await
            {
                Ok(confirm) => sent.push((row.id, confirm)),
                Err(e) => {
                    failure = Some(e.into());
                    break;
                }
            }
        }
        let mut done = Vec::with_capacity(sent.len());
        for (id, confirm) in sent {
            if let Err(e) = AmqpPublisher::confirmed(confirm).await {
                failure.get_or_insert(e.into());
                break;
            }
            done.push(id);
            self.metrics.event_published();
        }
        outbox::mark_published(self.db.conn(), &done).await?;
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Barong's envelope around one event, signed now (so `exp` holds for a minute
    /// after publication however long the event waited).
    fn envelope(&self, row: &OutboxRow) -> Result<Vec<u8>, RelayError> {
        let mut payload: Value =
            serde_json::from_str(&row.payload).map_err(|e| RelayError::Envelope(e.to_string()))?;
        if let Some(map) = payload.as_object_mut() {
            map.insert("name".to_owned(), Value::String(row.name.clone()));
        }
        let iat = chrono::Utc::now().timestamp();
        let claims = json!({
            "iss": "barong",
            "jti": row.event_id,
            "iat": iat,
            "exp": iat + ENVELOPE_TTL_SECS,
            "event": payload,
        });
        let envelope = self
            .event_keys
            .sign_general(&claims, "barong")
            .map_err(|e| RelayError::Envelope(e.to_string()))?;
        Ok(envelope.to_string().into_bytes())
    }

    /// Sends the mail of due rows; a failure backs that row off without blocking others.
    async fn mail_due(&self) {
        let rows = match outbox::mail_due(self.db.conn(), MAIL_BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "outbox read failed");
                return;
            }
        };
        // Within the renewal period, like publication, so a slow SMTP server cannot
        // keep the relay past its lease.
        let started = Instant::now();
        for row in rows {
            if started.elapsed() >= LEASE_RENEW {
                return;
            }
            if let Err(e) = self.mail_row(&row).await {
                tracing::warn!(error = %e, outbox.id = row.id, "mail bookkeeping failed");
            }
        }
    }

    async fn mail_row(&self, row: &OutboxRow) -> Result<(), StorageError> {
        let conn = self.db.conn();
        let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
        let Some(mail) = mail_for(&row.name, &payload, &self.mail) else {
            return outbox::mark_mailed(conn, row.id).await;
        };
        let sent = tokio::time::timeout(MAIL_TIMEOUT, self.mailer.send(&mail))
            .await
            .unwrap_or_else(|_| Err(MailError::Transport("timed out".to_owned())));
        match sent {
            Ok(()) => {
                self.metrics.mail(true);
                tracing::info!(event.name = %row.name, mail.subject = %mail.subject, "mail delivered");
                outbox::mark_mailed(conn, row.id).await
            }
            Err(MailError::Malformed(e)) => {
                self.metrics.mail(false);
                tracing::error!(event.name = %row.name, error = %e, "mail dropped: malformed");
                outbox::mark_mailed(conn, row.id).await
            }
            Err(MailError::Transport(e)) => {
                self.metrics.mail(false);
                let attempts = row.mail_attempts + 1;
                if attempts >= MAIL_MAX_ATTEMPTS {
                    tracing::error!(event.name = %row.name, mail.attempts = attempts, error = %e, "mail given up");
                    return outbox::mark_mailed(conn, row.id).await;
                }
                let delay = TimeDelta::seconds(1_i64 << attempts.clamp(0, 12));
                tracing::warn!(event.name = %row.name, mail.attempt = attempts, error = %e, "mail delivery failed; will retry");
                outbox::mail_failed(conn, row.id, attempts, storage::now() + delay).await
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error(transparent)]
    Broker(#[from] AmqpError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("cannot build the envelope: {0}")]
    Envelope(String),
}
