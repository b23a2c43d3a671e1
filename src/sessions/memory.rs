//! In-process sessions in a moka cache whose idle timeout is the session lifetime.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use super::{ListedSession, Session};

/// Sessions held in this process only.
#[derive(Clone)]
pub struct MemoryStore {
    cache: Cache<String, Arc<Session>>,
}

impl MemoryStore {
    /// A store whose entries expire after `ttl` without use.
    pub fn new(ttl: Duration) -> Self {
        Self {
            cache: Cache::builder().time_to_idle(ttl).build(),
        }
    }

    pub(super) async fn put(&self, key: &str, session: Session) {
        self.cache.insert(key.to_owned(), Arc::new(session)).await;
    }

    pub(super) async fn get(&self, key: &str) -> Option<Arc<Session>> {
        self.cache.get(key).await
    }

    pub(super) async fn count(&self) -> u64 {
        self.cache.run_pending_tasks().await;
        self.cache.entry_count()
    }

    pub(super) async fn remove(&self, key: &str) {
        self.cache.invalidate(key).await;
    }

    pub(super) fn list_for_user(&self, uid: &str) -> Vec<ListedSession> {
        self.cache
            .iter()
            .filter(|(_, s)| s.uid == uid)
            .map(|(k, s)| ListedSession {
                key: k.as_ref().clone(),
                session: (*s).clone(),
            })
            .collect()
    }
}
