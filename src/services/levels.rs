//! Recomputing a user's level after a private label changed (email confirmed, phone
//! verified, KYC decision), shared by every flow that writes private labels.

use crate::domain::label::PRIVATE;
use crate::domain::level::derive_level;
use crate::storage::{self, Conn, StorageError};

/// Derives the level from the ladder and the user's private labels and stores it.
pub async fn recompute(conn: &impl Conn, user_id: i64) -> Result<i32, StorageError> {
    let ladder = storage::levels::ladder(conn).await?;
    let labels: Vec<(String, String)> = storage::labels::list_by_scope(conn, user_id, PRIVATE)
        .await?
        .into_iter()
        .map(|l| (l.key, l.value))
        .collect();
    let level = derive_level(&ladder, &labels);
    storage::users::set_level(conn, user_id, level).await?;
    Ok(level)
}

/// Sets a private label and recomputes the level, in the caller's transaction.
pub async fn set_private_label(
    conn: &impl Conn,
    user_id: i64,
    key: &str,
    value: &str,
) -> Result<i32, StorageError> {
    storage::labels::upsert(conn, user_id, key, value, PRIVATE).await?;
    recompute(conn, user_id).await
}
