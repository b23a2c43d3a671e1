//! Login sessions, server-side. The cookie carries an opaque 256-bit random id; the
//! store keys sessions by the SHA-256 of that id, so a dump of the store yields no
//! usable cookie. Expiry is sliding (each use renews the idle timeout). A closed set of
//! backends: `Memory` (moka, one instance only) and `Redis` (shared by every instance,
//! so a logout or revocation is seen everywhere at once). The redis crate is used only
//! here and in caches beside it. Imports: `crypto`, `domain`.

mod memory;
pub mod nonce_guard;
pub mod rate_limit;
mod redis_store;
pub mod softlock;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::domain::ClientInfo;

pub use memory::MemoryStore;
pub use nonce_guard::NonceGuard;
pub use rate_limit::{Admission, Limit, RateLimiter, Verdict};
pub use redis_store::RedisStore;
pub use softlock::Softlock;

/// `last_seen_at` is rewritten at most this often, so a busy session does not turn
/// every edge check into a write.
const LAST_SEEN_GRANULARITY_SECS: i64 = 60;

/// What the store keeps about one login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The user's uid.
    pub uid: String,
    /// Unix seconds of the login.
    pub created_at: i64,
    /// Unix seconds of the last use.
    pub last_seen_at: i64,
    /// Client IP at login.
    pub ip: String,
    /// User agent at login.
    pub user_agent: String,
    /// Token the front end echoes in `X-CSRF-Token` for cookie-authenticated writes.
    pub csrf_token: String,
    /// A random public handle (64 bits, hex) naming this session in the owner's session
    /// list and in the upstream JWT's `sid` claim; unlike the cookie value it grants
    /// nothing. Sessions stored before it existed have none (`""`).
    #[serde(default)]
    pub public_id: String,
}

/// A session as listed for its owner: the store key (hash of the cookie value, never
/// the cookie value itself) and the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedSession {
    /// SHA-256 hex of the session id.
    pub key: String,
    /// The record.
    pub session: Session,
}

/// The store could not answer; callers fail closed (503 / deny).
#[derive(Debug, thiserror::Error)]
#[error("session store unavailable: {0}")]
pub struct SessionError(pub String);

/// Any store failure (Redis, serialisation) as a [`SessionError`].
fn unavailable(e: impl std::fmt::Display) -> SessionError {
    SessionError(e.to_string())
}

/// The configured session backend.
#[derive(Clone)]
pub enum SessionStore {
    /// In-process store (default; single instance only).
    Memory(MemoryStore),
    /// Redis store shared by every instance.
    Redis(RedisStore),
}

impl SessionStore {
    /// Connects to Redis when a URL is configured, otherwise builds a memory store.
    pub async fn from_config(
        redis_url: Option<&str>,
        prefix: &str,
        ttl: Duration,
    ) -> Result<Self, SessionError> {
        match redis_url {
            Some(url) => Ok(Self::Redis(RedisStore::connect(url, prefix, ttl).await?)),
            None => Ok(Self::Memory(MemoryStore::new(ttl))),
        }
    }

    /// Starts a session for `uid`; returns the cookie value and the record.
    pub async fn create(
        &self,
        uid: &str,
        client: &ClientInfo,
    ) -> Result<(String, Session), SessionError> {
        let id = crypto::random::url_token();
        let now = unix_now();
        let session = Session {
            uid: uid.to_owned(),
            created_at: now,
            last_seen_at: now,
            ip: client.ip.clone(),
            user_agent: client.user_agent.chars().take(512).collect(),
            csrf_token: crypto::random::hex_token(16),
            public_id: crypto::random::hex_token(8),
        };
        let key = key_of(&id);
        match self {
            Self::Memory(s) => s.put(&key, session.clone()).await,
            Self::Redis(s) => s.put(&key, &session).await?,
        }
        Ok((id, session))
    }

    /// Looks a cookie value up and renews its idle timeout; `None` when unknown or
    /// expired. Shared (`Arc`), so the hot path does not copy the record.
    pub async fn get(&self, id: &str) -> Result<Option<Arc<Session>>, SessionError> {
        let key = key_of(id);
        let found = match self {
            Self::Memory(s) => s.get(&key).await,
            Self::Redis(s) => s.get_and_touch(&key).await?.map(Arc::new),
        };
        let Some(session) = found else {
            return Ok(None);
        };
        let now = unix_now();
        if now - session.last_seen_at < LAST_SEEN_GRANULARITY_SECS {
            return Ok(Some(session));
        }
        let renewed = Session {
            last_seen_at: now,
            ..(*session).clone()
        };
        match self {
            Self::Memory(s) => s.put(&key, renewed.clone()).await,
            Self::Redis(s) => s.put(&key, &renewed).await?,
        }
        Ok(Some(Arc::new(renewed)))
    }

    /// Ends the session of a cookie value (log-out).
    pub async fn delete(&self, id: &str) -> Result<(), SessionError> {
        self.delete_key(&key_of(id)).await
    }

    /// Ends a session by its store key (revocation from a session list).
    pub async fn delete_key(&self, key: &str) -> Result<(), SessionError> {
        match self {
            Self::Memory(s) => {
                s.remove(key).await;
                Ok(())
            }
            Self::Redis(s) => s.remove(key).await,
        }
    }

    /// Ends every session of a user (password reset, ban, account closure).
    pub async fn delete_all_for_user(&self, uid: &str) -> Result<usize, SessionError> {
        let sessions = self.list_for_user(uid).await?;
        for listed in &sessions {
            self.delete_key(&listed.key).await?;
        }
        if let Self::Redis(s) = self {
            s.forget_user(uid).await?;
        }
        Ok(sessions.len())
    }

    /// Every live session of a user.
    pub async fn list_for_user(&self, uid: &str) -> Result<Vec<ListedSession>, SessionError> {
        match self {
            Self::Memory(s) => Ok(s.list_for_user(uid)),
            Self::Redis(s) => s.list_for_user(uid).await,
        }
    }

    /// How many sessions are live (the metrics scrape).
    pub async fn count(&self) -> Result<u64, SessionError> {
        match self {
            Self::Memory(s) => Ok(s.count().await),
            Self::Redis(s) => s.count().await,
        }
    }

    /// Whether Redis backs this store (the `redis_up` metric exists only then).
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::Redis(_))
    }

    /// A cheap round trip, for `/health/ready`.
    pub async fn ping(&self) -> Result<(), SessionError> {
        match self {
            Self::Memory(_) => Ok(()),
            Self::Redis(s) => s.ping().await,
        }
    }
}

/// The store key of a cookie value.
pub fn key_of(id: &str) -> String {
    crypto::sha256_hex(id.as_bytes())
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests;
