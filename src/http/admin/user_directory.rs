//! `GET /admin/users`, `GET /admin/users/documents/pending` and `GET /admin/users/{uid}`:
//! reading users with Barong's filters, pagination and entities.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{Json, Response};
use serde_json::{Map, Value, json};

use super::guard::AdminUser;
use super::user_json;
use crate::http::error::ApiError;
use crate::http::pagination::{self, ADMIN_USER, GENERIC, PageKeys, PageRequest};
use crate::http::params::{Params, Validator};
use crate::http::resource::documents::{document_json, original_paths};
use crate::http::resource::{labels::label_json, phones::phone_json, profiles::profile_json};
use crate::http::state::HttpState;
use crate::http::time_format;
use crate::services::admin::user_directory::UserFullInfo;
use crate::storage::profiles::Profile;
use crate::storage::user_search::{Range, UserFilter};
use crate::storage::users::User;

const PREFIX: &str = "admin.user";

/// The User entity followed by `extra` fields and the timestamps (Barong's
/// UserWithProfile and UserWithFullInfo share this layout).
fn user_with(user: &User, extra: Vec<(&str, Value)>) -> Value {
    let mut row: Map<String, Value> = match user_json(user) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for (name, value) in extra {
        row.insert(name.to_owned(), value);
    }
    row.insert(
        "created_at".into(),
        json!(time_format::entity(user.created_at)),
    );
    row.insert(
        "updated_at".into(),
        json!(time_format::entity(user.updated_at)),
    );
    Value::Object(row)
}

/// Barong's UserWithProfile.
fn with_profile(user: &User, profile: Option<&Profile>) -> Value {
    user_with(
        user,
        vec![("profile", profile.map_or(Value::Null, profile_json))],
    )
}

/// Where staff download a user's KYC files: the admin download route under the public
/// prefix the request came through (`/api/v2/barong/...` behind a gateway that rewrote
/// it, as its original-path header shows; `/api/v2/...` when called directly).
fn documents_base(headers: &HeaderMap, uri: &Uri) -> String {
    let own = uri.path();
    let suffix = own.strip_prefix("/api/v2").unwrap_or(own);
    let prefix = original_paths(headers)
        .find_map(|original| original.strip_suffix(suffix))
        .filter(|p| {
            p.starts_with("/api/")
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_'))
        })
        .unwrap_or("/api/v2");
    format!("{prefix}/admin/users/documents")
}

/// Barong's UserWithFullInfo; document URLs point at the admin download route.
fn full_info_json(info: &UserFullInfo, documents_base: &str) -> Value {
    let profile = info.profile.as_ref().map_or(Value::Null, profile_json);
    let labels: Vec<Value> = info.labels.iter().map(label_json).collect();
    let phones: Vec<Value> = info.phones.iter().map(phone_json).collect();
    let documents: Vec<Value> = info
        .documents
        .iter()
        .map(|d| document_json(d, documents_base))
        .collect();
    user_with(
        &info.user,
        vec![
            ("profile", profile),
            ("labels", Value::Array(labels)),
            ("phones", Value::Array(phones)),
            ("documents", Value::Array(documents)),
        ],
    )
}

/// Reads the shared filters, `extended`, and the page.
fn directory_query(
    params: &Params,
    keys: &PageKeys,
) -> Result<(UserFilter, bool, PageRequest), ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let extended = v
        .boolean("extended", "admin.user.non_boolean_extended")
        .unwrap_or(false);
    let uid = v.filter("uid");
    let email = v
        .filter("email")
        .map(|e| crate::domain::Email::lookup_key(&e));
    let role = v.filter("role");
    let first_name = v.filter("first_name");
    let last_name = v.filter("last_name");
    let country = v.filter("country");
    // A number filter: blank is not "no filter" but a bad number (like `from`, `to`).
    let level = v.optional("level").and_then(|raw| {
        raw.trim().parse::<i32>().map_or_else(
            |_| {
                v.push_error("admin.user.non_integer_level");
                None
            },
            Some,
        )
    });
    let state = v.filter("state");
    let range = match v.filter("range").as_deref() {
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
    let (filter, extended, page) = directory_query(&params, &ADMIN_USER)?;
    let (users, total) = state
        .services
        .users_page(&filter, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = if extended {
        let profiles = state.services.profiles_of(&users).await?;
        users
            .iter()
            .map(|u| with_profile(u, profiles.get(&u.id)))
            .collect()
    } else {
        users.iter().map(user_json).collect()
    };
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Users whose KYC documents wait for review, the longest-waiting first.
#[utoipa::path(get, path = "/api/v2/admin/users/documents/pending", tag = "admin",
    params(("extended" = Option<bool>, Query), ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "User (or UserWithFullInfo when extended) entities; headers Total, Per-Page, Page, Link"),
              (status = 422, description = "As `GET /admin/users` (`.non_boolean_extended`, `.non_integer_level`, `invalid`, `zero.`, `1..1000.`, ...)")))]
pub async fn pending_documents(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, ApiError> {
    let (filter, extended, page) = directory_query(&params, &GENERIC)?;
    let (users, total) = state
        .services
        .pending_documents_page(&filter, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = if extended {
        let infos = state.services.full_info_of(users).await?;
        let base = documents_base(&headers, &uri);
        infos.iter().map(|i| full_info_json(i, &base)).collect()
    } else {
        users.iter().map(user_json).collect()
    };
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
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let info = state.services.user_full_info(&uid).await?;
    Ok(Json(full_info_json(&info, &documents_base(&headers, &uri))))
}
