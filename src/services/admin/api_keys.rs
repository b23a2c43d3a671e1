//! Admin control of one API key's edge rate: a market maker's key may need more than
//! `BARONG_RATE_LIMIT_APIKEY_PER_SEC`, a misbehaving one less. The change reaches every
//! instance's edge within a second (change feed) and is audited in its transaction.

use serde_json::json;

use crate::domain::ClientInfo;
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::{self, StorageError, apikeys::ApiKey, apikeys::KeyUpdate, users::User};

/// Highest per-key rate an admin may set (checks per second).
pub const MAX_RATE_PER_SEC: u32 = 100_000;

/// A key as an admin sees it after a change.
#[derive(Debug, Clone)]
pub struct AdminKeyView {
    /// The key row.
    pub key: ApiKey,
    /// Its owner's uid.
    pub owner_uid: String,
}

impl Services {
    /// `PUT /admin/api_keys`: sets (`Some`) or clears (`None`, back to the default) the
    /// key's edge rate.
    pub async fn admin_set_key_rate(
        &self,
        admin: &User,
        kid: &str,
        rate: Option<u32>,
        client: &ClientInfo,
    ) -> Result<AdminKeyView, ServiceError> {
        let conn = self.db.conn();
        let not_found = || ServiceError::new(ErrorKind::NotFound, "admin.apikey.doesnt_exist");
        let key = storage::apikeys::find_by_kid(conn, kid.trim())
            .await?
            .ok_or_else(not_found)?;
        let owner = storage::users::find_by_id(conn, key.user_id)
            .await?
            .ok_or_else(not_found)?;
        let rate = rate.map(|r| i32::try_from(r.min(MAX_RATE_PER_SEC)).unwrap_or(i32::MAX));
        let tx = self.db.begin().await?;
        let change = KeyUpdate {
            rate_limit_per_sec: Some(rate),
            ..Default::default()
        };
        storage::apikeys::update(&tx, key.id, &key.kid, change).await?;
        let data = json!({"kid": key.kid,
            "rate_limit_per_sec": {"from": key.rate_limit_per_sec, "to": rate}});
        super::audit(
            &tx,
            admin,
            client,
            "api_keys",
            "update",
            Some(&owner.uid),
            data,
        )
        .await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, api_key.kid = %key.kid, ?rate, "API key rate set by admin");
        let key = storage::apikeys::find_by_kid(conn, &key.kid)
            .await?
            .ok_or_else(not_found)?;
        Ok(AdminKeyView {
            key,
            owner_uid: owner.uid,
        })
    }
}
