//! `/resource/phones`: the caller's phone numbers and their SMS verification
//! (Barong's Phone entity; success bodies are Barong's `{"message": ...}`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json;
use serde_json::{Value, json};

use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::http::time_format;
use crate::storage::phones::Phone;

const PREFIX: &str = "resource.phone";

/// Barong's Phone entity: `validated_at` in the raw-record (millisecond) format.
pub(crate) fn phone_json(phone: &Phone) -> Value {
    json!({
        "country": phone.country,
        "number": phone.number,
        "validated_at": phone.validated_at.map(time_format::record),
    })
}

fn message(text: &str) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({ "message": text })))
}

/// The caller's phones, oldest first.
#[utoipa::path(get, path = "/api/v2/resource/phones", tag = "resource",
    responses((status = 200, description = "Phone entities: country, number, validated_at"),
              (status = 401, description = "`jwt.decode_and_verify`")))]
pub async fn list_phones(
    State(state): State<HttpState>,
    Account(user): Account,
) -> Result<Json<Value>, ApiError> {
    let phones = state.services.list_phones(&user).await?;
    Ok(Json(Value::Array(phones.iter().map(phone_json).collect())))
}

/// Adds `phone_number` (with its country code) and texts it a verification code.
#[utoipa::path(post, path = "/api/v2/resource/phones", tag = "resource",
    params(("phone_number" = String, Query)),
    responses((status = 201, description = "`{\"message\":\"Code was sent successfully\"}`"),
              (status = 400, description = "`resource.phone.invalid_num`, `resource.phone.number_exist`, `resource.phone.exists`"),
              (status = 422, description = "`resource.phone.missing_phone_number`, `resource.phone.empty_phone_number`"),
              (status = 429, description = "`rate_limit.exceeded`: SMS codes per user or number (`sms_min_interval`, `sms_max_per_hour`); `Retry-After` set"),
              (status = 503, description = "`resource.phone.twillio`: the SMS could not be sent (nothing stored)")))]
pub async fn create_phone(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let number = v.required("phone_number");
    v.finish()?;
    state.services.add_phone(&user, &number).await?;
    Ok(message("Code was sent successfully"))
}

/// Texts a new code to one of the caller's unverified numbers.
#[utoipa::path(post, path = "/api/v2/resource/phones/send_code", tag = "resource",
    params(("phone_number" = String, Query)),
    responses((status = 201, description = "`{\"message\":\"Code was sent successfully\"}`"),
              (status = 400, description = "`resource.phone.invalid_num`, `resource.phone.number_exist`"),
              (status = 404, description = "`record.not_found`"),
              (status = 422, description = "`resource.phone.missing_phone_number`, `resource.phone.empty_phone_number`"),
              (status = 429, description = "`resource.phone.code_throttled`: a code was sent less than `phone_code_resend_secs` ago; `rate_limit.exceeded`: SMS codes per user or number"),
              (status = 503, description = "`resource.phone.twillio`: the SMS could not be sent (the previous code stays)")))]
pub async fn send_code(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let number = v.required("phone_number");
    v.finish()?;
    state.services.resend_phone_code(&user, &number).await?;
    Ok(message("Code was sent successfully"))
}

/// Verifies a number with the texted code; sets the private label `phone: verified`
/// and recomputes the level.
#[utoipa::path(post, path = "/api/v2/resource/phones/verify", tag = "resource",
    params(("phone_number" = String, Query), ("verification_code" = String, Query)),
    responses((status = 201, description = "`{\"message\":\"Phone was verified successfully\"}`"),
              (status = 400, description = "`resource.phone.invalid_num`, `resource.phone.number_exist`, `resource.phone.code_expired`, `resource.phone.attempts_exceeded`"),
              (status = 404, description = "`resource.phone.verification_invalid`: no such phone or wrong code"),
              (status = 422, description = "`resource.phone.missing_phone_number`, `resource.phone.empty_phone_number`, `resource.phone.missing_verification_code`, `resource.phone.empty_verification_code`")))]
pub async fn verify_phone(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut v = Validator::new(&params, PREFIX);
    let number = v.required("phone_number");
    let code = v.required("verification_code");
    v.finish()?;
    state.services.verify_phone(&user, &number, &code).await?;
    Ok(message("Phone was verified successfully"))
}
