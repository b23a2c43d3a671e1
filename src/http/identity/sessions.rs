//! Log-in (`POST /identity/sessions`) and log-out (`DELETE /identity/sessions`).

use crate::http::throttle::IdentityRateLimit;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::session_cookie;
use crate::http::state::HttpState;
use crate::services::identity::LoginInput;

/// Barong's User entity plus the session's CSRF token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Email.
    pub email: String,
    /// Public id.
    pub uid: String,
    /// Role.
    pub role: String,
    /// KYC level.
    pub level: i32,
    /// 2FA enabled.
    pub otp: bool,
    /// Account state.
    pub state: String,
    /// Echo it in `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_token: String,
}

/// Log in with `email`, `password`, optional `otp_code` and `captcha_response`; sets
/// the session cookie.
#[utoipa::path(post, path = "/api/v2/identity/sessions", tag = "identity",
    params(("email" = String, Query), ("password" = String, Query), ("otp_code" = Option<String>, Query),
           ("captcha_response" = Option<String>, Query)),
    responses((status = 201, description = "Start a new session", body = LoginResponse),
              (status = 401, description = "`identity.session.invalid_params`, `.banned`, `.discarded`, `.not_active`"),
              (status = 403, description = "`identity.session.missing_otp`, `.invalid_otp`"),
              (status = 422, description = "Validation errors, `totp.error` (code reused)"),
              (status = 429, description = "`rate_limit.exceeded` (client IP), `identity.session.too_many_attempts` (softlock); `Retry-After` set")))]
pub async fn create_session(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    Client(client): Client,
    params: Params,
) -> Result<Response, ApiError> {
    let mut v = Validator::new(&params, "identity.session");
    let email = v.present("email");
    let password = v.present("password");
    let captcha_response = v.captcha(
        "captcha_response",
        "identity.session.invalid_captcha_format",
    );
    let otp_code = v.optional("otp_code");
    v.finish()?;
    let input = LoginInput {
        email,
        password,
        captcha_response,
        otp_code,
    };
    let outcome = state.services.login(input, &client).await?;
    let user = outcome.user;
    let body = LoginResponse {
        email: user.email,
        uid: user.uid,
        role: user.role,
        level: user.level,
        otp: user.otp,
        state: user.state,
        csrf_token: outcome.session.csrf_token,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Some(cookie) = session_cookie::set(&outcome.session_id, &state.cookie) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Log out: ends the session named by the cookie (404 `record.not_found` without one).
#[utoipa::path(delete, path = "/api/v2/identity/sessions", tag = "identity",
    responses((status = 204, description = "Destroy current session"),
              (status = 404, description = "`record.not_found`")))]
pub async fn delete_session(
    State(state): State<HttpState>,
    Client(client): Client,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let session_id = session_cookie::read(&headers, &state.cookie);
    state
        .services
        .logout(session_id.as_deref(), &client)
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie::clear(&state.cookie) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
