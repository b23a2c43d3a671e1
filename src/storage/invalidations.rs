//! The change feed behind edge caches: every write to a user, an API key or the
//! permission table appends a notice here (in the writer's transaction), and each
//! instance polls the feed to drop stale cache entries.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::cache_invalidations::{self, Entity as Feed};
use super::{Conn, StorageError, now};

/// Topic of user changes (key: uid).
pub const USER: &str = "user";
/// Topic of API-key changes (key: kid).
pub const APIKEY: &str = "apikey";
/// Topic of permission-table changes (key empty).
pub const PERMISSIONS: &str = "permissions";

/// A notice read from the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Feed position.
    pub id: i64,
    /// Topic.
    pub topic: String,
    /// Key within the topic.
    pub key: String,
}

/// Appends a notice.
pub async fn publish(conn: &impl Conn, topic: &str, key: &str) -> Result<(), StorageError> {
    cache_invalidations::ActiveModel {
        topic: Set(topic.to_owned()),
        key: Set(key.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Notices after `after`, oldest first (at most 1000 per call).
pub async fn since(conn: &impl Conn, after: i64) -> Result<Vec<Notice>, StorageError> {
    let rows = Feed::find()
        .filter(cache_invalidations::Column::Id.gt(after))
        .order_by_asc(cache_invalidations::Column::Id)
        .limit(1000)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Notice {
            id: r.id,
            topic: r.topic,
            key: r.key,
        })
        .collect())
}

/// The newest position (a poller starts there).
pub async fn head(conn: &impl Conn) -> Result<i64, StorageError> {
    let row = Feed::find()
        .order_by_desc(cache_invalidations::Column::Id)
        .one(conn)
        .await?;
    Ok(row.map_or(0, |r| r.id))
}

/// Deletes notices older than `age`.
pub async fn prune(conn: &impl Conn, age: chrono::Duration) -> Result<u64, StorageError> {
    let cutoff = now() - age;
    let result = Feed::delete_many()
        .filter(cache_invalidations::Column::CreatedAt.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
