//! Outgoing notifications: mail now; the Event API (RabbitMQ, outbox) joins here later.
//! Imports: `config`, `domain`.

pub mod mail_queue;
pub mod mail_templates;
pub mod mailer;

pub use mail_queue::MailQueue;
pub use mailer::{Mail, Mailer};
