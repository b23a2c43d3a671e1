//! Sign-up, email confirmation and password reset.

use crate::http::throttle::IdentityRateLimit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::status_body;
use crate::domain::Lang;
use crate::http::client_info::Client;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::services::identity::SignupInput;
use crate::services::identity::password_reset::ResetInput;

const PREFIX: &str = "identity.user";

/// Sign-up: `email`, `password`, optional `refid`, `lang`, `captcha_response`.
#[utoipa::path(post, path = "/api/v2/identity/users", tag = "identity",
    params(("email" = String, Query), ("password" = String, Query), ("refid" = Option<String>, Query),
           ("lang" = Option<String>, Query), ("captcha_response" = Option<String>, Query)),
    responses((status = 201, description = "Creates new user; body `201`"),
              (status = 400, description = "Captcha required"),
              (status = 422, description = "Validation errors"),
              (status = 429, description = "`rate_limit.exceeded`: too many identity requests from this IP; `Retry-After` set")))]
pub async fn create_user(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let email = v.required("email");
    let password = v.required("password");
    let refid = v.optional("refid");
    let lang = v.optional("lang");
    let captcha_response = v.captcha("captcha_response", "identity.user.invalid_captcha_format");
    v.finish()?;
    let input = SignupInput {
        email,
        password,
        refid,
        lang: Lang::from_param(lang.as_deref()),
        captcha_response,
    };
    state.services.signup(input, &client).await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Resends the confirmation mail: `email`, optional `lang`.
#[utoipa::path(post, path = "/api/v2/identity/users/email/generate_code", tag = "identity",
    params(("email" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 201, description = "Generated verification code; body `201`"),
              (status = 422, description = "Validation errors, or `identity.user.active_or_doesnt_exist`"),
              (status = 429, description = "`rate_limit.exceeded`: too many identity requests from this IP; `Retry-After` set")))]
pub async fn generate_email_code(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let email = v.required("email");
    let lang = v.optional("lang");
    v.finish()?;
    state
        .services
        .resend_confirmation(&email, &Lang::from_param(lang.as_deref()))
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Confirms the email with the token from the mail: `token`, optional `lang`.
#[utoipa::path(post, path = "/api/v2/identity/users/email/confirm_code", tag = "identity",
    params(("token" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 201, description = "Confirms an account; body `201`"),
              (status = 403, description = "`jwt.decode_and_verify`"),
              (status = 422, description = "Validation errors, used token, or account not pending"),
              (status = 429, description = "`rate_limit.exceeded`: too many identity requests from this IP; `Retry-After` set")))]
pub async fn confirm_email_code(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let token = v.required("token");
    let lang = v.optional_non_blank("lang");
    v.finish()?;
    state
        .services
        .confirm_email(&token, &Lang::from_param(lang.as_deref()))
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Mails a password-reset link: `email`, optional `lang`.
#[utoipa::path(post, path = "/api/v2/identity/users/password/generate_code", tag = "identity",
    params(("email" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 201, description = "Generated password reset code; body `201`"),
              (status = 404, description = "`identity.password.user_doesnt_exist`"),
              (status = 422, description = "Validation errors"),
              (status = 429, description = "`rate_limit.exceeded`: too many identity requests from this IP; `Retry-After` set")))]
pub async fn generate_password_code(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let email = v.required("email");
    let lang = v.optional("lang");
    v.finish()?;
    state
        .services
        .request_password_reset(&email, &Lang::from_param(lang.as_deref()), &client)
        .await?;
    Ok(status_body(StatusCode::CREATED))
}

/// Sets a new password: `reset_password_token`, `password`, `confirm_password`.
#[utoipa::path(post, path = "/api/v2/identity/users/password/confirm_code", tag = "identity",
    params(("reset_password_token" = String, Query), ("password" = String, Query),
           ("confirm_password" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 201, description = "Resets password and ends every session; body `201`"),
              (status = 403, description = "`jwt.decode_and_verify`"),
              (status = 422, description = "Validation errors, mismatch or used token"),
              (status = 429, description = "`rate_limit.exceeded`: too many identity requests from this IP; `Retry-After` set")))]
pub async fn confirm_password_code(
    State(state): State<HttpState>,
    _limit: IdentityRateLimit,
    Client(client): Client,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let token = v.required_with("reset_password_token", "identity.user.missing_pass_token");
    let password = v.required("password");
    let confirm_password = v.required("confirm_password");
    let lang = v.optional("lang");
    v.finish()?;
    let input = ResetInput {
        token,
        password,
        confirm_password,
        lang: Lang::from_param(lang.as_deref()),
    };
    state.services.reset_password(input, &client).await?;
    Ok(status_body(StatusCode::CREATED))
}
