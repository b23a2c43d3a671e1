//! `/resource/api_keys`: the caller's API keys (Barong's APIKey entity; the secret only
//! in the create response).

use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};

use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::pagination::{self, GENERIC};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::time_format;
use crate::services::api_keys::{KeyChange, NewKeyInput, scope_of};
use crate::storage::apikeys::ApiKey;

const PREFIX: &str = "resource.apikey";

/// Barong's APIKey entity, with `secret` only when given.
fn key_json(key: &ApiKey, secret: Option<&str>) -> Value {
    let mut body = json!({
        "kid": key.kid, "algorithm": key.algorithm, "scope": scope_of(key),
        "state": key.state,
    });
    if let (Some(secret), Some(map)) = (secret, body.as_object_mut()) {
        map.insert("secret".to_owned(), json!(secret));
    }
    if let Some(map) = body.as_object_mut() {
        map.insert(
            "created_at".to_owned(),
            json!(time_format::entity(key.created_at)),
        );
        map.insert(
            "updated_at".to_owned(),
            json!(time_format::entity(key.updated_at)),
        );
        let ips = crate::domain::api_key_limits::stored_allowed_ips(key.allowed_ips.as_deref());
        let ips: Vec<String> = ips.iter().map(ToString::to_string).collect();
        map.insert("allowed_ips".to_owned(), json!(ips));
        map.insert(
            "expires_at".to_owned(),
            json!(key.expires_at.map(time_format::entity)),
        );
        // Set by an admin; null: `BARONG_RATE_LIMIT_APIKEY_PER_SEC`.
        map.insert(
            "rate_limit_per_sec".to_owned(),
            json!(key.rate_limit_per_sec),
        );
    }
    body
}

/// The caller's keys, oldest first, paginated; never the secret.
#[utoipa::path(get, path = "/api/v2/resource/api_keys", tag = "resource",
    params(("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "APIKey entities; headers Total, Per-Page, Page, Link"),
              (status = 422, description = "`invalid`, `zero.`, `1..1000.`")))]
pub async fn list_api_keys(
    State(state): State<HttpState>,
    Account(user): Account,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let page = v.page(&GENERIC);
    v.finish()?;
    let (keys, total) = state
        .services
        .list_api_keys(&user, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = keys.iter().map(|k| key_json(k, None)).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Creates a key: `algorithm` (HS256, HS384, HS512), optional `scope`, `totp_code`.
#[utoipa::path(post, path = "/api/v2/resource/api_keys", tag = "resource",
    params(("algorithm" = String, Query), ("kid" = Option<String>, Query),
           ("scope" = Option<String>, Query),
           ("allowed_ips" = Option<String>, Query, description = "IPs or CIDR blocks, comma-separated; the key works only from these"),
           ("expires_at" = Option<String>, Query, description = "unix seconds or RFC 3339, in the future; the key stops working then"),
           ("totp_code" = String, Query)),
    responses((status = 201, description = "APIKey entity with `secret`, shown this once"),
              (status = 400, description = "`resource.api_key.2fa_disabled`"),
              (status = 422, description = "Validation errors, `resource.api_key.invalid_totp`, `algorithm.inclusion`, `resource.apikey.invalid_allowed_ips`, `resource.apikey.invalid_expires_at`")))]
pub async fn create_api_key(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let algorithm = v.required("algorithm");
    v.optional_non_blank("kid");
    let scope = v.optional_non_blank("scope");
    let allowed_ips = v.optional("allowed_ips");
    let expires_at = v.optional("expires_at");
    let totp_code = v.required_with("totp_code", "resource.api_key.missing_totp");
    v.finish()?;
    let input = NewKeyInput {
        algorithm,
        scope,
        allowed_ips,
        expires_at,
        totp_code,
    };
    let created = state.services.create_api_key(&user, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(key_json(&created.key, Some(&created.secret))),
    ))
}

/// Changes `scope` and/or `state` (`active`, `inactive`); `totp_code` required. An
/// omitted field is left unchanged.
#[utoipa::path(patch, path = "/api/v2/resource/api_keys/{kid}", tag = "resource",
    params(("kid" = String, Path), ("scope" = Option<String>, Query),
           ("state" = Option<String>, Query),
           ("allowed_ips" = Option<String>, Query, description = "new allow-list; empty clears it"),
           ("expires_at" = Option<String>, Query, description = "new expiry; empty clears it"),
           ("totp_code" = String, Query)),
    responses((status = 200, description = "APIKey entity"),
              (status = 400, description = "`resource.api_key.2fa_disabled`"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "Validation errors, `resource.api_key.invalid_totp`, `state.inclusion`, `resource.apikey.invalid_allowed_ips`, `resource.apikey.invalid_expires_at`")))]
pub async fn update_api_key(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(kid): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let scope = v.optional_non_blank("scope");
    let new_state = v.optional_non_blank("state");
    let allowed_ips = v.optional("allowed_ips");
    let expires_at = v.optional("expires_at");
    let totp_code = v.required("totp_code");
    v.finish()?;
    let change = KeyChange {
        scope,
        state: new_state,
        allowed_ips,
        expires_at,
        totp_code,
    };
    let key = state.services.update_api_key(&user, &kid, change).await?;
    Ok(Json(key_json(&key, None)))
}

/// Deletes a key; `totp_code` required.
#[utoipa::path(delete, path = "/api/v2/resource/api_keys/{kid}", tag = "resource",
    params(("kid" = String, Path), ("totp_code" = String, Query)),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "`resource.api_key.2fa_disabled`"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "Validation errors, `resource.api_key.invalid_totp`")))]
pub async fn delete_api_key(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(kid): Path<String>,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let totp_code = v.required("totp_code");
    v.finish()?;
    state
        .services
        .delete_api_key(&user, &kid, &totp_code)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
