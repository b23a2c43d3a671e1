//! The change-feed poller: every 250 ms, read new `cache_invalidations` rows and drop
//! the named users, keys and tokens, or reload the permission table. A change made on
//! any instance is therefore seen by every instance within a second. When the feed
//! cannot be read, the caches are emptied so decisions go to the (failing) database
//! and are denied, instead of trusting stale data.

use std::time::Duration;

use super::Authorizer;
use crate::storage::{self, invalidations};

const POLL: Duration = Duration::from_millis(250);
const PRUNE_EVERY: u32 = 2400;

/// Starts the poller at feed position `head`.
pub(super) fn spawn(authz: Authorizer, mut head: i64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        let mut rounds: u32 = 0;
        let mut healthy = true;
        loop {
            tick.tick().await;
            rounds = rounds.wrapping_add(1);
            let db = authz.inner.db.clone();
            let notices = match storage::invalidations::since(db.conn(), head).await {
                Ok(n) => n,
                Err(e) => {
                    if healthy {
                        tracing::error!(error = %e, "cache change feed unreadable; caches emptied");
                    }
                    healthy = false;
                    authz.forget_all().await;
                    continue;
                }
            };
            if !healthy {
                tracing::info!("cache change feed readable again");
                healthy = true;
                let _ = authz.reload_permissions().await;
            }
            let mut reload = false;
            for notice in notices {
                head = head.max(notice.id);
                match notice.topic.as_str() {
                    invalidations::USER => {
                        authz.inner.users.invalidate(&notice.key).await;
                        authz.inner.tokens.forget(&notice.key);
                    }
                    invalidations::APIKEY => authz.inner.keys.invalidate(&notice.key).await,
                    invalidations::PERMISSIONS => reload = true,
                    _ => {}
                }
            }
            if reload && let Err(e) = authz.reload_permissions().await {
                tracing::error!(error = %e, "permission table not reloaded");
            }
            if rounds.is_multiple_of(PRUNE_EVERY) {
                // Housekeeping rides on this loop, which every instance runs anyway: old
                // feed notices, and spent one-time tokens that can no longer verify.
                let _ = storage::invalidations::prune(db.conn(), chrono::Duration::hours(1)).await;
                let _ = storage::utilized_tokens::prune_expired(db.conn()).await;
            }
        }
    });
}
