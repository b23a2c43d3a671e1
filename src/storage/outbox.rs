//! The transactional outbox: events are appended in the writer's transaction (so an
//! event exists exactly when its change committed), then drained in id order by the
//! relay, which marks each row once the broker confirmed it and once the mailer sent its
//! message. A lease row makes the relay a cluster-wide singleton, so replicas never
//! publish the same row concurrently and order holds.

use chrono::{NaiveDateTime, TimeDelta};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};

use super::entities::outbox::{self, Entity as Outbox};
use super::entities::outbox_leases::{self, Entity as Leases};
use super::{Conn, StorageError, now};
use crate::domain::event;

pub use outbox::Model as OutboxRow;

/// Appends an event; call it with the transaction of the change it reports.
pub async fn append(
    conn: &impl Conn,
    name: &str,
    payload: &serde_json::Value,
) -> Result<(), StorageError> {
    outbox::ActiveModel {
        event_id: Set(uuid::Uuid::new_v4().to_string()),
        name: Set(name.to_owned()),
        payload: Set(payload.to_string()),
        created_at: Set(now()),
        published_at: Set(None),
        mail: Set(event::is_mailed(name)),
        mailed_at: Set(None),
        mail_attempts: Set(0),
        mail_next_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The oldest events the broker has not confirmed, in publication order.
pub async fn unpublished(conn: &impl Conn, limit: u64) -> Result<Vec<OutboxRow>, StorageError> {
    Ok(Outbox::find()
        .filter(outbox::Column::PublishedAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Marks rows as confirmed by the broker.
pub async fn mark_published(conn: &impl Conn, ids: &[i64]) -> Result<(), StorageError> {
    if ids.is_empty() {
        return Ok(());
    }
    Outbox::update_many()
        .col_expr(outbox::Column::PublishedAt, Expr::value(now()))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Mail-bearing events not yet mailed whose backoff has passed, oldest first.
pub async fn mail_due(conn: &impl Conn, limit: u64) -> Result<Vec<OutboxRow>, StorageError> {
    Ok(Outbox::find()
        .filter(outbox::Column::Mail.eq(true))
        .filter(outbox::Column::MailedAt.is_null())
        .filter(
            Condition::any()
                .add(outbox::Column::MailNextAt.is_null())
                .add(outbox::Column::MailNextAt.lte(now())),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Marks a row's mail as done (sent, or given up after logging why).
pub async fn mark_mailed(conn: &impl Conn, id: i64) -> Result<(), StorageError> {
    Outbox::update_many()
        .col_expr(outbox::Column::MailedAt, Expr::value(now()))
        .filter(outbox::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records a failed delivery and when to try again.
pub async fn mail_failed(
    conn: &impl Conn,
    id: i64,
    attempts: i32,
    next_at: NaiveDateTime,
) -> Result<(), StorageError> {
    Outbox::update_many()
        .col_expr(outbox::Column::MailAttempts, Expr::value(attempts))
        .col_expr(outbox::Column::MailNextAt, Expr::value(next_at))
        .filter(outbox::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes rows older than `age` that every consumer is done with; with no broker
/// configured, publication does not count (nothing would ever publish them).
pub async fn prune(conn: &impl Conn, age: TimeDelta, broker: bool) -> Result<u64, StorageError> {
    let mut done = Condition::all()
        .add(outbox::Column::CreatedAt.lt(now() - age))
        .add(
            Condition::any()
                .add(outbox::Column::Mail.eq(false))
                .add(outbox::Column::MailedAt.is_not_null()),
        );
    if broker {
        done = done.add(outbox::Column::PublishedAt.is_not_null());
    }
    Ok(Outbox::delete_many()
        .filter(done)
        .exec(conn)
        .await?
        .rows_affected)
}

/// How far behind a consumer is: rows waiting and the creation time of the oldest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Rows waiting.
    pub depth: u64,
    /// When the oldest waiting row was written.
    pub oldest: Option<NaiveDateTime>,
}

/// The broker backlog (unpublished rows).
pub async fn publish_backlog(conn: &impl Conn) -> Result<Backlog, StorageError> {
    backlog(
        conn,
        Condition::all().add(outbox::Column::PublishedAt.is_null()),
    )
    .await
}

/// The mail backlog (mail-bearing rows not yet mailed).
pub async fn mail_backlog(conn: &impl Conn) -> Result<Backlog, StorageError> {
    let waiting = Condition::all()
        .add(outbox::Column::Mail.eq(true))
        .add(outbox::Column::MailedAt.is_null());
    backlog(conn, waiting).await
}

async fn backlog(conn: &impl Conn, waiting: Condition) -> Result<Backlog, StorageError> {
    let query = Outbox::find().filter(waiting);
    let depth = query.clone().count(conn).await?;
    let oldest = query
        .order_by_asc(outbox::Column::Id)
        .one(conn)
        .await?
        .map(|row| row.created_at);
    Ok(Backlog { depth, oldest })
}

/// Takes or renews the lease `name` for `holder` for `ttl`; false while another holder's
/// lease is still running.
pub async fn lease(
    conn: &impl Conn,
    name: &str,
    holder: &str,
    ttl: TimeDelta,
) -> Result<bool, StorageError> {
    let at = now();
    Leases::update_many()
        .col_expr(outbox_leases::Column::Holder, Expr::value(holder))
        .col_expr(outbox_leases::Column::ExpiresAt, Expr::value(at + ttl))
        .filter(outbox_leases::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(outbox_leases::Column::Holder.eq(holder))
                .add(outbox_leases::Column::ExpiresAt.lt(at)),
        )
        .exec(conn)
        .await?;
    // MySQL counts only changed rows, so read the row back rather than trusting
    // rows_affected.
    match Leases::find_by_id(name.to_owned()).one(conn).await? {
        Some(row) => Ok(row.holder == holder),
        None => {
            let inserted = outbox_leases::ActiveModel {
                name: Set(name.to_owned()),
                holder: Set(holder.to_owned()),
                expires_at: Set(at + ttl),
            }
            .insert(conn)
            .await;
            match inserted {
                Ok(_) => Ok(true),
                Err(e) => match StorageError::from(e) {
                    StorageError::Conflict(_) => Ok(false),
                    other => Err(other),
                },
            }
        }
    }
}

/// Gives the lease up (on shutdown) so another instance takes over at once.
pub async fn release(conn: &impl Conn, name: &str, holder: &str) -> Result<(), StorageError> {
    Leases::update_many()
        .col_expr(
            outbox_leases::Column::ExpiresAt,
            Expr::value(NaiveDateTime::default()),
        )
        .filter(outbox_leases::Column::Name.eq(name))
        .filter(outbox_leases::Column::Holder.eq(holder))
        .exec(conn)
        .await?;
    Ok(())
}
