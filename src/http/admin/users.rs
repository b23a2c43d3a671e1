//! `/admin/users` changes: state or 2FA (`PUT users`, `POST users/update`) and role
//! (`POST users/role`). Each reads only the fields it names; anything else sent is
//! ignored, never applied (W8).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::guard::AdminUser;
use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::status_body;
use crate::services::admin::users::UserAttribute;

const PREFIX: &str = "admin.user";

/// Reads `uid` and exactly one of `state`, `otp`.
fn attribute_params(params: &Params) -> Result<(String, UserAttribute), ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let uid = v.required("uid");
    let state = v.optional_non_blank("state");
    let blank_otp = params
        .0
        .get("otp")
        .is_some_and(|o| o.is_null() || o.as_str().is_some_and(|s| s.trim().is_empty()));
    let otp = if blank_otp {
        v.push_error("admin.user.empty_otp");
        None
    } else if params.0.contains_key("otp") {
        v.boolean("otp", "admin.user.non_boolean_otp")
    } else {
        None
    };
    let sent = usize::from(state.is_some()) + usize::from(params.0.contains_key("otp"));
    if sent != 1 {
        v.push_error("admin.user.one_of_state_otp");
    }
    v.finish()?;
    let attribute = match (state, otp) {
        (Some(state), None) => UserAttribute::State(state.trim().to_owned()),
        (None, Some(otp)) => UserAttribute::Otp(otp),
        _ => {
            return Err(ApiError::unprocessable(vec![
                "admin.user.one_of_state_otp".to_owned(),
            ]));
        }
    };
    Ok((uid, attribute))
}

/// Changes a user's state or switches their 2FA off.
#[utoipa::path(put, path = "/api/v2/admin/users", tag = "admin",
    params(("uid" = String, Query), ("state" = Option<String>, Query), ("otp" = Option<bool>, Query)),
    responses((status = 200, description = "Updated; body `200`"),
              (status = 404, description = "`admin.user.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_uid`, `.empty_uid`, `.empty_state`, `.empty_otp`, `.non_boolean_otp`, `.one_of_state_otp`, `.update_himself`, `.enable_2fa`, `.state_no_change`, `.otp_no_change`, `.invalid_state`")))]
pub async fn put_user(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let (uid, attribute) = attribute_params(&params)?;
    state
        .services
        .admin_update_user(&admin, &uid, attribute, &client)
        .await?;
    Ok(status_body(StatusCode::OK))
}

/// The same change as `PUT users`, answered 201 as the seed documents (Barong's code
/// answered 500 after applying the change).
#[utoipa::path(post, path = "/api/v2/admin/users/update", tag = "admin",
    params(("uid" = String, Query), ("state" = Option<String>, Query), ("otp" = Option<bool>, Query)),
    responses((status = 201, description = "Updated; body `201`"),
              (status = 404, description = "`admin.user.doesnt_exist`"),
              (status = 422, description = "As `PUT /admin/users`")))]
pub async fn post_user_update(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let (uid, attribute) = attribute_params(&params)?;
    state
        .services
        .admin_update_user(&admin, &uid, attribute, &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Gives a user a role that the permission table names.
#[utoipa::path(post, path = "/api/v2/admin/users/role", tag = "admin",
    params(("uid" = String, Query), ("role" = String, Query)),
    responses((status = 201, description = "Updated; body `201`"),
              (status = 404, description = "`admin.user.doesnt_exist`"),
              (status = 422, description = "`admin.user.missing_uid`, `.empty_uid`, `.missing_role`, `.empty_role`, `.update_himself`, `.role_no_change`, `role.doesnt exist`")))]
pub async fn post_user_role(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let uid = v.required("uid");
    let role = v.required("role");
    v.finish()?;
    state
        .services
        .admin_set_role(&admin, &uid, &role, &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}
