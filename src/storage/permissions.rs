//! Permissions repository.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::entities::permissions::{self, Entity as Permissions};
use super::{Conn, StorageError, invalidations, now};

pub use permissions::Model as Permission;

/// A permission to store; verb and action are upper-cased on insert (Barong).
#[derive(Debug, Clone)]
pub struct NewPermission {
    /// Role.
    pub role: String,
    /// Method or ALL.
    pub verb: String,
    /// Path prefix.
    pub path: String,
    /// ACCEPT, DROP or AUDIT.
    pub action: String,
    /// Audit topic.
    pub topic: Option<String>,
}

/// Whether any permission row names `role` (a role "exists" only through them).
pub async fn role_exists(conn: &impl Conn, role: &str) -> Result<bool, StorageError> {
    Ok(Permissions::find()
        .filter(permissions::Column::Role.eq(role))
        .count(conn)
        .await?
        > 0)
}

/// Number of rows (an empty table means a fresh database to seed).
pub async fn count(conn: &impl Conn) -> Result<u64, StorageError> {
    Ok(Permissions::find().count(conn).await?)
}

/// Inserts unless an identical role/verb/path/action row exists; returns whether added.
pub async fn insert_if_missing(conn: &impl Conn, new: NewPermission) -> Result<bool, StorageError> {
    let (verb, action) = (new.verb.to_uppercase(), new.action.to_uppercase());
    let exists = Permissions::find()
        .filter(permissions::Column::Role.eq(new.role.as_str()))
        .filter(permissions::Column::Verb.eq(verb.as_str()))
        .filter(permissions::Column::Path.eq(new.path.as_str()))
        .filter(permissions::Column::Action.eq(action.as_str()))
        .one(conn)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    let at = now();
    permissions::ActiveModel {
        role: Set(new.role),
        verb: Set(verb),
        path: Set(new.path),
        action: Set(action),
        topic: Set(new.topic),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    invalidations::publish(conn, invalidations::PERMISSIONS, "").await?;
    Ok(true)
}

/// Every row, for the edge's in-memory table.
pub async fn list_all(conn: &impl Conn) -> Result<Vec<Permission>, StorageError> {
    Ok(Permissions::find().all(conn).await?)
}
