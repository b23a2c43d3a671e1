//! `GET /resource/users/me`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json;
use serde_json::{Value, json};

use crate::http::current_user::CurrentUser;
use crate::http::error::ApiError;
use crate::http::state::HttpState;
use crate::storage;

/// Barong's User entity of the caller (404 `record.not_found` if the account is gone).
pub async fn get_me(
    State(state): State<HttpState>,
    user: CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let conn = state.services.db.conn();
    let row = storage::users::find_by_uid(conn, &user.uid)
        .await
        .map_err(crate::services::ServiceError::from)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "record.not_found"))?;
    Ok(Json(json!({
        "email": row.email, "uid": row.uid, "role": row.role,
        "level": row.level, "otp": row.otp, "state": row.state,
    })))
}
