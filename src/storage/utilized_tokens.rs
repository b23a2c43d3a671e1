//! Spent one-time tokens.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::utilized_tokens::{self, Entity as UtilizedTokens};
use super::{Conn, StorageError, now};

/// Spends `jti`: true the first time, false if it was already spent (anywhere, ever).
pub async fn spend(
    conn: &impl Conn,
    jti: &str,
    expires_at: chrono::NaiveDateTime,
) -> Result<bool, StorageError> {
    let row = utilized_tokens::ActiveModel {
        jti: Set(jti.to_owned()),
        expires_at: Set(expires_at),
        created_at: Set(now()),
        ..Default::default()
    };
    match row.insert(conn).await.map_err(StorageError::from) {
        Ok(_) => Ok(true),
        Err(StorageError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Deletes rows of tokens that can no longer verify.
pub async fn prune_expired(conn: &impl Conn) -> Result<u64, StorageError> {
    let result = UtilizedTokens::delete_many()
        .filter(utilized_tokens::Column::ExpiresAt.lt(now()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Whether `jti` was spent.
pub async fn is_spent(conn: &impl Conn, jti: &str) -> Result<bool, StorageError> {
    Ok(UtilizedTokens::find()
        .filter(utilized_tokens::Column::Jti.eq(jti))
        .one(conn)
        .await?
        .is_some())
}
