//! API keys repository. Every change publishes an invalidation so the edge stops
//! accepting a deactivated key within a second on every instance.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};

use super::entities::apikeys::{self, Entity as Apikeys};
use super::{Conn, StorageError, invalidations, now};

pub use apikeys::Model as ApiKey;

/// What creating a key stores.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// Owner's internal id.
    pub user_id: i64,
    /// Key id.
    pub kid: String,
    /// HS256, HS384 or HS512.
    pub algorithm: String,
    /// JSON array of scopes.
    pub scope: String,
    /// Sealed secret.
    pub secret_encrypted: String,
}

/// Inserts an active key.
pub async fn insert(conn: &impl Conn, new: NewApiKey) -> Result<ApiKey, StorageError> {
    let at = now();
    let key = apikeys::ActiveModel {
        user_id: Set(new.user_id),
        kid: Set(new.kid),
        algorithm: Set(new.algorithm),
        scope: Set(Some(new.scope)),
        state: Set("active".to_owned()),
        secret_encrypted: Set(Some(new.secret_encrypted)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    invalidations::publish(conn, invalidations::APIKEY, &key.kid).await?;
    Ok(key)
}

/// Finds a key by kid.
pub async fn find_by_kid(conn: &impl Conn, kid: &str) -> Result<Option<ApiKey>, StorageError> {
    Ok(Apikeys::find()
        .filter(apikeys::Column::Kid.eq(kid))
        .one(conn)
        .await?)
}

/// Sets a key's state.
pub async fn set_state(conn: &impl Conn, kid: &str, state: &str) -> Result<(), StorageError> {
    Apikeys::update_many()
        .col_expr(apikeys::Column::State, Expr::value(state))
        .col_expr(apikeys::Column::UpdatedAt, Expr::value(now()))
        .filter(apikeys::Column::Kid.eq(kid))
        .exec(conn)
        .await?;
    invalidations::publish(conn, invalidations::APIKEY, kid).await
}

/// A key of one user; `None` if the kid is unknown or belongs to someone else.
pub async fn find_for_user(
    conn: &impl Conn,
    user_id: i64,
    kid: &str,
) -> Result<Option<ApiKey>, StorageError> {
    Ok(Apikeys::find()
        .filter(apikeys::Column::UserId.eq(user_id))
        .filter(apikeys::Column::Kid.eq(kid))
        .one(conn)
        .await?)
}

/// One page of a user's keys, oldest first, and how many there are in all.
pub async fn page_for_user(
    conn: &impl Conn,
    user_id: i64,
    offset: u64,
    limit: u64,
) -> Result<(Vec<ApiKey>, u64), StorageError> {
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let query = Apikeys::find().filter(apikeys::Column::UserId.eq(user_id));
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_asc(apikeys::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// Changes the scope (a JSON array) and/or the state of a key; `None` leaves a column as
/// it is.
pub async fn update(
    conn: &impl Conn,
    id: i64,
    kid: &str,
    scope: Option<String>,
    state: Option<String>,
) -> Result<(), StorageError> {
    let mut update =
        Apikeys::update_many().col_expr(apikeys::Column::UpdatedAt, Expr::value(now()));
    if let Some(scope) = scope {
        update = update.col_expr(apikeys::Column::Scope, Expr::value(scope));
    }
    if let Some(state) = state {
        update = update.col_expr(apikeys::Column::State, Expr::value(state));
    }
    update.filter(apikeys::Column::Id.eq(id)).exec(conn).await?;
    invalidations::publish(conn, invalidations::APIKEY, kid).await
}

/// Deletes a key.
pub async fn delete(conn: &impl Conn, id: i64, kid: &str) -> Result<(), StorageError> {
    Apikeys::delete_many()
        .filter(apikeys::Column::Id.eq(id))
        .exec(conn)
        .await?;
    invalidations::publish(conn, invalidations::APIKEY, kid).await
}

/// Deactivates every active key of a user (account closed, 2FA turned off, banned);
/// returns the kids it changed.
pub async fn deactivate_all_for_user(
    conn: &impl Conn,
    user_id: i64,
) -> Result<Vec<String>, StorageError> {
    let active = Apikeys::find()
        .filter(apikeys::Column::UserId.eq(user_id))
        .filter(apikeys::Column::State.eq("active"))
        .all(conn)
        .await?;
    for key in &active {
        set_state(conn, &key.kid, "inactive").await?;
    }
    Ok(active.into_iter().map(|k| k.kid).collect())
}
