//! Softlock against password guessing (as Kanidm does): after `max` failed log-ins for
//! one account, each further attempt must wait a delay that starts at 1 s and doubles
//! with every failure, up to 15 minutes; a success clears the count. The account is
//! never locked for good, so an attacker cannot lock its owner out, only slow
//! themselves down. Counters live beside the sessions (Redis, shared by every
//! instance, with Redis's clock; or in process) and are forgotten after a quiet day.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::ConnectionManager;

use super::{SessionError, unavailable};

/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Failures are forgotten this long after the last one.
const QUIET: Duration = Duration::from_secs(24 * 3600);

/// The delay after failure number `n` (counting from 1) once `max` is reached.
pub fn delay_after(n: u32, max: u32) -> Option<Duration> {
    if max == 0 || n < max {
        return None;
    }
    let doublings = (n - max).min(10);
    Some(Duration::from_secs(1u64 << doublings).min(MAX_DELAY))
}

/// Records a failure: KEYS[1] hash {n, until}; ARGV max, delay cap (ms), quiet (ms).
/// Returns the milliseconds of the delay it started (0: none).
const FAILURE: &str = r"
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local max = tonumber(ARGV[1])
local delay = 0
if max > 0 and n >= max then
  local doublings = n - max
  if doublings > 10 then doublings = 10 end
  delay = math.min(1000 * (2 ^ doublings), tonumber(ARGV[2]))
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('HSET', KEYS[1], 'until', now + delay)
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return delay
";

/// Milliseconds left of the delay of KEYS[1] (0: none).
const REMAINING: &str = r"
local u = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if u > now then return u - now end
return 0
";

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    until_ms: i64,
    last_ms: i64,
}

type Counts = Arc<Mutex<HashMap<String, Count>>>;

/// Counters kept in memory before quiet ones are swept.
const SWEEP_ABOVE: usize = 100_000;

/// Runs `f` on the live count of `account` (a count quiet for a day is dropped).
fn with_count<T>(counts: &Counts, account: &str, f: impl FnOnce(&mut Option<Count>) -> T) -> T {
    let mut map = match counts.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let now = now_ms();
    let quiet = i64::try_from(QUIET.as_millis()).unwrap_or(i64::MAX);
    if map.len() > SWEEP_ABOVE {
        map.retain(|_, c| now - c.last_ms < quiet);
    }
    let mut entry = map
        .get(account)
        .copied()
        .filter(|c| now - c.last_ms < quiet);
    let out = f(&mut entry);
    match entry {
        Some(c) => map.insert(account.to_owned(), c),
        None => map.remove(account),
    };
    out
}

/// Failure counters per account (cheap to clone).
#[derive(Clone)]
pub struct Softlock {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Memory(Counts),
    Redis {
        conn: ConnectionManager,
        prefix: String,
        failure: Arc<redis::Script>,
        remaining: Arc<redis::Script>,
    },
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn secs_ceil(ms: u64) -> u64 {
    super::rate_limit::secs_ceil(Duration::from_millis(ms))
}

impl Softlock {
    /// Counters beside the session store's backend.
    pub fn new(store: &super::SessionStore) -> Self {
        let backend = match store {
            super::SessionStore::Memory(_) => Backend::Memory(Counts::default()),
            super::SessionStore::Redis(r) => Backend::Redis {
                conn: r.connection(),
                prefix: r.prefix().to_owned(),
                failure: Arc::new(redis::Script::new(FAILURE)),
                remaining: Arc::new(redis::Script::new(REMAINING)),
            },
        };
        Self { backend }
    }

    /// Seconds the account must still wait (`None`: it may try now).
    pub async fn wait(&self, account: &str) -> Result<Option<u64>, SessionError> {
        let ms = match &self.backend {
            Backend::Memory(counts) => with_count(counts, account, |c| {
                c.map_or(0, |c| u64::try_from(c.until_ms - now_ms()).unwrap_or(0))
            }),
            Backend::Redis {
                conn,
                prefix,
                remaining,
                ..
            } => {
                let mut conn = conn.clone();
                remaining
                    .key(format!("{prefix}softlock:{account}"))
                    .invoke_async::<u64>(&mut conn)
                    .await
                    .map_err(unavailable)?
            }
        };
        Ok((ms > 0).then(|| secs_ceil(ms)))
    }

    /// Counts a failure; the delay it starts, in seconds, once `max` failures are reached.
    pub async fn failure(&self, account: &str, max: u32) -> Result<Option<u64>, SessionError> {
        if max == 0 {
            return Ok(None);
        }
        let ms = match &self.backend {
            Backend::Memory(counts) => with_count(counts, account, |entry| {
                let now = now_ms();
                let mut count = entry.unwrap_or(Count {
                    failures: 0,
                    until_ms: 0,
                    last_ms: now,
                });
                count.failures = count.failures.saturating_add(1);
                count.last_ms = now;
                let delay = delay_after(count.failures, max);
                if let Some(d) = delay {
                    count.until_ms = now + i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
                }
                *entry = Some(count);
                delay.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            }),
            Backend::Redis {
                conn,
                prefix,
                failure,
                ..
            } => {
                let mut conn = conn.clone();
                failure
                    .key(format!("{prefix}softlock:{account}"))
                    .arg(max)
                    .arg(MAX_DELAY.as_millis().to_string())
                    .arg(QUIET.as_millis().to_string())
                    .invoke_async::<u64>(&mut conn)
                    .await
                    .map_err(unavailable)?
            }
        };
        Ok((ms > 0).then(|| secs_ceil(ms)))
    }

    /// A success: the count starts again from zero.
    pub async fn success(&self, account: &str) -> Result<(), SessionError> {
        match &self.backend {
            Backend::Memory(counts) => {
                with_count(counts, account, |entry| *entry = None);
                Ok(())
            }
            Backend::Redis { conn, prefix, .. } => {
                let mut conn = conn.clone();
                redis::cmd("DEL")
                    .arg(format!("{prefix}softlock:{account}"))
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(unavailable)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_second_doubling_up_to_fifteen_minutes() {
        assert_eq!(delay_after(4, 5), None);
        assert_eq!(delay_after(5, 5), Some(Duration::from_secs(1)));
        assert_eq!(delay_after(6, 5), Some(Duration::from_secs(2)));
        assert_eq!(delay_after(9, 5), Some(Duration::from_secs(16)));
        assert_eq!(delay_after(14, 5), Some(Duration::from_secs(512)));
        assert_eq!(delay_after(15, 5), Some(MAX_DELAY));
        assert_eq!(delay_after(1000, 5), Some(MAX_DELAY));
        assert_eq!(delay_after(1000, 0), None, "off");
    }

    #[tokio::test]
    async fn memory_counts_delays_and_resets() {
        let lock = Softlock::new(&crate::sessions::SessionStore::Memory(
            crate::sessions::MemoryStore::new(Duration::from_secs(60)),
        ));
        for _ in 0..2 {
            assert_eq!(lock.failure("a", 3).await.unwrap(), None);
        }
        assert_eq!(lock.wait("a").await.unwrap(), None);
        assert_eq!(lock.failure("a", 3).await.unwrap(), Some(1));
        assert_eq!(lock.wait("a").await.unwrap(), Some(1));
        assert_eq!(lock.wait("b").await.unwrap(), None, "accounts are apart");
        assert_eq!(lock.failure("a", 3).await.unwrap(), Some(2));
        lock.success("a").await.unwrap();
        assert_eq!(lock.wait("a").await.unwrap(), None);
        assert_eq!(lock.failure("a", 3).await.unwrap(), None, "counting again");
    }
}
