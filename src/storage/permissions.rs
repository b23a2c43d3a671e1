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
    if duplicate_exists(conn, &new, None).await? {
        return Ok(false);
    }
    insert(conn, new).await?;
    Ok(true)
}

/// Every row, for the edge's in-memory table.
pub async fn list_all(conn: &impl Conn) -> Result<Vec<Permission>, StorageError> {
    Ok(Permissions::find().all(conn).await?)
}

/// One page of rows in id order (stable across pages), and the total.
pub async fn page(
    conn: &impl Conn,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Permission>, u64), StorageError> {
    use sea_orm::QueryOrder;
    let by_id = |q: sea_orm::Select<Permissions>| q.order_by_asc(permissions::Column::Id);
    super::counted_page(conn, Permissions::find(), by_id, offset, limit).await
}

/// One row by id.
pub async fn find(conn: &impl Conn, id: i64) -> Result<Option<Permission>, StorageError> {
    Ok(Permissions::find_by_id(id).one(conn).await?)
}

/// Whether a row with exactly this role, verb, path and action exists (other than
/// `except`), so the API never stores the same rule twice.
pub async fn duplicate_exists(
    conn: &impl Conn,
    rule: &NewPermission,
    except: Option<i64>,
) -> Result<bool, StorageError> {
    let mut query = Permissions::find()
        .filter(permissions::Column::Role.eq(rule.role.as_str()))
        .filter(permissions::Column::Verb.eq(rule.verb.to_uppercase()))
        .filter(permissions::Column::Path.eq(rule.path.as_str()))
        .filter(permissions::Column::Action.eq(rule.action.to_uppercase()));
    if let Some(id) = except {
        query = query.filter(permissions::Column::Id.ne(id));
    }
    Ok(query.count(conn).await? > 0)
}

/// Inserts a row (verb and action upper-cased) and tells every instance's edge cache.
pub async fn insert(conn: &impl Conn, new: NewPermission) -> Result<Permission, StorageError> {
    let at = now();
    let row = permissions::ActiveModel {
        role: Set(new.role),
        verb: Set(new.verb.to_uppercase()),
        path: Set(new.path),
        action: Set(new.action.to_uppercase()),
        topic: Set(new.topic),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    invalidations::publish(conn, invalidations::PERMISSIONS, "").await?;
    Ok(row)
}

/// Replaces every field of a row with `rule` and tells every instance's edge cache.
pub async fn update(
    conn: &impl Conn,
    id: i64,
    rule: NewPermission,
) -> Result<Permission, StorageError> {
    let row = permissions::ActiveModel {
        id: sea_orm::Unchanged(id),
        role: Set(rule.role),
        verb: Set(rule.verb.to_uppercase()),
        path: Set(rule.path),
        action: Set(rule.action.to_uppercase()),
        topic: Set(rule.topic),
        updated_at: Set(now()),
        ..Default::default()
    }
    .update(conn)
    .await?;
    invalidations::publish(conn, invalidations::PERMISSIONS, "").await?;
    Ok(row)
}

/// Deletes a row; false when it did not exist.
pub async fn delete(conn: &impl Conn, id: i64) -> Result<bool, StorageError> {
    let result = Permissions::delete_by_id(id).exec(conn).await?;
    if result.rows_affected == 0 {
        return Ok(false);
    }
    invalidations::publish(conn, invalidations::PERMISSIONS, "").await?;
    Ok(true)
}
