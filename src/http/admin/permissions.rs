//! `/admin/permissions`: the RBAC table the edge check applies (raw rows as Barong
//! returns them; changes reach every instance's edge within a second).

use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::guard::AdminUser;
use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::pagination::{self, ADMIN_USER};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::{status_body, time_format};
use crate::services::admin::permissions::PermissionPatch;
use crate::storage::permissions::{NewPermission, Permission};

const PREFIX: &str = "admin.permission";

fn permission_json(p: &Permission) -> Value {
    json!({
        "id": p.id, "action": p.action, "role": p.role, "verb": p.verb, "path": p.path,
        "topic": p.topic, "created_at": time_format::record(p.created_at),
        "updated_at": time_format::record(p.updated_at),
    })
}

/// Reads the integer `id`: `missing_id`/`empty_id`, or `admin.permission.non_integer_id`.
fn permission_id(v: &mut Validator) -> i64 {
    let raw = v.required("id");
    if raw.trim().is_empty() {
        return 0;
    }
    raw.trim().parse::<i64>().unwrap_or_else(|_| {
        v.push_error("admin.permission.non_integer_id");
        0
    })
}

/// Every rule, in id order, paginated.
#[utoipa::path(get, path = "/api/v2/admin/permissions", tag = "admin",
    params(("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "Permission rows; headers Total, Per-Page, Page, Link"),
              (status = 401, description = "`jwt.decode_and_verify`, `admin.access.denied`"),
              (status = 422, description = "`admin.user.non_integer_page`, `.non_positive_page`, `.non_integer_limit`, `.invalid_limit`")))]
pub async fn list_permissions(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let page = v.page(&ADMIN_USER);
    v.finish()?;
    let (rows, total) = state
        .services
        .permissions_page(page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = rows.iter().map(permission_json).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Adds a rule for an existing role (verbs GET POST PUT PATCH DELETE HEAD ALL; actions
/// ACCEPT DROP AUDIT; optional audit topic).
#[utoipa::path(post, path = "/api/v2/admin/permissions", tag = "admin",
    params(("role" = String, Query), ("verb" = String, Query), ("path" = String, Query),
           ("action" = String, Query), ("topic" = Option<String>, Query)),
    responses((status = 201, description = "Created; body `201`"),
              (status = 401, description = "`admin.access.denied`"),
              (status = 422, description = "`admin.permission.missing_*`/`empty_*`, `admin.permissions.invalid_verb`, `.invalid_action`, `admin.permission.role_doesnt_exist`, `.already_exists`")))]
pub async fn create_permission(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let rule = NewPermission {
        role: v.required("role"),
        verb: v.required("verb"),
        path: v.required("path"),
        action: v.required("action"),
        topic: v.optional_non_blank("topic"),
    };
    v.finish()?;
    state
        .services
        .create_permission(&admin, rule, &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Changes the fields sent (role, verb, path, action, topic; an empty topic clears it).
#[utoipa::path(put, path = "/api/v2/admin/permissions", tag = "admin",
    params(("id" = i64, Query), ("role" = Option<String>, Query), ("verb" = Option<String>, Query),
           ("path" = Option<String>, Query), ("action" = Option<String>, Query), ("topic" = Option<String>, Query)),
    responses((status = 200, description = "Updated; body `200`"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "`admin.permission.one_of_role_type_path_action`, `.<field>_no_change`, `.non_integer_id`, `admin.permissions.invalid_verb`, `.invalid_action`, `admin.permission.role_doesnt_exist`, `.already_exists`")))]
pub async fn update_permission(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let id = permission_id(&mut v);
    let patch = PermissionPatch {
        role: v.optional_non_blank("role"),
        verb: v.optional_non_blank("verb"),
        path: v.optional_non_blank("path"),
        action: v.optional_non_blank("action"),
        topic: v.optional("topic"),
    };
    v.finish()?;
    state
        .services
        .update_permission(&admin, id, patch, &client)
        .await?;
    Ok(status_body(StatusCode::OK))
}

/// Deletes a rule.
#[utoipa::path(delete, path = "/api/v2/admin/permissions", tag = "admin",
    params(("id" = i64, Query)),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "`admin.permission.missing_id`, `.empty_id`, `.non_integer_id`")))]
pub async fn delete_permission(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let id = permission_id(&mut v);
    v.finish()?;
    state
        .services
        .delete_permission(&admin, id, &client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
