//! Rate limits shared by every instance: "at most `max` hits in any `window`" per key
//! (client IP, account, API key, phone number), as a sliding-window log. With Redis the
//! whole decision is one Lua script (one round trip, atomic, Redis's own clock so
//! instances with skewed clocks agree); without Redis an in-process map does the same
//! for a single instance. Only allowed hits are logged, so a client that keeps
//! hammering is let in again as soon as its window has room. Barong had no throttling
//! at all (W12).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;

use super::SessionError;

/// A limit; `max == 0` switches it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Most hits allowed in any window.
    pub max: u32,
    /// The window.
    pub window: Duration,
}

impl Limit {
    /// `max` hits per `window`.
    pub const fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }

    /// Whether the limit is switched off.
    pub fn is_off(&self) -> bool {
        self.max == 0 || self.window.is_zero()
    }

    /// The window in microseconds, as the Redis scripts take it.
    fn window_micros(&self) -> u64 {
        u64::try_from(self.window.as_micros()).unwrap_or(u64::MAX)
    }
}

/// The verdict for the scripts' answer: 0 allowed, else the microseconds to wait.
fn verdict_after(wait_us: u64) -> Verdict {
    if wait_us == 0 {
        Verdict::Allowed
    } else {
        Verdict::Limited {
            retry_after_secs: secs_ceil(Duration::from_micros(wait_us)),
        }
    }
}

/// The answer for one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Under the limit; the hit is counted.
    Allowed,
    /// Over the limit; retry after this many seconds (at least 1).
    Limited {
        /// Seconds until the window has room.
        retry_after_secs: u64,
    },
}

/// Sliding-window log in Redis, on the locals `key` (a sorted set of hit times in
/// microseconds), `max`, `window` (microseconds) and `member` (unique). Returns 0 when
/// allowed, else the microseconds until the oldest hit leaves the window.
const WINDOW_LOG: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= max then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local wait = tonumber(oldest[2]) + window - now
  if wait < 1 then wait = 1 end
  return wait
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window / 1000))
return 0
";

/// The limiter alone: KEYS[1] the log; ARGV max, window, member.
const LIMIT_PRELUDE: &str = r"
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
";

/// A single-use nonce, then the limiter, in one round trip: KEYS[1] the nonce key,
/// KEYS[2] the log; ARGV nonce lifetime (ms), max (0: no limit), window, member. Returns
/// -1 when the nonce was used before (nothing is counted), else as the limiter.
const NONCE_PRELUDE: &str = r"
if not redis.call('SET', KEYS[1], 1, 'NX', 'PX', ARGV[1]) then
  return -1
end
local key = KEYS[2]
local max = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local member = ARGV[4]
if max == 0 then
  return 0
end
";

/// What the combined nonce and limit check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The nonce was used before; nothing was counted.
    Replayed,
    /// The nonce is new (now spent) and the hit was judged.
    Judged(Verdict),
}

struct Log {
    window: Duration,
    hits: VecDeque<Instant>,
}

type MemoryLogs = Arc<Mutex<HashMap<String, Log>>>;

/// Counts hits, in process or in Redis (cheap to clone).
#[derive(Clone)]
pub struct RateLimiter {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    /// In-process (one instance only).
    Memory(MemoryLogs),
    /// Shared through Redis; the scripts are sent by EVALSHA (EVAL on a miss).
    Redis {
        conn: ConnectionManager,
        prefix: String,
        script: Arc<redis::Script>,
        with_nonce: Arc<redis::Script>,
    },
}

/// Entries kept in memory before stale logs are swept.
const SWEEP_ABOVE: usize = 100_000;

/// Whole seconds to wait, rounded up, at least 1 (a `Retry-After` value).
pub(super) fn secs_ceil(d: Duration) -> u64 {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    secs.max(1)
}

impl RateLimiter {
    /// A limiter beside the session store's backend.
    pub fn new(store: &super::SessionStore) -> Self {
        let backend = match store {
            super::SessionStore::Memory(_) => Backend::Memory(Arc::default()),
            super::SessionStore::Redis(r) => Backend::Redis {
                conn: r.connection(),
                prefix: r.prefix().to_owned(),
                script: Arc::new(redis::Script::new(&format!("{LIMIT_PRELUDE}{WINDOW_LOG}"))),
                with_nonce: Arc::new(redis::Script::new(&format!("{NONCE_PRELUDE}{WINDOW_LOG}"))),
            },
        };
        Self { backend }
    }

    /// Counts a hit on `key` under `limit` (a switched-off limit always allows and
    /// costs nothing). A Redis that cannot answer is an error: callers fail closed.
    pub async fn hit(&self, key: &str, limit: Limit) -> Result<Verdict, SessionError> {
        if limit.is_off() {
            return Ok(Verdict::Allowed);
        }
        match &self.backend {
            Backend::Memory(logs) => Ok(memory_hit(logs, key, limit, Instant::now())),
            Backend::Redis {
                conn,
                prefix,
                script,
                ..
            } => {
                let mut conn = conn.clone();
                let wait_us: u64 = script
                    .key(format!("{prefix}ratelimit:{key}"))
                    .arg(limit.max)
                    .arg(limit.window_micros())
                    .arg(crate::crypto::random::hex_token(8))
                    .invoke_async(&mut conn)
                    .await
                    .map_err(super::unavailable)?;
                Ok(verdict_after(wait_us))
            }
        }
    }

    /// With Redis: spends `nonce_key` (absolute, with its prefix) for `nonce_ttl` and
    /// counts a hit on `key`, in one script and one round trip. `None` without Redis
    /// (the caller then does the two steps in process).
    pub(super) async fn redis_admit(
        &self,
        nonce_key: &str,
        nonce_ttl: Duration,
        key: &str,
        limit: Limit,
    ) -> Option<Result<Admission, SessionError>> {
        let Backend::Redis {
            conn,
            prefix,
            with_nonce,
            ..
        } = &self.backend
        else {
            return None;
        };
        let mut conn = conn.clone();
        let ttl_ms = u64::try_from(nonce_ttl.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        // `max` 0 tells the script the limit is off: only the nonce is spent.
        let max = if limit.is_off() { 0 } else { limit.max };
        let result: Result<i64, _> = with_nonce
            .key(nonce_key)
            .key(format!("{prefix}ratelimit:{key}"))
            .arg(ttl_ms)
            .arg(max)
            .arg(limit.window_micros())
            .arg(crate::crypto::random::hex_token(8))
            .invoke_async(&mut conn)
            .await;
        Some(match result {
            Err(e) => Err(super::unavailable(e)),
            Ok(-1) => Ok(Admission::Replayed),
            Ok(wait_us) => Ok(Admission::Judged(verdict_after(wait_us.unsigned_abs()))),
        })
    }
}

fn memory_hit(logs: &MemoryLogs, key: &str, limit: Limit, now: Instant) -> Verdict {
    let mut logs = match logs.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if logs.len() > SWEEP_ABOVE {
        logs.retain(|_, log| {
            log.hits
                .back()
                .is_some_and(|last| now.duration_since(*last) < log.window)
        });
    }
    let log = logs.entry(key.to_owned()).or_insert_with(|| Log {
        window: limit.window,
        hits: VecDeque::new(),
    });
    log.window = limit.window;
    while log
        .hits
        .front()
        .is_some_and(|first| now.duration_since(*first) >= limit.window)
    {
        log.hits.pop_front();
    }
    let max = usize::try_from(limit.max).unwrap_or(usize::MAX);
    if log.hits.len() >= max {
        let oldest = log.hits.front().copied().unwrap_or(now);
        let wait = limit.window.saturating_sub(now.duration_since(oldest));
        return Verdict::Limited {
            retry_after_secs: secs_ceil(wait),
        };
    }
    log.hits.push_back(now);
    while log.hits.len() > max {
        log.hits.pop_front();
    }
    Verdict::Allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_max_in_any_window() {
        let logs = MemoryLogs::default();
        let limit = Limit::new(30, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..30 {
            let at = t0 + Duration::from_secs(i);
            assert_eq!(
                memory_hit(&logs, "ip", limit, at),
                Verdict::Allowed,
                "hit {i}"
            );
        }
        assert_eq!(
            memory_hit(&logs, "ip", limit, t0 + Duration::from_secs(30)),
            Verdict::Limited {
                retry_after_secs: 30
            },
            "the 31st within a minute"
        );
        assert_eq!(
            memory_hit(&logs, "other", limit, t0 + Duration::from_secs(30)),
            Verdict::Allowed,
            "keys are apart"
        );
        assert_eq!(
            memory_hit(&logs, "ip", limit, t0 + Duration::from_secs(60)),
            Verdict::Allowed,
            "the first hit left the window"
        );
        assert_eq!(
            memory_hit(&logs, "ip", limit, t0 + Duration::from_secs(60)),
            Verdict::Limited {
                retry_after_secs: 1
            }
        );
    }

    #[tokio::test]
    async fn a_switched_off_limit_allows_everything() {
        let limiter = RateLimiter {
            backend: Backend::Memory(MemoryLogs::default()),
        };
        for _ in 0..100 {
            assert_eq!(
                limiter
                    .hit("k", Limit::new(0, Duration::from_secs(1)))
                    .await
                    .unwrap(),
                Verdict::Allowed
            );
        }
        let one = Limit::new(1, Duration::from_secs(5));
        assert_eq!(limiter.hit("k", one).await.unwrap(), Verdict::Allowed);
        assert_eq!(
            limiter.hit("k", one).await.unwrap(),
            Verdict::Limited {
                retry_after_secs: 5
            }
        );
    }
}
