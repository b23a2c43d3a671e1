//! `GET /admin/users`, `GET /admin/users/documents/pending` and `GET /admin/users/{uid}`:
//! reading users with Barong's filters, pagination and entities.

use axum::extract::{OriginalUri, Path, State};
use axum::response::{Json, Response};
use serde_json::Value;

use super::guard::AdminUser;
use super::user_json;
use crate::http::error::ApiError;
use crate::http::pagination::{self, ADMIN_USER, GENERIC, PageKeys, PageRequest};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::storage::user_search::{Range, UserFilter};

const PREFIX: &str = "admin.user";

/// Reads the shared filters, `extended`, and the page.
fn directory_query(
    params: &Params,
    keys: &PageKeys,
) -> Result<(UserFilter, bool, PageRequest), ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let extended = v
        .boolean("extended", "admin.user.non_boolean_extended")
        .unwrap_or(false);
    let keep = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let uid = keep(v.optional("uid"));
    let email = keep(v.optional("email"));
    let role = keep(v.optional("role"));
    let first_name = keep(v.optional("first_name"));
    let last_name = keep(v.optional("last_name"));
    let country = keep(v.optional("country"));
    let level = keep(v.optional("level")).and_then(|raw| {
        raw.parse::<i32>().map_or_else(
            |_| {
                v.push_error("admin.user.non_integer_level");
                None
            },
            Some,
        )
    });
    let state = keep(v.optional("state"));
    let range = match keep(v.optional("range")).as_deref() {
        None | Some("created") => Range::Created,
        Some("updated") => Range::Updated,
        Some(_) => {
            v.push_error("admin.user.invalid_range");
            Range::Created
        }
    };
    let from = v.unix_time("from", "admin.user.non_integer_from");
    let to = v.unix_time("to", "admin.user.non_integer_to");
    let page = v.page(keys);
    v.finish()?;
    let filter = UserFilter {
        uid,
        email,
        role,
        state,
        level,
        first_name,
        last_name,
        country,
        range,
        from,
        to,
    };
    Ok((filter, extended, page))
}

/// Users matching the filters, in id order (stable across pages).
#[utoipa::path(get, path = "/api/v2/admin/users", tag = "admin",
    params(("extended" = Option<bool>, Query), ("uid" = Option<String>, Query), ("email" = Option<String>, Query),
           ("role" = Option<String>, Query), ("first_name" = Option<String>, Query), ("last_name" = Option<String>, Query),
           ("country" = Option<String>, Query), ("level" = Option<i32>, Query), ("state" = Option<String>, Query),
           ("range" = Option<String>, Query, description = "created (default) or updated"),
           ("from" = Option<i64>, Query), ("to" = Option<i64>, Query),
           ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "User (or UserWithProfile when extended) entities; headers Total, Per-Page, Page, Link"),
              (status = 422, description = "`admin.user.non_boolean_extended`, `.non_integer_level`, `.invalid_range`, `.non_integer_from`, `.non_integer_to`, `.non_integer_page`, `.non_positive_page`, `.non_integer_limit`, `.invalid_limit`")))]
pub async fn list_users(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let (filter, _extended, page) = directory_query(&params, &ADMIN_USER)?;
    let (users, total) = state
        .services
        .users_page(&filter, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = users.iter().map(user_json).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Users whose KYC documents wait for review, the longest-waiting first.
#[utoipa::path(get, path = "/api/v2/admin/users/documents/pending", tag = "admin",
    params(("extended" = Option<bool>, Query), ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "User (or UserWithFullInfo when extended) entities; headers Total, Per-Page, Page, Link")))]
pub async fn pending_documents(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let (filter, _extended, page) = directory_query(&params, &GENERIC)?;
    let (users, total) = state
        .services
        .pending_documents_page(&filter, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = users.iter().map(user_json).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// One user.
#[utoipa::path(get, path = "/api/v2/admin/users/{uid}", tag = "admin",
    params(("uid" = String, Path)),
    responses((status = 200, description = "UserWithFullInfo"),
              (status = 404, description = "`admin.user.doesnt_exist`")))]
pub async fn get_user(
    State(state): State<HttpState>,
    _admin: AdminUser,
    Path(uid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = state.services.user_by_uid(&uid).await?;
    Ok(Json(user_json(&user)))
}
