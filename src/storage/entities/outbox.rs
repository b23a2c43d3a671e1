//! `outbox` rows.

use sea_orm::entity::prelude::*;

/// One event waiting for (or done with) its consumers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    /// Position; the relay publishes in this order.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// UUID carried as the message id and the envelope's `jti`, so consumers de-duplicate.
    pub event_id: String,
    /// Full event name, e.g. `model.user.created`.
    pub name: String,
    /// JSON of the event payload (without `name`).
    pub payload: String,
    /// When the change committed.
    pub created_at: DateTime,
    /// When the broker confirmed it; NULL while waiting.
    pub published_at: Option<DateTime>,
    /// Whether the mailer acts on this event.
    pub mail: bool,
    /// When the mail went out (or was given up); NULL while waiting.
    pub mailed_at: Option<DateTime>,
    /// Failed delivery attempts so far.
    pub mail_attempts: i32,
    /// Not before this time (backoff after a failure).
    pub mail_next_at: Option<DateTime>,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
