//! A user's own API keys: list, create, change, delete. Creating, changing and deleting
//! need 2FA on and a fresh TOTP code (Barong's gate; values are checked before the code
//! is spent, so a typo does not burn it); the secret is generated here,
//! returned once, and stored sealed by the secret box (Barong kept it in Vault). Every
//! write publishes a change notice, so the edge stops accepting a deactivated or deleted
//! key within a second on every instance.

use crate::domain::event;
use crate::services::totp_check::TotpCheck;
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::{self, apikeys::ApiKey, users::User};

/// Algorithms a key may use (Barong accepted HS256 only; its HMAC verifier knew all three).
pub const ALGORITHMS: [&str; 3] = ["HS256", "HS384", "HS512"];
/// States a key may be set to.
pub const STATES: [&str; 2] = ["active", "inactive"];

/// Parameters of `POST api_keys`.
#[derive(Debug, Clone)]
pub struct NewKeyInput {
    /// HS256, HS384 or HS512.
    pub algorithm: String,
    /// Comma-separated scopes, if sent.
    pub scope: Option<String>,
    /// Allowed IPs or CIDR blocks, if sent.
    pub allowed_ips: Option<String>,
    /// Expiry (unix seconds or RFC 3339), if sent.
    pub expires_at: Option<String>,
    /// TOTP code.
    pub totp_code: String,
}

/// Parameters of `PATCH api_keys/{kid}`: `None` leaves the field unchanged (Barong
/// wiped the scope when it was omitted, W6).
#[derive(Debug, Clone)]
pub struct KeyChange {
    /// New comma-separated scopes.
    pub scope: Option<String>,
    /// New state.
    pub state: Option<String>,
    /// New allow-list (empty: no restriction).
    pub allowed_ips: Option<String>,
    /// New expiry (empty: none).
    pub expires_at: Option<String>,
    /// TOTP code.
    pub totp_code: String,
}

/// Checked limits: `None` = not sent, `Some(None)` = cleared.
type Limits = (
    Option<Option<String>>,
    Option<Option<chrono::NaiveDateTime>>,
);

/// Validates the optional allow-list and expiry before the 2FA code is spent.
fn checked_limits(
    allowed_ips: Option<&str>,
    expires_at: Option<&str>,
) -> Result<Limits, ServiceError> {
    use crate::domain::api_key_limits::{format_allowed_ips, parse_allowed_ips, parse_expires_at};
    let mut errors = Vec::new();
    let ips = allowed_ips.map(|raw| match parse_allowed_ips(raw) {
        Some(nets) => format_allowed_ips(&nets),
        None => {
            errors.push("resource.apikey.invalid_allowed_ips".to_owned());
            None
        }
    });
    let expiry = expires_at.map(|raw| {
        parse_expires_at(raw, crate::storage::now()).unwrap_or_else(|| {
            errors.push("resource.apikey.invalid_expires_at".to_owned());
            None
        })
    });
    if errors.is_empty() {
        Ok((ips, expiry))
    } else {
        Err(ServiceError::validation(errors))
    }
}

/// A created key with its secret, shown this once.
#[derive(Debug, Clone)]
pub struct CreatedKey {
    /// The stored key.
    pub key: ApiKey,
    /// 32 lowercase hex characters.
    pub secret: String,
}

/// Barong's scope list: split on `,`, untrimmed, empty entries dropped.
pub fn parse_scope(raw: Option<&str>) -> Vec<String> {
    raw.map(|s| {
        s.split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// The stored scope column as a list.
pub fn scope_of(key: &ApiKey) -> Vec<String> {
    crate::domain::api_key_limits::stored_scopes(key.scope.as_deref())
}

fn scope_json(scopes: &[String]) -> String {
    serde_json::to_string(scopes).unwrap_or_else(|_| "[]".to_owned())
}

fn not_found() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "record.not_found")
}

impl Services {
    /// Barong's 2FA gate for key changes: 2FA on and a valid, unused code. A recovery
    /// code stands in for the TOTP code (and is used up), so a user who lost the phone
    /// can still revoke keys.
    async fn api_key_gate(&self, user: &User, code: &str) -> Result<(), ServiceError> {
        if !user.otp {
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "resource.api_key.2fa_disabled",
            ));
        }
        if code.trim().is_empty() {
            return Err(ServiceError::new(
                ErrorKind::Unprocessable,
                "resource.api_key.missing_totp",
            ));
        }
        match self.check_totp(user, code).await? {
            TotpCheck::Valid => Ok(()),
            TotpCheck::Invalid if self.spend_recovery_code(user, code).await? => Ok(()),
            TotpCheck::Invalid | TotpCheck::Replayed => Err(ServiceError::new(
                ErrorKind::Unprocessable,
                "resource.api_key.invalid_totp",
            )),
        }
    }

    /// One page of the user's keys, oldest first, and the total.
    pub async fn list_api_keys(
        &self,
        user: &User,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ApiKey>, u64), ServiceError> {
        Ok(storage::apikeys::page_for_user(self.db.conn(), user.id, offset, limit).await?)
    }

    /// Creates a key (kid and secret generated here; a client's kid is ignored, as
    /// Barong did for HMAC keys).
    pub async fn create_api_key(
        &self,
        user: &User,
        input: NewKeyInput,
    ) -> Result<CreatedKey, ServiceError> {
        if !ALGORITHMS.contains(&input.algorithm.as_str()) {
            return Err(ServiceError::validation(vec![
                "algorithm.inclusion".to_owned(),
            ]));
        }
        let (allowed_ips, expires_at) =
            checked_limits(input.allowed_ips.as_deref(), input.expires_at.as_deref())?;
        self.api_key_gate(user, &input.totp_code).await?;
        let secret = crate::crypto::random::hex_token(16);
        let sealed = self.secrets.seal(secret.as_bytes()).map_err(|e| {
            tracing::error!(error = %e, "API key secret cannot be sealed");
            ServiceError::internal()
        })?;
        let new = storage::apikeys::NewApiKey {
            user_id: user.id,
            kid: crate::crypto::random::hex_token(8),
            algorithm: input.algorithm,
            scope: scope_json(&parse_scope(input.scope.as_deref())),
            secret_encrypted: sealed,
            allowed_ips: allowed_ips.flatten(),
            expires_at: expires_at.flatten(),
        };
        let tx = self.db.begin().await?;
        let key = storage::apikeys::insert(&tx, new).await?;
        let about = serde_json::json!({
            "kid": key.kid,
            "algorithm": key.algorithm,
            "scope": parse_scope(input.scope.as_deref()),
        });
        self.emit_user_event(&tx, user.id, event::API_KEY_CREATED, about)
            .await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        tracing::info!(user.uid = %user.uid, api_key.kid = %key.kid, "API key created");
        Ok(CreatedKey { key, secret })
    }

    /// Changes a key's scope, state, allow-list or expiry (what is sent).
    pub async fn update_api_key(
        &self,
        user: &User,
        kid: &str,
        change: KeyChange,
    ) -> Result<ApiKey, ServiceError> {
        if let Some(state) = &change.state
            && !STATES.contains(&state.as_str())
        {
            return Err(ServiceError::validation(vec!["state.inclusion".to_owned()]));
        }
        let (allowed_ips, expires_at) =
            checked_limits(change.allowed_ips.as_deref(), change.expires_at.as_deref())?;
        self.api_key_gate(user, &change.totp_code).await?;
        let conn = self.db.conn();
        let key = storage::apikeys::find_for_user(conn, user.id, kid)
            .await?
            .ok_or_else(not_found)?;
        let scope = change
            .scope
            .as_deref()
            .map(|s| scope_json(&parse_scope(Some(s))));
        let tx = self.db.begin().await?;
        let update = storage::apikeys::KeyUpdate {
            scope,
            state: change.state,
            allowed_ips,
            expires_at,
            rate_limit_per_sec: None,
        };
        storage::apikeys::update(&tx, key.id, &key.kid, update).await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        storage::apikeys::find_for_user(conn, user.id, kid)
            .await?
            .ok_or_else(not_found)
    }

    /// Deletes a key.
    pub async fn delete_api_key(
        &self,
        user: &User,
        kid: &str,
        totp_code: &str,
    ) -> Result<(), ServiceError> {
        self.api_key_gate(user, totp_code).await?;
        let key = storage::apikeys::find_for_user(self.db.conn(), user.id, kid)
            .await?
            .ok_or_else(not_found)?;
        let tx = self.db.begin().await?;
        storage::apikeys::delete(&tx, key.id, &key.kid).await?;
        let about = serde_json::json!({ "kid": key.kid });
        self.emit_user_event(&tx, user.id, event::API_KEY_DELETED, about)
            .await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        tracing::info!(user.uid = %user.uid, api_key.kid = %key.kid, "API key deleted");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_splits_like_barong() {
        assert_eq!(parse_scope(Some("trade,read")), vec!["trade", "read"]);
        assert_eq!(parse_scope(Some("a, b,")), vec!["a", " b"]);
        assert!(parse_scope(None).is_empty());
    }
}
