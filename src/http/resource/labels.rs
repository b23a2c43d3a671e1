//! `/resource/labels`: the caller's labels (Barong's Label entity). All scopes are
//! listed; only `public` labels can be created, changed or deleted here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::{Value, json};

use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::time_format;
use crate::storage::labels::Label;

const PREFIX: &str = "resource.label";

/// Barong's Label entity: key, value, scope, created_at, updated_at.
pub(crate) fn label_json(label: &Label) -> Value {
    json!({
        "key": label.key, "value": label.value, "scope": label.scope,
        "created_at": time_format::entity(label.created_at),
        "updated_at": time_format::entity(label.updated_at),
    })
}

/// Every label of the caller, public and private, oldest first.
#[utoipa::path(get, path = "/api/v2/resource/labels", tag = "resource",
    responses((status = 200, description = "Array of Label entities"),
              (status = 401, description = "`jwt.decode_and_verify`")))]
pub async fn list_labels(
    State(state): State<HttpState>,
    Account(user): Account,
) -> Result<Json<Value>, ApiError> {
    let labels = state.services.list_labels(&user).await?;
    Ok(Json(Value::Array(labels.iter().map(label_json).collect())))
}

/// One label by key; the public one when both scopes have it.
#[utoipa::path(get, path = "/api/v2/resource/labels/{key}", tag = "resource",
    params(("key" = String, Path)),
    responses((status = 200, description = "Label entity"),
              (status = 404, description = "`record.not_found`")))]
pub async fn get_label(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(key): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let label = state.services.get_label(&user, &key).await?;
    Ok(Json(label_json(&label)))
}

/// Creates a public label: `key` and `value`, 3..255 of `[a-z0-9_-]` after
/// lower-casing.
#[utoipa::path(post, path = "/api/v2/resource/labels", tag = "resource",
    params(("key" = String, Query), ("value" = String, Query)),
    responses((status = 201, description = "Label entity"),
              (status = 422, description = "`resource.label.missing_key`, `.empty_key`, `.missing_value`, `.empty_value`, `key.taken`, `key.too_short`, `key.too_long`, `key.invalid`, `value.too_short`, `value.too_long`, `value.invalid`")))]
pub async fn create_label(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let key = v.required("key");
    let value = v.required("value");
    v.finish()?;
    let label = state.services.create_label(&user, &key, &value).await?;
    Ok((StatusCode::CREATED, Json(label_json(&label))))
}

/// Changes a public label's `value` (a bad value is a 422, not ignored as in Barong).
#[utoipa::path(patch, path = "/api/v2/resource/labels/{key}", tag = "resource",
    params(("key" = String, Path), ("value" = String, Query)),
    responses((status = 200, description = "Label entity"),
              (status = 400, description = "`resource.labels.private`"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "`resource.label.missing_value`, `.empty_value`, `value.too_short`, `value.too_long`, `value.invalid`")))]
pub async fn update_label(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(key): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let value = v.required("value");
    v.finish()?;
    let label = state.services.update_label(&user, &key, &value).await?;
    Ok(Json(label_json(&label)))
}

/// Deletes a public label.
#[utoipa::path(delete, path = "/api/v2/resource/labels/{key}", tag = "resource",
    params(("key" = String, Path)),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "`resource.labels.private`"),
              (status = 404, description = "`record.not_found`")))]
pub async fn delete_label(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_label(&user, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}
