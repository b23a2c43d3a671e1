//! The JWT handed to upstream services: Barong's claims in Barong's order, RS256 with a
//! `kid`. A token for the same user and the same claim values is reused while more than
//! half of its lifetime is left, so an allowed check rarely pays for an RSA signature.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use serde::Serialize;

use super::snapshot::UserSnapshot;
use crate::crypto::jwt::JwtKeys;
use crate::crypto::random;

/// Claims of the upstream token (field order is the serialisation order).
#[derive(Debug, Serialize)]
pub struct UpstreamClaims<'a> {
    /// Issued at.
    pub iat: i64,
    /// Expiry.
    pub exp: i64,
    /// Always `session`.
    pub sub: &'static str,
    /// Always `barong`.
    pub iss: &'static str,
    /// `["peatio","barong"]`.
    pub aud: [&'static str; 2],
    /// 20 random hex characters.
    pub jti: String,
    /// User uid.
    pub uid: &'a str,
    /// Email.
    pub email: &'a str,
    /// Role.
    pub role: &'a str,
    /// Level.
    pub level: i32,
    /// State.
    pub state: &'a str,
    /// Referrer's internal id.
    pub referral_id: Option<i64>,
    /// The session's public handle (cookie log-ins only; ours, after Barong's claims), so
    /// barong's own session list can mark the caller's session as current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<&'a str>,
}

#[derive(Clone)]
struct Minted {
    fingerprint: String,
    token: Arc<str>,
    refresh_at: i64,
}

/// Mints and reuses upstream tokens.
#[derive(Clone)]
pub struct UpstreamTokens {
    keys: Arc<JwtKeys>,
    lifetime: i64,
    /// Keyed by uid and session handle (API-key checks have none).
    cache: Cache<(String, Option<String>), Arc<Minted>>,
}

impl UpstreamTokens {
    /// Tokens valid `lifetime_secs`, signed with `keys`.
    pub fn new(keys: Arc<JwtKeys>, lifetime_secs: u64) -> Self {
        let lifetime = i64::try_from(lifetime_secs).unwrap_or(300).max(2);
        let cache = Cache::builder()
            .max_capacity(1_000_000)
            .time_to_live(Duration::from_secs(lifetime_secs.max(2)))
            .support_invalidation_closures()
            .build();
        Self {
            keys,
            lifetime,
            cache,
        }
    }

    /// A token for `user` (and the session handle `sid` of a cookie log-in), reused
    /// when fresh enough.
    pub async fn token_for(
        &self,
        user: &UserSnapshot,
        sid: Option<&str>,
    ) -> Result<Arc<str>, crate::crypto::jwt::JwtError> {
        let now = chrono::Utc::now().timestamp();
        let sid = sid.filter(|s| !s.is_empty());
        let cache_key = (user.uid.clone(), sid.map(str::to_owned));
        if let Some(m) = self.cache.get(&cache_key).await
            && m.fingerprint == user.fingerprint
            && now < m.refresh_at
        {
            return Ok(m.token.clone());
        }
        let claims = UpstreamClaims {
            iat: now,
            exp: now + self.lifetime,
            sub: "session",
            iss: "barong",
            aud: ["peatio", "barong"],
            jti: random::hex_token(10),
            uid: &user.uid,
            email: &user.email,
            role: &user.role,
            level: user.level,
            state: &user.state,
            referral_id: user.referral_id,
            sid,
        };
        let token: Arc<str> = self.keys.sign(&claims)?.into();
        let minted = Arc::new(Minted {
            fingerprint: user.fingerprint.clone(),
            token: token.clone(),
            refresh_at: now + self.lifetime / 2,
        });
        self.cache.insert(cache_key, minted).await;
        Ok(token)
    }

    /// Drops the cached tokens of a user whose claims changed.
    pub fn forget(&self, uid: &str) {
        let uid = uid.to_owned();
        if let Err(e) = self.cache.invalidate_entries_if(move |k, _| k.0 == uid) {
            tracing::warn!(error = %e, "upstream token cache not invalidated");
        }
    }
}
