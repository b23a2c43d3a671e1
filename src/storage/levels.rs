//! Levels repository.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::levels::{self, Entity as Levels};
use super::{Conn, StorageError, now};
use crate::domain::level::LevelRung;

/// The ladder in ascending id.
pub async fn ladder(conn: &impl Conn) -> Result<Vec<LevelRung>, StorageError> {
    let rows = Levels::find()
        .order_by_asc(levels::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| LevelRung {
            id: r.id,
            key: r.key,
            value: r.value.unwrap_or_default(),
        })
        .collect())
}

/// Adds a rung unless the same key/value exists; returns whether it was added.
pub async fn insert_if_missing(
    conn: &impl Conn,
    key: &str,
    value: &str,
    description: &str,
) -> Result<bool, StorageError> {
    let exists = Levels::find()
        .filter(levels::Column::Key.eq(key))
        .filter(levels::Column::Value.eq(value))
        .one(conn)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    let at = now();
    levels::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(Some(value.to_owned())),
        description: Set(Some(description.to_owned())),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(true)
}
