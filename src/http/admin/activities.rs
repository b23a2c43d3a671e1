//! `/admin/activities` (user category, ActivityWithUser) and `/admin/activities/admin`
//! (admin category, AdminActivity), newest first, paginated.

use axum::extract::{OriginalUri, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::guard::AdminUser;
use super::user_json;
use crate::http::error::ApiError;
use crate::http::pagination::{self, ADMIN_ACTIVITY, PageRequest};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::time_format;
use crate::services::admin::activities::{ActivityPage, ActivityQuery};
use crate::storage::activities::Activity;
use crate::storage::activity_search::ActivityFilter;

const PREFIX: &str = "admin.activity";

/// Reads the filters both lists share; `admin` adds `target_uid` and `range`.
fn query(params: &Params, admin: bool) -> Result<(ActivityQuery, PageRequest), ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let topic = v.filter("topic");
    let action = v.filter("action");
    let uid = v.filter("uid");
    let email = v.filter("email");
    let target_uid = if admin { v.filter("target_uid") } else { None };
    if admin
        && let Some(range) = v.optional("range")
        && range.trim() != "created"
    {
        v.push_error("admin.user.invalid_range");
    }
    let from = v.unix_time("from", "admin.activity.non_integer_from");
    let to = v.unix_time("to", "admin.activity.non_integer_to");
    let page = v.page(&ADMIN_ACTIVITY);
    v.finish()?;
    let filter = ActivityFilter {
        category: if admin { "admin" } else { "user" },
        topic,
        action,
        user_id: None,
        target_uid,
        from,
        to,
    };
    let query = ActivityQuery {
        filter,
        uid,
        email: email.map(|e| crate::domain::Email::lookup_key(&e)),
    };
    Ok((query, page))
}

/// An activity entity: the row's own fields, then the users it names (`user`, or
/// `admin` and `target`), then `created_at`.
fn activity_json(a: &Activity, people: Vec<(&str, Value)>) -> Value {
    let mut row = serde_json::Map::new();
    row.insert("user_ip".into(), json!(a.user_ip));
    row.insert("user_agent".into(), json!(a.user_agent));
    row.insert("topic".into(), json!(a.topic));
    row.insert("action".into(), json!(a.action));
    row.insert("result".into(), json!(a.result));
    row.insert("data".into(), json!(a.data));
    for (name, user) in people {
        row.insert(name.into(), user);
    }
    row.insert(
        "created_at".into(),
        json!(time_format::entity(a.created_at)),
    );
    Value::Object(row)
}

/// User activities with their user (ActivityWithUser).
#[utoipa::path(get, path = "/api/v2/admin/activities", tag = "admin",
    params(("topic" = Option<String>, Query), ("action" = Option<String>, Query),
           ("uid" = Option<String>, Query), ("email" = Option<String>, Query),
           ("from" = Option<i64>, Query), ("to" = Option<i64>, Query),
           ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "ActivityWithUser entities; headers Total, Per-Page, Page, Link"),
              (status = 401, description = "`admin.access.denied`"),
              (status = 422, description = "`admin.activity.non_integer_page`, `.non_positive_page`, `.non_integer_limit`, `.invalid_limit`, `.non_integer_from`, `.non_integer_to`")))]
pub async fn list_user_activities(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let (query, page) = query(&params, false)?;
    let ActivityPage {
        rows, total, users, ..
    } = state
        .services
        .activities_page(query, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|a| {
            let user = users.get(&a.user_id).map_or(Value::Null, user_json);
            activity_json(a, vec![("user", user)])
        })
        .collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Admin activities (edge audits and denials, admin API changes) with the acting admin
/// and the target user (AdminActivity).
#[utoipa::path(get, path = "/api/v2/admin/activities/admin", tag = "admin",
    params(("topic" = Option<String>, Query), ("action" = Option<String>, Query),
           ("uid" = Option<String>, Query), ("email" = Option<String>, Query),
           ("target_uid" = Option<String>, Query), ("range" = Option<String>, Query),
           ("from" = Option<i64>, Query), ("to" = Option<i64>, Query),
           ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "AdminActivity entities; headers Total, Per-Page, Page, Link"),
              (status = 401, description = "`admin.access.denied`"),
              (status = 422, description = "As `/admin/activities`, plus `admin.user.invalid_range`")))]
pub async fn list_admin_activities(
    State(state): State<HttpState>,
    _admin: AdminUser,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let (query, page) = query(&params, true)?;
    let ActivityPage {
        rows,
        total,
        users,
        targets,
    } = state
        .services
        .activities_page(query, page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|a| {
            let acting = users.get(&a.user_id).map_or(Value::Null, user_json);
            let target = a.target_uid.as_ref().and_then(|uid| targets.get(uid));
            let target = target.map_or(Value::Null, user_json);
            activity_json(a, vec![("admin", acting), ("target", target)])
        })
        .collect();
    Ok(pagination::respond(&uri, page, total, rows))
}
