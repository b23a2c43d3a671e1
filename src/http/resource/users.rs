//! `/resource/users`: the caller's account (`me`), closing it, its activity log and
//! changing its password.

use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};

use crate::http::client_info::Client;
use crate::http::current_user::{Account, CurrentUser};
use crate::http::error::ApiError;
use crate::http::pagination::{self, GENERIC};
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::{status_body, time_format};
use crate::services::account::{CloseInput, PasswordChange};
use crate::storage::activities::Activity;

const PREFIX: &str = "resource.user";

/// Barong's User entity of the caller.
#[utoipa::path(get, path = "/api/v2/resource/users/me", tag = "resource",
    responses((status = 200, description = "User entity: email, uid, role, level, otp, state"),
              (status = 401, description = "`jwt.decode_and_verify`, `authz.user_not_active`")))]
pub async fn get_me(Account(row): Account) -> Json<Value> {
    Json(user_json(&row))
}

/// Barong's User entity (8.1): email, uid, role, level, otp, state; also the `user`,
/// `admin` and `target` of admin lists.
pub(crate) fn user_json(u: &crate::storage::users::User) -> Value {
    json!({
        "email": u.email, "uid": u.uid, "role": u.role,
        "level": u.level, "otp": u.otp, "state": u.state,
    })
}

/// Closes the caller's account: `password`, and `otp_code` when 2FA is on.
#[utoipa::path(delete, path = "/api/v2/resource/users/me", tag = "resource",
    params(("password" = String, Query), ("otp_code" = Option<String>, Query)),
    responses((status = 204, description = "Account discarded, API keys deactivated, sessions ended"),
              (status = 422, description = "Validation errors, `resource.user.invalid_password`, `.missing_otp_code`, `.invalid_otp`")))]
pub async fn delete_me(
    State(state): State<HttpState>,
    Client(client): Client,
    Account(user): Account,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let password = v.required("password");
    let otp_code = v.optional_non_blank("otp_code");
    v.finish()?;
    let input = CloseInput { password, otp_code };
    state.services.close_account(&user, input, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's activities of one topic (`all`, `session`, `otp`, `password`,
/// `account`), newest first, paginated.
#[utoipa::path(get, path = "/api/v2/resource/users/activity/{topic}", tag = "resource",
    params(("topic" = String, Path), ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, description = "Raw activity rows; headers Total, Per-Page, Page, Link"),
              (status = 422, description = "`resource.user.wrong_topic`, `resource.user.no_activity`, `invalid`, `zero.`, `1..1000.`")))]
pub async fn list_activity(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(topic): Path<String>,
    OriginalUri(uri): OriginalUri,
    params: Params,
) -> Result<Response, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let page = v.page(&GENERIC);
    v.finish()?;
    let (rows, total) = state
        .services
        .activity_page(&user, topic.trim(), page.offset(), page.limit)
        .await?;
    let rows: Vec<Value> = rows.into_iter().map(activity_json).collect();
    Ok(pagination::respond(&uri, page, total, rows))
}

/// Barong's raw activity row.
fn activity_json(a: Activity) -> Value {
    json!({
        "id": a.id, "user_id": a.user_id, "target_uid": a.target_uid,
        "category": a.category, "user_ip": a.user_ip, "user_agent": a.user_agent,
        "topic": a.topic, "action": a.action, "result": a.result, "data": a.data,
        "created_at": time_format::record(a.created_at),
    })
}

/// Changes the password: `old_password`, `new_password`, `confirm_password`; every
/// other session of the user ends.
#[utoipa::path(put, path = "/api/v2/resource/users/password", tag = "resource",
    params(("old_password" = String, Query), ("new_password" = String, Query),
           ("confirm_password" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 201, description = "Password changed; body `201`"),
              (status = 400, description = "`resource.password.prev_pass_not_correct`, `resource.password.no_change_provided`"),
              (status = 422, description = "Validation errors, `resource.password.doesnt_match`, password model keys")))]
pub async fn change_password(
    State(state): State<HttpState>,
    Client(client): Client,
    caller: CurrentUser,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let old_password = v.required("old_password");
    let new_password = v.required("new_password");
    let confirm_password = v.required("confirm_password");
    v.optional("lang");
    v.finish()?;
    let input = PasswordChange {
        old_password,
        new_password,
        confirm_password,
    };
    state
        .services
        .change_password(&user, input, caller.sid.as_deref(), &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}
