//! Prometheus metrics, one typed registry per process (no global): the edge records one
//! event per decision (`AuthzDecision`), which feeds the counters, the latency histogram
//! and the log line alike; the HTTP layer counts requests by route; gauges that need a
//! query (outbox backlog, sessions, pools) are set by the `/metrics` handler at scrape
//! time. Names follow Prometheus conventions (`_total`, `_seconds`). Imports: nothing.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of an edge decision.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DecisionLabels {
    /// `grpc` (Envoy) or `http` (nginx `auth_request`).
    pub frontend: &'static str,
    /// `allow`, `deny` or `error` (a dependency failed; the request was denied).
    pub outcome: &'static str,
    /// Barong's key of the denial (`authz.invalid_session`), empty when allowed.
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FrontendLabels {
    frontend: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    cache: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConsumerLabels {
    consumer: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

/// The outcome of one edge decision, recorded once by the adapter that answered.
#[derive(Debug, Clone)]
pub struct AuthzDecision {
    /// Labels.
    pub labels: DecisionLabels,
    /// Time spent deciding.
    pub elapsed: Duration,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Every metric barong exports (cheap to clone).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    decisions: Family<DecisionLabels, Counter>,
    decision_seconds: Family<FrontendLabels, Histogram>,
    cache: Family<CacheLabels, Counter>,
    http_requests: Family<HttpLabels, Counter>,
    http_seconds: Family<FrontendLabels, Histogram>,
    published: Counter,
    publish_failures: Counter,
    mails_sent: Counter,
    mail_failures: Counter,
    outbox_depth: Family<ConsumerLabels, Gauge>,
    outbox_age: Family<ConsumerLabels, FloatGauge>,
    relay_leader: Gauge,
    broker_connected: Gauge,
    sessions: Gauge,
    pool: Family<PoolLabels, Gauge>,
    redis_up: Gauge,
}

fn latency_histogram() -> Histogram {
    // 50 µs .. ~1.6 s
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Builds the registry with every family registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("barong");
        let decisions = Family::<DecisionLabels, Counter>::default();
        registry.register(
            "authz_decisions",
            "Edge decisions by front end, outcome and Barong error key",
            decisions.clone(),
        );
        let decision_seconds = Family::<FrontendLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "authz_decision_duration_seconds",
            "Time to decide one edge check",
            decision_seconds.clone(),
        );
        let cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "cache_requests",
            "Edge cache lookups (users, api_keys, upstream_jwt) by hit or miss",
            cache.clone(),
        );
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route template and status",
            http_requests.clone(),
        );
        let http_seconds = Family::<FrontendLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            http_seconds.clone(),
        );
        let published = Counter::default();
        registry.register(
            "events_published",
            "Events confirmed by RabbitMQ",
            published.clone(),
        );
        let publish_failures = Counter::default();
        registry.register(
            "event_publish_failures",
            "Failed attempts to reach or publish to RabbitMQ",
            publish_failures.clone(),
        );
        let mails_sent = Counter::default();
        registry.register(
            "mails_sent",
            "Mails handed to SMTP or the mail folder",
            mails_sent.clone(),
        );
        let mail_failures = Counter::default();
        registry.register(
            "mail_failures",
            "Failed mail deliveries (retried)",
            mail_failures.clone(),
        );
        let outbox_depth = Family::<ConsumerLabels, Gauge>::default();
        registry.register(
            "outbox_depth",
            "Outbox rows waiting, by consumer (amqp, mail)",
            outbox_depth.clone(),
        );
        let outbox_age = Family::<ConsumerLabels, FloatGauge>::default();
        registry.register(
            "outbox_oldest_age_seconds",
            "Age of the oldest waiting outbox row, by consumer",
            outbox_age.clone(),
        );
        let relay_leader = Gauge::default();
        registry.register(
            "outbox_relay_leader",
            "1 when this instance holds the relay lease",
            relay_leader.clone(),
        );
        let broker_connected = Gauge::default();
        registry.register(
            "amqp_connected",
            "1 when this instance's relay is connected to RabbitMQ",
            broker_connected.clone(),
        );
        let sessions = Gauge::default();
        registry.register(
            "sessions",
            "Live sessions in the session store",
            sessions.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "pool_connections",
            "Database pool connections by state (idle, in_use, max)",
            pool.clone(),
        );
        let redis_up = Gauge::default();
        registry.register(
            "redis_up",
            "1 when Redis answered a PING at scrape time (absent without Redis)",
            redis_up.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                decisions,
                decision_seconds,
                cache,
                http_requests,
                http_seconds,
                published,
                publish_failures,
                mails_sent,
                mail_failures,
                outbox_depth,
                outbox_age,
                relay_leader,
                broker_connected,
                sessions,
                pool,
                redis_up,
            }),
        }
    }

    /// Records an edge decision (counter and latency).
    pub fn decision(&self, d: &AuthzDecision) {
        self.inner.decisions.get_or_create(&d.labels).inc();
        self.inner
            .decision_seconds
            .get_or_create(&FrontendLabels {
                frontend: d.labels.frontend,
            })
            .observe(d.elapsed.as_secs_f64());
    }

    /// Records an edge cache lookup.
    pub fn cache_lookup(&self, cache: &'static str, hit: bool) {
        let result = if hit { "hit" } else { "miss" };
        self.inner
            .cache
            .get_or_create(&CacheLabels { cache, result })
            .inc();
    }

    /// Records an answered HTTP request; `route` is the matched template, never the raw
    /// path (which would make one series per user id).
    pub fn http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.inner
            .http_requests
            .get_or_create(&HttpLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.inner
            .http_seconds
            .get_or_create(&FrontendLabels { frontend: "http" })
            .observe(elapsed.as_secs_f64());
    }

    /// An event the broker confirmed.
    pub fn event_published(&self) {
        self.inner.published.inc();
    }

    /// A failed broker connection or publication.
    pub fn event_publish_failed(&self) {
        self.inner.publish_failures.inc();
    }

    /// A mail delivered (`true`) or failed (`false`).
    pub fn mail(&self, sent: bool) {
        if sent {
            self.inner.mails_sent.inc();
        } else {
            self.inner.mail_failures.inc();
        }
    }

    /// The relay's state on this instance.
    pub fn relay_state(&self, leader: bool, broker_connected: bool) {
        self.inner.relay_leader.set(i64::from(leader));
        self.inner.broker_connected.set(i64::from(broker_connected));
    }

    /// The backlog of one outbox consumer (`amqp` or `mail`).
    pub fn outbox_backlog(&self, consumer: &'static str, depth: u64, oldest_age: Duration) {
        let labels = ConsumerLabels { consumer };
        self.inner
            .outbox_depth
            .get_or_create(&labels)
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
        self.inner
            .outbox_age
            .get_or_create(&labels)
            .set(oldest_age.as_secs_f64());
    }

    /// Live sessions.
    pub fn sessions(&self, count: u64) {
        self.inner
            .sessions
            .set(i64::try_from(count).unwrap_or(i64::MAX));
    }

    /// Database pool usage.
    pub fn db_pool(&self, idle: u32, in_use: u32, max: u32) {
        for (state, value) in [("idle", idle), ("in_use", in_use), ("max", max)] {
            self.inner
                .pool
                .get_or_create(&PoolLabels {
                    pool: "database",
                    state,
                })
                .set(i64::from(value));
        }
    }

    /// Whether Redis answered.
    pub fn redis_up(&self, up: bool) {
        self.inner.redis_up.set(i64::from(up));
    }

    /// The text exposition format (`text/plain; version=0.0.4` compatible OpenMetrics).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.inner.registry).is_err() {
            out.clear();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_counted_by_labels() {
        let m = Metrics::new();
        let labels = DecisionLabels {
            frontend: "grpc",
            outcome: "deny",
            reason: "authz.invalid_session",
        };
        m.decision(&AuthzDecision {
            labels: labels.clone(),
            elapsed: Duration::from_micros(120),
        });
        m.decision(&AuthzDecision {
            labels,
            elapsed: Duration::from_micros(80),
        });
        let text = m.encode();
        assert!(text.contains(
            r#"barong_authz_decisions_total{frontend="grpc",outcome="deny",reason="authz.invalid_session"} 2"#
        ), "{text}");
        assert!(text.contains("barong_authz_decision_duration_seconds_count{frontend=\"grpc\"} 2"));
    }
}
