//! The RabbitMQ side of the Event API: one connection and one confirm-mode channel,
//! the two durable direct exchanges (`barong.events.model`, `barong.events.system`;
//! Barong declared them transient), persistent messages whose `message_id` is the
//! event id. A publish counts only once the broker acknowledged it.

use std::time::Duration;

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions};
use lapin::types::FieldTable;
use lapin::{
    BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind, PublisherConfirm,
};

/// The exchanges events go to.
pub const EXCHANGES: &[&str] = &["barong.events.model", "barong.events.system"];

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Shorter than the relay lease (15 s), so a silent broker cannot keep a batch past it.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(10);
/// AMQP delivery mode 2: the broker writes the message to disk.
const PERSISTENT: u8 = 2;

/// The broker is unreachable or refused a message; the relay reconnects and retries.
#[derive(Debug, thiserror::Error)]
#[error("amqp: {0}")]
pub struct AmqpError(String);

impl From<lapin::Error> for AmqpError {
    fn from(e: lapin::Error) -> Self {
        Self(e.to_string())
    }
}

/// A connected publisher.
pub struct AmqpPublisher {
    connection: Connection,
    channel: Channel,
}

impl AmqpPublisher {
    /// Connects, enables publisher confirms and declares the exchanges.
    pub async fn connect(url: &str) -> Result<Self, AmqpError> {
        let connection = tokio::time::timeout(
            CONNECT_TIMEOUT,
            Connection::connect(url, ConnectionProperties::default()),
        )
        .await
        .map_err(|_| AmqpError("connect timed out".to_owned()))??;
        let channel = connection.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        for exchange in EXCHANGES {
            channel
                .exchange_declare(
                    (*exchange).into(),
                    ExchangeKind::Direct,
                    ExchangeDeclareOptions {
                        durable: true,
                        ..ExchangeDeclareOptions::default()
                    },
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(Self {
            connection,
            channel,
        })
    }

    /// Whether the connection is still usable.
    pub fn is_connected(&self) -> bool {
        self.connection.status().connected() && self.channel.status().connected()
    }

    /// Sends one message; the returned handle resolves when the broker confirms it.
    /// Messages sent on the channel keep their order, so a caller may send a batch and
    /// then await the confirmations in order.
    pub async fn send(
        &self,
        exchange: &str,
        routing_key: &str,
        message_id: &str,
        body: &[u8],
    ) -> Result<PublisherConfirm, AmqpError> {
        let properties = BasicProperties::default()
            .with_message_id(message_id.into())
            .with_content_type("application/json".into())
            .with_delivery_mode(PERSISTENT)
            .with_timestamp(chrono::Utc::now().timestamp().unsigned_abs());
        Ok(self
            .channel
            .basic_publish(
                exchange.into(),
                routing_key.into(),
                BasicPublishOptions::default(),
                body,
                properties,
            )
            .await?)
    }

    /// Waits for a message's confirmation; a nack or silence is an error.
    pub async fn confirmed(confirm: PublisherConfirm) -> Result<(), AmqpError> {
        let confirmation = tokio::time::timeout(CONFIRM_TIMEOUT, confirm)
            .await
            .map_err(|_| AmqpError("confirmation timed out".to_owned()))??;
        if confirmation.is_ack() {
            Ok(())
        } else {
            Err(AmqpError("broker refused the message (nack)".to_owned()))
        }
    }

    /// Closes the connection politely.
    pub async fn close(self) {
        let _ = self.connection.close(200, "shutdown".into()).await;
    }
}
