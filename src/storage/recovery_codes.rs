//! 2FA recovery codes repository: replace a user's set, spend one atomically.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};

use super::entities::otp_recovery_codes::{self, Entity as Codes};
use super::{Conn, StorageError, now};

/// Drops every code of a user and stores `digests` as the new set.
pub async fn replace(
    conn: &impl Conn,
    user_id: i64,
    digests: &[String],
) -> Result<(), StorageError> {
    Codes::delete_many()
        .filter(otp_recovery_codes::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    if digests.is_empty() {
        return Ok(());
    }
    let at = now();
    let rows = digests.iter().map(|d| otp_recovery_codes::ActiveModel {
        user_id: Set(user_id),
        code_digest: Set(d.clone()),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    });
    Codes::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// Marks the unused code with this digest as spent; false when there is none (wrong
/// code, or already used by a concurrent request).
pub async fn spend(conn: &impl Conn, user_id: i64, digest: &str) -> Result<bool, StorageError> {
    let result = Codes::update_many()
        .col_expr(otp_recovery_codes::Column::UsedAt, Expr::value(now()))
        .filter(otp_recovery_codes::Column::UserId.eq(user_id))
        .filter(otp_recovery_codes::Column::CodeDigest.eq(digest))
        .filter(otp_recovery_codes::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many unused codes a user has left.
pub async fn remaining(conn: &impl Conn, user_id: i64) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    Ok(Codes::find()
        .filter(otp_recovery_codes::Column::UserId.eq(user_id))
        .filter(otp_recovery_codes::Column::UsedAt.is_null())
        .count(conn)
        .await?)
}
