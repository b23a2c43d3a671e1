//! `/resource/otp`: 2FA set-up (QR code, enable with recovery codes, verify).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::json;

use crate::http::client_info::Client;
use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;

const PREFIX: &str = "resource.otp";

/// A new TOTP secret: `{"data":{"barcode":<base64 PNG>,"url":"otpauth://..."}}`.
#[utoipa::path(post, path = "/api/v2/resource/otp/generate_qrcode", tag = "resource",
    responses((status = 201, description = "QR code (base64 PNG) and otpauth URL"),
              (status = 400, description = "`resource.otp.already_enabled`")))]
pub async fn generate_qrcode(
    State(state): State<HttpState>,
    Client(client): Client,
    Account(user): Account,
) -> Result<impl IntoResponse, ApiError> {
    let enrolment = state.services.generate_otp_secret(&user, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": { "barcode": enrolment.barcode, "url": enrolment.url } })),
    ))
}

fn code_param(params: &Params) -> Result<String, ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let code = v.required("code");
    v.finish()?;
    Ok(code)
}

/// Turns 2FA on with a `code` of the new secret; answers the ten recovery codes, once.
#[utoipa::path(post, path = "/api/v2/resource/otp/enable", tag = "resource",
    params(("code" = String, Query)),
    responses((status = 201, description = "`{\"recovery_codes\":[...]}`: ten single-use codes"),
              (status = 400, description = "`resource.otp.already_enabled`"),
              (status = 422, description = "`resource.otp.missing_code`, `.empty_code`, `.invalid`")))]
pub async fn enable(
    State(state): State<HttpState>,
    Client(client): Client,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let code = code_param(&params)?;
    let codes = state.services.enable_otp(&user, &code, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "recovery_codes": codes })),
    ))
}

/// Checks a `code` of a user with 2FA on.
#[utoipa::path(post, path = "/api/v2/resource/otp/verify", tag = "resource",
    params(("code" = String, Query)),
    responses((status = 201, description = "Valid code; body `null`"),
              (status = 400, description = "`resource.otp.not_enabled`"),
              (status = 422, description = "`resource.otp.missing_code`, `.empty_code`, `.invalid`")))]
pub async fn verify(
    State(state): State<HttpState>,
    Client(client): Client,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let code = code_param(&params)?;
    state.services.verify_otp(&user, &code, &client).await?;
    Ok((StatusCode::CREATED, Json(serde_json::Value::Null)))
}
