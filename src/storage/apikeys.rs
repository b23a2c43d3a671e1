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
