//! `GET /admin/metrics`: sign-ups, successful and failed logins per day within the
//! requested period (Barong ignored the period, W26, and did not count 2FA logins), and
//! the number of pending KYC applications.

use std::collections::BTreeMap;

use crate::services::{ServiceError, Services};
use crate::storage::{self, metrics::Series};

/// Counts per `YYYY-MM-DD` day.
pub type Daily = BTreeMap<String, i64>;

/// The metrics of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Completed sign-ups per day.
    pub signups: Daily,
    /// Successful logins (with or without 2FA) per day.
    pub successful_logins: Daily,
    /// Failed logins (wrong password, wrong or reused code) per day.
    pub failed_logins: Daily,
    /// Users whose KYC documents wait for review.
    pub pending_applications: u64,
}

const SIGNUPS: Series = Series {
    topic: "account",
    actions: &["signup"],
    result: "succeed",
    unless_data_contains: None,
};
const LOGINS_OK: Series = Series {
    topic: "session",
    actions: &["login", "login::2fa"],
    result: "succeed",
    unless_data_contains: None,
};
const LOGINS_FAILED: Series = Series {
    topic: "session",
    actions: &["login", "login::2fa"],
    result: "failed",
    // A web client first posts the password alone and is told a code is needed: that
    // step of a 2FA login is not a failed login.
    unless_data_contains: Some("OTP code is missing"),
};

impl Services {
    /// Metrics of activities created within `[from, to]` (each end optional).
    pub async fn metrics(
        &self,
        from: Option<chrono::NaiveDateTime>,
        to: Option<chrono::NaiveDateTime>,
    ) -> Result<Metrics, ServiceError> {
        let conn = self.db.conn();
        let daily = |series: &'static Series| async move {
            storage::metrics::daily_counts(conn, series, from, to)
                .await
                .map(|rows| rows.into_iter().collect::<Daily>())
        };
        Ok(Metrics {
            signups: daily(&SIGNUPS).await?,
            successful_logins: daily(&LOGINS_OK).await?,
            failed_logins: daily(&LOGINS_FAILED).await?,
            pending_applications: storage::metrics::pending_applications(conn).await?,
        })
    }
}
