//! Labels repository.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::labels::{self, Entity as Labels};
use super::{Conn, StorageError, now};

pub use labels::Model as Label;

/// Creates the label or changes its value (one row per user, key and scope).
pub async fn upsert(
    conn: &impl Conn,
    user_id: i64,
    key: &str,
    value: &str,
    scope: &str,
) -> Result<Label, StorageError> {
    match find(conn, user_id, key, scope).await? {
        Some(row) => set_value(conn, row, value).await,
        None => insert(conn, user_id, key, value, scope).await,
    }
}

/// Every label of a user in one scope, oldest first.
pub async fn list_by_scope(
    conn: &impl Conn,
    user_id: i64,
    scope: &str,
) -> Result<Vec<Label>, StorageError> {
    Ok(Labels::find()
        .filter(labels::Column::UserId.eq(user_id))
        .filter(labels::Column::Scope.eq(scope))
        .order_by_asc(labels::Column::Id)
        .all(conn)
        .await?)
}

/// Every label of a user, all scopes, oldest first (what `GET labels` lists).
pub async fn list_for_user(conn: &impl Conn, user_id: i64) -> Result<Vec<Label>, StorageError> {
    Ok(Labels::find()
        .filter(labels::Column::UserId.eq(user_id))
        .order_by_asc(labels::Column::Id)
        .all(conn)
        .await?)
}

/// One label by user, key and scope.
pub async fn find(
    conn: &impl Conn,
    user_id: i64,
    key: &str,
    scope: &str,
) -> Result<Option<Label>, StorageError> {
    Ok(Labels::find()
        .filter(labels::Column::UserId.eq(user_id))
        .filter(labels::Column::Key.eq(key))
        .filter(labels::Column::Scope.eq(scope))
        .one(conn)
        .await?)
}

/// Inserts a new label; an existing (user, key, scope) is the 422 `key.taken`.
pub async fn insert(
    conn: &impl Conn,
    user_id: i64,
    key: &str,
    value: &str,
    scope: &str,
) -> Result<Label, StorageError> {
    let at = now();
    Ok(labels::ActiveModel {
        user_id: Set(user_id),
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        scope: Set(scope.to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Changes the value of a stored label.
pub async fn set_value(conn: &impl Conn, label: Label, value: &str) -> Result<Label, StorageError> {
    let mut active: labels::ActiveModel = label.into();
    active.value = Set(value.to_owned());
    active.updated_at = Set(now());
    Ok(active.update(conn).await?)
}

/// Deletes one label by id.
pub async fn delete(conn: &impl Conn, id: i64) -> Result<(), StorageError> {
    Labels::delete_by_id(id).exec(conn).await?;
    Ok(())
}
