//! `PUT /admin/api_keys`: an admin sets one API key's edge rate (ours; Barong had no
//! rate limits).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::guard::AdminUser;
use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::services::admin::api_keys::MAX_RATE_PER_SEC;

const PREFIX: &str = "admin.apikey";

/// Sets or clears a key's edge rate.
#[utoipa::path(put, path = "/api/v2/admin/api_keys", tag = "admin",
    params(("kid" = String, Query),
           ("rate_limit_per_sec" = String, Query, description = "checks per second (0 to 100000; bursts up to twice that); empty: back to BARONG_RATE_LIMIT_APIKEY_PER_SEC")),
    responses((status = 200, description = "The key: `kid`, `uid` (owner), `state`, `rate_limit_per_sec` (null: the default)"),
              (status = 404, description = "`admin.apikey.doesnt_exist`"),
              (status = 422, description = "`admin.apikey.missing_kid`, `.empty_kid`, `.missing_rate_limit_per_sec`, `.invalid_rate_limit_per_sec`")))]
pub async fn put_api_key(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let kid = v.required("kid");
    let rate = match v.optional("rate_limit_per_sec") {
        None => {
            v.push_error("admin.apikey.missing_rate_limit_per_sec");
            None
        }
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => match raw.trim().parse::<u32>() {
            Ok(rate) if rate <= MAX_RATE_PER_SEC => Some(rate),
            _ => {
                v.push_error("admin.apikey.invalid_rate_limit_per_sec");
                None
            }
        },
    };
    v.finish()?;
    let view = state
        .services
        .admin_set_key_rate(&admin, &kid, rate, &client)
        .await?;
    Ok(Json(json!({
        "kid": view.key.kid,
        "uid": view.owner_uid,
        "state": view.key.state,
        "rate_limit_per_sec": view.key.rate_limit_per_sec,
    })))
}
