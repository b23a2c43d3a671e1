//! Liveness and readiness for orchestrators: live means the process answers; ready
//! means the database and the session store answer too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::json;

use super::state::HttpState;

/// `GET /health/live`.
pub async fn live() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// `GET /health/ready`: 200 when every dependency answers, 503 otherwise.
pub async fn ready(State(state): State<HttpState>) -> impl IntoResponse {
    let database = state.services.db.ping().await.is_ok();
    let sessions = state.services.sessions.ping().await.is_ok();
    let status = if database && sessions {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    (
        status,
        Json(json!({ "database": word(database), "sessions": word(sessions) })),
    )
}
