//! `/resource/sessions` (beyond Barong): the caller's live log-in sessions, and revoking
//! them. A session is named by its public handle; the cookie value never leaves the
//! browser that holds it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Json;
use serde_json::{Value, json};

use crate::http::current_user::{Account, CurrentUser};
use crate::http::error::ApiError;
use crate::http::state::HttpState;
use crate::http::time_format;

/// The caller's sessions, newest first: `id`, `created_at`, `last_seen_at`, `user_ip`,
/// `user_agent`, `current`.
#[utoipa::path(get, path = "/api/v2/resource/sessions", tag = "resource",
    responses((status = 200, description = "Live sessions of the caller")))]
pub async fn list_sessions(
    State(state): State<HttpState>,
    caller: CurrentUser,
    Account(user): Account,
) -> Result<Json<Vec<Value>>, ApiError> {
    let sessions = state
        .services
        .list_sessions(&user, caller.sid.as_deref())
        .await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "created_at": time_format::entity_unix(s.session.created_at),
                    "last_seen_at": time_format::entity_unix(s.session.last_seen_at),
                    "user_ip": s.session.ip,
                    "user_agent": s.session.user_agent,
                    "current": s.current,
                })
            })
            .collect(),
    ))
}

/// Ends one session by its `id`.
#[utoipa::path(delete, path = "/api/v2/resource/sessions/{id}", tag = "resource",
    params(("id" = String, Path)),
    responses((status = 204, description = "Session ended"),
              (status = 404, description = "`record.not_found`")))]
pub async fn delete_session(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.services.revoke_session(&user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the caller except the one making the request.
#[utoipa::path(delete, path = "/api/v2/resource/sessions", tag = "resource",
    responses((status = 204, description = "Other sessions ended")))]
pub async fn delete_other_sessions(
    State(state): State<HttpState>,
    caller: CurrentUser,
    Account(user): Account,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .end_other_sessions(&user, caller.sid.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
