//! The JWT handed to upstream services: Barong's claims in Barong's order, RS256 with a
//! `kid`. A token for the same user and the same claim values is reused while more than
//! half of its lifetime is left, so an allowed check rarely pays for an RSA signature.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use serde::Serialize;

use super::key_check::KeyUse;
use super::snapshot::UserSnapshot;
use crate::crypto::jwt::JwtKeys;
use crate::crypto::random;
use crate::observability::Metrics;

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
    /// The API key the request was made with (API-key calls only; ours), so an upstream
    /// can apply its own policy to scopes, addresses, expiry and signature strength.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<ApiKeyClaims<'a>>,
}

/// What the upstream JWT says about the API key used.
#[derive(Debug, Serialize)]
pub struct ApiKeyClaims<'a> {
    /// Key id.
    pub kid: &'a str,
    /// Scope names (empty: limited by the role only).
    pub scope: &'a [String],
    /// CIDR blocks it may be used from (empty: anywhere).
    pub allowed_ips: Vec<String>,
    /// When the key stops working, unix seconds.
    pub expires_at: Option<i64>,
    /// How the request was signed: 1 (nonce and kid) or 2 (also method, path, body).
    pub signature_version: u8,
}

impl<'a> ApiKeyClaims<'a> {
    fn of(used: &'a KeyUse) -> Self {
        Self {
            kid: &used.key.kid,
            scope: &used.key.scopes,
            allowed_ips: used
                .key
                .allowed_ips
                .iter()
                .map(ToString::to_string)
                .collect(),
            expires_at: used.key.expires_at.map(|at| at.and_utc().timestamp()),
            signature_version: used.signature_version,
        }
    }
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
    /// Keyed by uid and the session handle, or the key and signature version.
    cache: Cache<(String, Option<String>), Arc<Minted>>,
    metrics: Metrics,
}

impl UpstreamTokens {
    /// Tokens valid `lifetime_secs`, signed with `keys`.
    pub fn new(keys: Arc<JwtKeys>, lifetime_secs: u64, metrics: Metrics) -> Self {
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
            metrics,
        }
    }

    /// A token for `user` (with the session handle `sid` of a cookie log-in, or the
    /// API key used), reused when fresh enough.
    pub async fn token_for(
        &self,
        user: &UserSnapshot,
        sid: Option<&str>,
        key: Option<&KeyUse>,
    ) -> Result<Arc<str>, crate::crypto::jwt::JwtError> {
        let now = chrono::Utc::now().timestamp();
        let sid = sid.filter(|s| !s.is_empty());
        let handle = match key {
            Some(used) => Some(format!("key:{}:v{}", used.key.kid, used.signature_version)),
            None => sid.map(str::to_owned),
        };
        let cache_key = (user.uid.clone(), handle);
        let fingerprint = match key {
            Some(used) => format!("{}|{}", user.fingerprint, used.key.fingerprint),
            None => user.fingerprint.clone(),
        };
        if let Some(m) = self.cache.get(&cache_key).await
            && m.fingerprint == fingerprint
            && now < m.refresh_at
        {
            self.metrics.cache_lookup("upstream_jwt", true);
            return Ok(m.token.clone());
        }
        self.metrics.cache_lookup("upstream_jwt", false);
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
            api_key: key.map(ApiKeyClaims::of),
        };
        let token: Arc<str> = self.keys.sign(&claims)?.into();
        let minted = Arc::new(Minted {
            fingerprint,
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
