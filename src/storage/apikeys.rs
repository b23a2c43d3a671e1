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
    /// Allowed addresses (stored form), if restricted.
    pub allowed_ips: Option<String>,
    /// End of validity, if any.
    pub expires_at: Option<chrono::NaiveDateTime>,
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
        allowed_ips: Set(new.allowed_ips),
        expires_at: Set(new.expires_at),
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
    use sea_orm::QueryOrder;
    let query = Apikeys::find().filter(apikeys::Column::UserId.eq(user_id));
    let by_id = |q: sea_orm::Select<Apikeys>| q.order_by_asc(apikeys::Column::Id);
    super::counted_page(conn, query, by_id, offset, limit).await
}

/// What `PATCH api_keys/{kid}` changes; `None` leaves a column as it is, `Some(None)`
/// clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct KeyUpdate {
    /// Scope (a JSON array).
    pub scope: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Allowed addresses (stored form).
    pub allowed_ips: Option<Option<String>>,
    /// End of validity.
    pub expires_at: Option<Option<chrono::NaiveDateTime>>,
    /// Per-key edge rate (admin only; `Some(None)` back to the default).
    pub rate_limit_per_sec: Option<Option<i32>>,
}

/// Applies a [`KeyUpdate`] and tells every instance's edge.
pub async fn update(
    conn: &impl Conn,
    id: i64,
    kid: &str,
    change: KeyUpdate,
) -> Result<(), StorageError> {
    let mut update =
        Apikeys::update_many().col_expr(apikeys::Column::UpdatedAt, Expr::value(now()));
    if let Some(scope) = change.scope {
        update = update.col_expr(apikeys::Column::Scope, Expr::value(scope));
    }
    if let Some(state) = change.state {
        update = update.col_expr(apikeys::Column::State, Expr::value(state));
    }
    if let Some(ips) = change.allowed_ips {
        update = update.col_expr(apikeys::Column::AllowedIps, Expr::value(ips));
    }
    if let Some(at) = change.expires_at {
        update = update.col_expr(apikeys::Column::ExpiresAt, Expr::value(at));
    }
    if let Some(rate) = change.rate_limit_per_sec {
        update = update.col_expr(apikeys::Column::RateLimitPerSec, Expr::value(rate));
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
