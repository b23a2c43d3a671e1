//! `/admin/metrics`: daily sign-ups and logins within `created_from`..`created_to`.

use axum::extract::State;
use axum::response::Json;
use serde_json::{Value, json};

use super::guard::AdminUser;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;

/// Reads a period end: unix seconds or `YYYY-MM-DD` (the start of that day, or its
/// last second for `created_to`).
fn period_end(v: &mut Validator, name: &str, end_of_day: bool) -> Option<chrono::NaiveDateTime> {
    let raw = v.optional(name)?;
    let raw = raw.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let time = if end_of_day {
            day.and_hms_opt(23, 59, 59)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        return time;
    }
    let parsed = crate::http::params::unix_seconds(raw);
    if parsed.is_none() {
        v.push_error(&format!("admin.metrics.invalid_{name}"));
    }
    parsed
}

/// Daily counts of sign-ups, successful and failed logins, and pending KYC reviews.
/// `sucessful_logins` keeps Barong's spelling; `successful_logins` is the same series.
#[utoipa::path(get, path = "/api/v2/admin/metrics", tag = "admin",
    params(("created_from" = Option<String>, Query, description = "unix seconds or YYYY-MM-DD"),
           ("created_to" = Option<String>, Query, description = "unix seconds or YYYY-MM-DD")),
    responses((status = 200, description = "{signups, sucessful_logins, successful_logins, failed_logins, pending_applications}"),
              (status = 401, description = "`admin.access.denied`"),
              (status = 422, description = "`admin.metrics.invalid_created_from`, `.invalid_created_to`")))]
pub async fn metrics(
    State(state): State<HttpState>,
    _admin: AdminUser,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut v = Validator::new(&params, "admin.metrics");
    let from = period_end(&mut v, "created_from", false);
    let to = period_end(&mut v, "created_to", true);
    v.finish()?;
    let m = state.services.metrics(from, to).await?;
    Ok(Json(json!({
        "signups": m.signups,
        "sucessful_logins": m.successful_logins,
        "successful_logins": m.successful_logins,
        "failed_logins": m.failed_logins,
        "pending_applications": m.pending_applications,
    })))
}
