//! `ping`, `time`, `version`, `users/register_geetest`.

use axum::extract::State;
use axum::response::Json;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::state::HttpState;
use crate::services::captcha::GeetestRegistration;

/// Server time.
#[derive(Serialize, ToSchema)]
pub struct TimeResponse {
    /// Unix seconds.
    pub time: i64,
}

/// Build information.
#[derive(Serialize, ToSchema)]
pub struct VersionResponse {
    /// Release tag.
    pub git_tag: String,
    /// Commit.
    pub git_sha: String,
    /// Build time.
    pub build_date: String,
    /// Version.
    pub version: String,
}

/// Connectivity test.
#[utoipa::path(get, path = "/api/v2/identity/ping", tag = "identity",
    responses((status = 200, description = "Test connectivity", example = json!({"ping": "pong"}))))]
pub async fn ping() -> Json<Value> {
    Json(json!({ "ping": "pong" }))
}

/// Server's current unix time.
#[utoipa::path(get, path = "/api/v2/identity/time", tag = "identity",
    responses((status = 200, description = "Current unix timestamp", body = TimeResponse)))]
pub async fn time() -> Json<TimeResponse> {
    Json(TimeResponse {
        time: chrono::Utc::now().timestamp(),
    })
}

/// Build version of this binary.
#[utoipa::path(get, path = "/api/v2/identity/version", tag = "identity",
    responses((status = 200, description = "Barong version", body = VersionResponse)))]
pub async fn version(State(state): State<HttpState>) -> Json<VersionResponse> {
    let v = &state.version;
    Json(VersionResponse {
        git_tag: v.git_tag.clone(),
        git_sha: v.git_sha.clone(),
        build_date: v.build_date.clone(),
        version: v.version.clone(),
    })
}

/// Starts a GeeTest challenge (400 `identity.captcha.geetest_not_configured` unless
/// GeeTest is the configured provider).
#[utoipa::path(get, path = "/api/v2/identity/users/register_geetest", tag = "identity",
    responses((status = 200, description = "GeeTest challenge", body = GeetestRegistration),
              (status = 400, description = "GeeTest is not the configured captcha"),
              (status = 503, description = "GeeTest unreachable")))]
pub async fn register_geetest(
    State(state): State<HttpState>,
) -> Result<Json<GeetestRegistration>, ApiError> {
    Ok(Json(state.services.captcha.register_geetest().await?))
}
