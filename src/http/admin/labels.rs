//! `/admin/users/labels`: labels staff set on users (any scope), who holds a label, and
//! how many users hold each private label value.

use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Map, Value, json};

use super::guard::AdminUser;
use super::user_json;
use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::pagination::{self, GENERIC};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::status_body;
use crate::services::admin::labels::LabelRef;

const PREFIX: &str = "admin.user";

/// Users holding `key` = `value` (any scope), each once, in id order.
#[utoipa::path(get, path = "/api/v2/admin/users/labels", tag = "admin",
    params(("key" = String, Query), ("value" = String, Query),
           ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "User entities; headers Total, Per-Page, Page, Link"),
              (status = 422, description = "`admin.user.missing_key`, `.empty_key`, `.missing_value`, `.empty_value`, `invalid`, `zero.`, `1..1000.`")))]
pub async fn users_with_label(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let key = v.required("key");
    let value = v.required("value");
    let page = v.page(&GENERIC);
    v.finish()?;
    let (users, total) = state
        .services
        .users_with_label(&key, &value, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = users.iter().map(user_json).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Users per private label value. Default: Barong's object, keyed by the Ruby
/// inspection of `[key, value]` (`{"[\"email\", \"verified\"]": 10}`), so Barong's
/// dashboards read it unchanged; `?format=array` gives
/// `[{"key": "email", "value": "verified", "count": 10}]`.
#[utoipa::path(get, path = "/api/v2/admin/users/labels/list", tag = "admin",
    params(("format" = Option<String>, Query, description = "`array` for a list of {key, value, count}")),
    responses((status = 200, description = "Counts of private labels per key and value"),
              (status = 422, description = "`admin.user.invalid_format`")))]
pub async fn label_counts(
    State(state): State<HttpState>,
    _admin: AdminUser,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let format = v.optional("format");
    let as_array = match format.as_deref().map(str::trim) {
        None | Some("" | "object") => false,
        Some("array") => true,
        Some(_) => {
            v.push_error("admin.user.invalid_format");
            false
        }
    };
    v.finish()?;
    let counts = state.services.private_label_counts().await?;
    if as_array {
        let rows: Vec<Value> = counts
            .into_iter()
            .map(|(key, value, count)| json!({"key": key, "value": value, "count": count}))
            .collect();
        return Ok(Json(Value::Array(rows)));
    }
    let mut object = Map::new();
    for (key, value, count) in counts {
        object.insert(format!("[\"{key}\", \"{value}\"]"), json!(count));
    }
    Ok(Json(Value::Object(object)))
}

fn label_ref(v: &mut Validator, scope_required: bool) -> LabelRef {
    let uid = v.required("uid");
    let key = v.required("key");
    let scope = if scope_required {
        v.required("scope")
    } else {
        v.optional_non_blank("scope")
            .unwrap_or_else(|| crate::domain::label::PUBLIC.to_owned())
    };
    LabelRef { uid, key, scope }
}

/// Adds a label (scope `public` unless given); a private one recomputes the level.
#[utoipa::path(post, path = "/api/v2/admin/users/labels", tag = "admin",
    params(("uid" = String, Query), ("key" = String, Query), ("value" = String, Query),
           ("scope" = Option<String>, Query)),
    responses((status = 201, description = "Created; body `201`"),
              (status = 404, description = "`admin.user.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_*`/`empty_*`, `key.taken`, `key.invalid`, `key.too_short`, `value.invalid`, `scope.inclusion`, ...")))]
pub async fn add_label(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let target = label_ref(&mut v, false);
    let value = v.required("value");
    v.finish()?;
    state
        .services
        .admin_add_label(&admin, target, &value, &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

async fn change(
    state: &HttpState,
    admin: AdminUser,
    client: Client,
    params: &Params,
) -> Result<(), ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let target = label_ref(&mut v, true);
    let value = v.required("value");
    v.finish()?;
    state
        .services
        .admin_change_label(&admin.0, target, &value, &client.0)
        .await?;
    Ok(())
}

/// Changes a label's value; `document` = `verified`/`rejected` is the KYC decision.
#[utoipa::path(put, path = "/api/v2/admin/users/labels", tag = "admin",
    params(("uid" = String, Query), ("key" = String, Query), ("scope" = String, Query), ("value" = String, Query)),
    responses((status = 200, description = "Updated; body `200`"),
              (status = 404, description = "`admin.user.doesnt_exist`, `admin.label.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_*`/`empty_*`, `value.invalid`, ...")))]
pub async fn put_label(
    State(state): State<HttpState>,
    admin: AdminUser,
    client: Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    change(&state, admin, client, &params).await?;
    Ok(status_body(StatusCode::OK))
}

/// The same change as `PUT users/labels`, answered 201 as the seed documents.
#[utoipa::path(post, path = "/api/v2/admin/users/labels/update", tag = "admin",
    params(("uid" = String, Query), ("key" = String, Query), ("scope" = String, Query), ("value" = String, Query)),
    responses((status = 201, description = "Updated; body `201`"),
              (status = 404, description = "`admin.user.doesnt_exist`, `admin.label.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_*`/`empty_*` (uid, key, scope, value), `value.invalid`, ...")))]
pub async fn post_label_update(
    State(state): State<HttpState>,
    admin: AdminUser,
    client: Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    change(&state, admin, client, &params).await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Deletes a label; a private one recomputes the level.
#[utoipa::path(delete, path = "/api/v2/admin/users/labels", tag = "admin",
    params(("uid" = String, Query), ("key" = String, Query), ("scope" = String, Query)),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "`admin.user.doesnt_exist`, `admin.label.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_*`/`empty_*` (uid, key, scope)")))]
pub async fn delete_label(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let target = label_ref(&mut v, true);
    v.finish()?;
    state
        .services
        .admin_delete_label(&admin, target, &client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
