//! Redis sessions: `<prefix>session:<hash>` holds the JSON record with the idle timeout
//! as key TTL (renewed by `GETEX` in the same round trip as the read), and
//! `<prefix>user_sessions:<uid>` is the set of a user's session keys, so "end every
//! session of this user" works across instances.

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{ListedSession, Session, SessionError, unavailable};

/// Sessions shared through Redis.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
    ttl_secs: u64,
}

impl RedisStore {
    /// Connects (with short timeouts, so a dead Redis gives a fast 503 not a hang).
    pub async fn connect(url: &str, prefix: &str, ttl: Duration) -> Result<Self, SessionError> {
        let client = redis::Client::open(url).map_err(unavailable)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(unavailable)?;
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
            ttl_secs: ttl.as_secs().max(1),
        })
    }

    /// The shared connection (nonce guard and caches reuse it).
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn session_key(&self, key: &str) -> String {
        format!("{}session:{key}", self.prefix)
    }

    fn user_key(&self, uid: &str) -> String {
        format!("{}user_sessions:{uid}", self.prefix)
    }

    /// Live sessions, counted with `SCAN` (for the metrics scrape: O(sessions) work on
    /// Redis, spread over round trips of 1000 keys, never a blocking `KEYS`).
    pub(super) async fn count(&self) -> Result<u64, SessionError> {
        let mut conn = self.conn.clone();
        let pattern = format!("{}session:*", self.prefix);
        let mut cursor: u64 = 0;
        let mut total: u64 = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .map_err(unavailable)?;
            total += keys.len() as u64;
            if next == 0 {
                return Ok(total);
            }
            cursor = next;
        }
    }

    pub(super) async fn put(&self, key: &str, session: &Session) -> Result<(), SessionError> {
        let json = serde_json::to_string(session).map_err(unavailable)?;
        let user_key = self.user_key(&session.uid);
        let mut conn = self.conn.clone();
        redis::pipe()
            .atomic()
            .set_ex(self.session_key(key), json, self.ttl_secs)
            .ignore()
            .sadd(&user_key, key)
            .ignore()
            .expire(&user_key, i64::try_from(self.ttl_secs).unwrap_or(i64::MAX))
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .map_err(unavailable)
    }

    pub(super) async fn get_and_touch(&self, key: &str) -> Result<Option<Session>, SessionError> {
        let mut conn = self.conn.clone();
        let raw: Option<String> = conn
            .get_ex(self.session_key(key), redis::Expiry::EX(self.ttl_secs))
            .await
            .map_err(unavailable)?;
        Ok(raw.and_then(|json| serde_json::from_str(&json).ok()))
    }

    pub(super) async fn remove(&self, key: &str) -> Result<(), SessionError> {
        let mut conn = self.conn.clone();
        let _: () = conn.del(self.session_key(key)).await.map_err(unavailable)?;
        Ok(())
    }

    pub(super) async fn forget_user(&self, uid: &str) -> Result<(), SessionError> {
        let mut conn = self.conn.clone();
        let _: () = conn.del(self.user_key(uid)).await.map_err(unavailable)?;
        Ok(())
    }

    pub(super) async fn list_for_user(
        &self,
        uid: &str,
    ) -> Result<Vec<ListedSession>, SessionError> {
        let mut conn = self.conn.clone();
        let keys: Vec<String> = conn
            .smembers(self.user_key(uid))
            .await
            .map_err(unavailable)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let full: Vec<String> = keys.iter().map(|k| self.session_key(k)).collect();
        let values: Vec<Option<String>> = conn.mget(&full).await.map_err(unavailable)?;
        let mut live = Vec::new();
        let mut dead = Vec::new();
        for (key, value) in keys.into_iter().zip(values) {
            match value.and_then(|json| serde_json::from_str::<Session>(&json).ok()) {
                Some(session) if session.uid == uid => live.push(ListedSession { key, session }),
                _ => dead.push(key),
            }
        }
        if !dead.is_empty() {
            let _: () = conn
                .srem(self.user_key(uid), dead)
                .await
                .map_err(unavailable)?;
        }
        Ok(live)
    }

    pub(super) async fn ping(&self) -> Result<(), SessionError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(unavailable)
    }
}
