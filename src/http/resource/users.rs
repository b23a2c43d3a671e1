//! `GET /resource/users/me`.

use axum::response::Json;
use serde_json::{Value, json};

use crate::http::current_user::Account;

/// Barong's User entity of the caller (404 `record.not_found` if the account is gone).
pub async fn get_me(Account(row): Account) -> Json<Value> {
    Json(json!({
        "email": row.email, "uid": row.uid, "role": row.role,
        "level": row.level, "otp": row.otp, "state": row.state,
    }))
}
