//! Outgoing notifications: the Event API (outbox relay to RabbitMQ), mail rendered from
//! events, and SMS. Imports: `config`, `crypto`, `domain`, `observability`, `storage`
//! (the outbox it drains).

pub mod amqp;
pub mod mail_events;
pub mod mail_templates;
pub mod mailer;
pub mod relay;
pub mod sms;

pub use mail_events::MailSettings;
pub use mailer::{Mail, Mailer};
pub use relay::Relay;
pub use sms::{Sms, SmsSender};
