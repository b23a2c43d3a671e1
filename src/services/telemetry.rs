//! The gauges that need a query, refreshed when Prometheus scrapes: outbox backlog per
//! consumer, live sessions, database pool usage and whether Redis answers. A failed
//! query leaves the gauge as it was (and Redis reports down).

use std::time::Duration;

use crate::observability::Metrics;
use crate::storage::{self, outbox};

use super::Services;

impl Services {
    /// Sets the scrape-time gauges of `metrics`.
    pub async fn refresh_gauges(&self, metrics: &Metrics) {
        let conn = self.db.conn();
        let now = storage::now();
        let age = |oldest: Option<chrono::NaiveDateTime>| {
            oldest
                .and_then(|at| (now - at).to_std().ok())
                .unwrap_or(Duration::ZERO)
        };
        if let Ok(b) = outbox::publish_backlog(conn).await {
            metrics.outbox_backlog("amqp", b.depth, age(b.oldest));
        }
        if let Ok(b) = outbox::mail_backlog(conn).await {
            metrics.outbox_backlog("mail", b.depth, age(b.oldest));
        }
        if let Ok(count) = self.sessions.count().await {
            metrics.sessions(count);
        }
        let (idle, in_use, max) = self.db.pool_stats();
        metrics.db_pool(idle, in_use, max);
        if self.sessions.is_shared() {
            metrics.redis_up(self.sessions.ping().await.is_ok());
        }
    }
}
