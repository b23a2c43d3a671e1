//! Throttles of the use cases, on the shared limiter: identity requests per client IP
//! (credential stuffing, mail bombing) and SMS codes per user and per number (SMS
//! bombing, toll fraud). Over a limit: 429 with `Retry-After` and a Barong-style key;
//! a limiter that cannot answer is a 503 (fail closed).

use std::time::Duration;

use crate::sessions::{Limit, Verdict};

use super::{ServiceError, Services};

/// The key of every rate-limit refusal.
pub const RATE_LIMIT_EXCEEDED: &str = "rate_limit.exceeded";

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

impl Services {
    /// Counts one hit on each `(key, limit)` in order; the first over its limit answers
    /// 429 `error_key` with the seconds to wait.
    pub(crate) async fn throttle(
        &self,
        hits: &[(String, Limit)],
        error_key: &str,
    ) -> Result<(), ServiceError> {
        for (key, limit) in hits {
            let verdict = self.limiter.hit(key, *limit).await.map_err(|e| {
                tracing::error!(error = %e, "rate limiter unavailable");
                ServiceError::unavailable()
            })?;
            if let Verdict::Limited { retry_after_secs } = verdict {
                tracing::info!(ratelimit.key = %key, retry_after = retry_after_secs, "rate limited");
                return Err(ServiceError::too_many(error_key, retry_after_secs));
            }
        }
        Ok(())
    }

    /// One identity request (sign up, log in, email or password code) from `client_ip`.
    pub async fn throttle_identity(&self, client_ip: &str) -> Result<(), ServiceError> {
        let limit = Limit::new(self.settings.identity_per_min, MINUTE);
        self.throttle(
            &[(format!("identity:{client_ip}"), limit)],
            RATE_LIMIT_EXCEEDED,
        )
        .await
    }

    /// One SMS code for user `uid` to the number `digits`: both the user and the number
    /// must be past the minimum interval and under the hourly count.
    pub(crate) async fn throttle_sms(&self, uid: &str, digits: &str) -> Result<(), ServiceError> {
        let s = &self.settings;
        let interval = Limit::new(
            u32::from(s.sms_min_interval > 0),
            Duration::from_secs(s.sms_min_interval),
        );
        let hourly = Limit::new(s.sms_max_per_hour, HOUR);
        self.throttle(
            &[
                (format!("sms:user:{uid}:interval"), interval),
                (format!("sms:phone:{digits}:interval"), interval),
                (format!("sms:user:{uid}:hour"), hourly),
                (format!("sms:phone:{digits}:hour"), hourly),
            ],
            RATE_LIMIT_EXCEEDED,
        )
        .await
    }
}
