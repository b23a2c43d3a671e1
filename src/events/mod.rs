//! Outgoing notifications: mail and SMS now; the Event API (RabbitMQ, outbox) joins here later.
//! Imports: `config`, `domain`.

pub mod mail_queue;
pub mod mail_templates;
pub mod mailer;
pub mod sms;

pub use mail_queue::MailQueue;
pub use mailer::{Mail, Mailer};
pub use sms::{Sms, SmsSender};
