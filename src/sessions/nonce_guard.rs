//! Replay protection for API-key nonces: each `(kid, nonce)` is accepted once. Redis
//! `SET NX PX` makes that hold across every instance; without Redis an in-process TTL
//! set does (one instance only). Entries live as long as the freshness window, after
//! which the nonce is refused as stale anyway. `admit` spends the nonce and counts the
//! key's rate together: on Redis one script, so an API-key check costs one round trip.

use std::time::Duration;

use moka::future::Cache;
use redis::aio::ConnectionManager;

use super::SessionError;
use super::rate_limit::{Admission, Limit, RateLimiter};

/// Where used nonces are remembered.
#[derive(Clone)]
pub enum NonceGuard {
    /// In-process set.
    Memory(Cache<String, ()>),
    /// Shared through Redis.
    Redis {
        /// Connection.
        conn: ConnectionManager,
        /// Key prefix.
        prefix: String,
    },
}

impl NonceGuard {
    /// A guard remembering nonces for `ttl`, beside the session store's backend.
    pub fn new(store: &super::SessionStore, ttl: Duration) -> Self {
        match store {
            super::SessionStore::Memory(_) => {
                Self::Memory(Cache::builder().time_to_live(ttl).build())
            }
            super::SessionStore::Redis(r) => Self::Redis {
                conn: r.connection(),
                prefix: r.prefix().to_owned(),
            },
        }
    }

    /// Records the nonce; false if it was already used.
    pub async fn first_use(
        &self,
        kid: &str,
        nonce: &str,
        ttl: Duration,
    ) -> Result<bool, SessionError> {
        let key = format!("nonce:{kid}:{nonce}");
        match self {
            Self::Memory(cache) => {
                let entry = cache.entry(key).or_insert(()).await;
                Ok(entry.is_fresh())
            }
            Self::Redis { conn, prefix } => {
                let mut conn = conn.clone();
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let set: Option<String> = redis::cmd("SET")
                    .arg(format!("{prefix}{key}"))
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis)
                    .query_async(&mut conn)
                    .await
                    .map_err(super::unavailable)?;
                Ok(set.is_some())
            }
        }
    }

    /// Spends the nonce and counts a hit on `limit_key` under `limit`: with Redis in one
    /// round trip (one script), in process as two steps. A replayed nonce counts nothing.
    pub async fn admit(
        &self,
        kid: &str,
        nonce: &str,
        ttl: Duration,
        limiter: &RateLimiter,
        limit_key: &str,
        limit: Limit,
    ) -> Result<Admission, SessionError> {
        if let Self::Redis { prefix, .. } = self {
            let nonce_key = format!("{prefix}nonce:{kid}:{nonce}");
            if let Some(admission) = limiter.redis_admit(&nonce_key, ttl, limit_key, limit).await {
                return admission;
            }
        }
        if !self.first_use(kid, nonce, ttl).await? {
            return Ok(Admission::Replayed);
        }
        Ok(Admission::Judged(limiter.hit(limit_key, limit).await?))
    }
}
