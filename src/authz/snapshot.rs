//! What the edge keeps in memory about users and API keys: the few fields a decision
//! and the upstream JWT need, loaded once and dropped when the change feed says so.

use crate::storage::apikeys::ApiKey;
use crate::storage::users::User;

/// A user as the edge sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSnapshot {
    /// Internal id.
    pub id: i64,
    /// uid.
    pub uid: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: String,
    /// Level.
    pub level: i32,
    /// State.
    pub state: String,
    /// 2FA on.
    pub otp: bool,
    /// Referrer's internal id.
    pub referral_id: Option<i64>,
    /// The claim values in one string, computed once, so a cached upstream token is
    /// reused only while they hold.
    pub fingerprint: String,
}

impl From<User> for UserSnapshot {
    fn from(u: User) -> Self {
        let fingerprint = format!(
            "{}|{}|{}|{}|{:?}",
            u.email, u.role, u.level, u.state, u.referral_id
        );
        Self {
            id: u.id,
            uid: u.uid,
            email: u.email,
            role: u.role,
            level: u.level,
            state: u.state,
            otp: u.otp,
            referral_id: u.referral_id,
            fingerprint,
        }
    }
}

/// An API key as the edge sees it (the secret decrypted, in memory only).
#[derive(Clone)]
pub struct KeySnapshot {
    /// Key id.
    pub kid: String,
    /// Owner's uid.
    pub owner_uid: String,
    /// HS256/384/512.
    pub algorithm: String,
    /// `active` or not.
    pub state: String,
    /// HMAC secret.
    pub secret: String,
    /// Addresses it may be used from (empty: any).
    pub allowed_ips: Vec<ipnet::IpNet>,
    /// When it stops working.
    pub expires_at: Option<chrono::NaiveDateTime>,
    /// Scope names (empty: limited by the owner's role only).
    pub scopes: Vec<String>,
    /// Edge checks per second an admin set for this key (`None`: the default).
    pub rate_limit_per_sec: Option<u32>,
    /// The values the upstream JWT carries about the key, in one string, so a cached
    /// token is reused only while they hold.
    pub fingerprint: String,
}

impl KeySnapshot {
    /// Builds a snapshot from a row, its decrypted secret and its owner.
    pub fn new(key: ApiKey, secret: String, owner_uid: String) -> Self {
        use crate::domain::api_key_limits::{stored_allowed_ips, stored_scopes};
        let allowed_ips = stored_allowed_ips(key.allowed_ips.as_deref());
        let scopes = stored_scopes(key.scope.as_deref());
        let fingerprint = format!(
            "{}|{scopes:?}|{allowed_ips:?}|{:?}",
            key.kid, key.expires_at
        );
        Self {
            kid: key.kid,
            owner_uid,
            algorithm: key.algorithm,
            state: key.state,
            secret,
            allowed_ips,
            expires_at: key.expires_at,
            scopes,
            rate_limit_per_sec: key.rate_limit_per_sec.and_then(|r| u32::try_from(r).ok()),
            fingerprint,
        }
    }
}

impl std::fmt::Debug for KeySnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySnapshot")
            .field("kid", &self.kid)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
