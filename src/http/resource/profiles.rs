//! `/resource/profiles`: the caller's KYC profile (Barong's Profile entity), read or
//! submitted once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::{Map, Value, json};

use crate::domain::profile::{ProfileDraft, parse_dob};
use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::params::{Params, Validator};
use crate::http::state::HttpState;
use crate::storage::profiles::Profile;

const PREFIX: &str = "resource.profile";

/// Barong's Profile entity: names, `dob` as `YYYY-MM-DD`, address, postcode, city,
/// country, `metadata` (object or null).
pub(crate) fn profile_json(p: &Profile) -> Value {
    let metadata = p
        .metadata
        .as_deref()
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
        .unwrap_or(Value::Null);
    json!({
        "first_name": p.first_name, "last_name": p.last_name,
        "dob": p.dob.map(|d| d.format("%Y-%m-%d").to_string()),
        "address": p.address, "postcode": p.postcode, "city": p.city,
        "country": p.country, "metadata": metadata,
    })
}

/// Keys of a validator, or none.
fn keys_of(v: Validator<'_>) -> Vec<String> {
    v.finish().err().map(|e| e.keys).unwrap_or_default()
}

/// `metadata`: a JSON object, or (form bodies) a string holding one; absent, null or
/// blank means none. Anything else is `resource.profile.invalid_metadata`.
fn metadata_param(params: &Params) -> Result<Option<Map<String, Value>>, ()> {
    match params.0.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map.clone())),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => Ok(Some(map)),
            _ => Err(()),
        },
        Some(_) => Err(()),
    }
}

/// Parameters of `POST profiles`, with Barong's keys: every field required
/// (`missing_<name>`, blank passes to the model rules), `dob` as `YYYY-MM-DD`.
fn draft_from(params: &Params) -> Result<ProfileDraft, ApiError> {
    let mut v = Validator::new(params, PREFIX);
    let first_name = v.present("first_name");
    let last_name = v.present("last_name");
    let dob_raw = v.present("dob");
    let mut errors = keys_of(v);
    let dob = parse_dob(&dob_raw);
    if dob.is_none() && !dob_raw.trim().is_empty() {
        errors.push(format!("{PREFIX}.invalid_dob"));
    }
    let mut v = Validator::new(params, PREFIX);
    let address = v.present("address");
    let postcode = v.present("postcode");
    let city = v.present("city");
    let country = v.present("country");
    errors.extend(keys_of(v));
    let metadata = metadata_param(params).unwrap_or_else(|()| {
        errors.push(format!("{PREFIX}.invalid_metadata"));
        None
    });
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(errors));
    }
    Ok(ProfileDraft {
        first_name,
        last_name,
        dob,
        address,
        postcode,
        city,
        country,
        metadata,
    })
}

/// The caller's profile.
#[utoipa::path(get, path = "/api/v2/resource/profiles/me", tag = "resource",
    responses((status = 200, description = "Profile entity"),
              (status = 404, description = "`resource.profile.not_exist`")))]
pub async fn get_my_profile(
    State(state): State<HttpState>,
    Account(user): Account,
) -> Result<Json<Value>, ApiError> {
    let profile = state.services.my_profile(&user).await?;
    Ok(Json(profile_json(&profile)))
}

/// Submits the caller's profile (once); sets the private label `profile` and
/// recomputes the level.
#[utoipa::path(post, path = "/api/v2/resource/profiles", tag = "resource",
    params(("first_name" = String, Query), ("last_name" = String, Query),
           ("dob" = String, Query, description = "YYYY-MM-DD, in the past"),
           ("address" = String, Query), ("postcode" = String, Query), ("city" = String, Query),
           ("country" = String, Query, description = "ISO 3166-1 alpha-2 or alpha-3"),
           ("metadata" = Option<Object>, Query, description = "JSON object, at most 16 KiB")),
    responses((status = 201, description = "Profile entity"),
              (status = 409, description = "`resource.profile.exist`"),
              (status = 422, description = "`resource.profile.missing_<field>`, `.invalid_dob`, `.invalid_metadata`, `<field>.blank`, `<field>.too_short`, `<field>.too_long`, `<field>.invalid`, `dob.invalid`, `country.must have alpha2 or alpha3 format`, `metadata.too_long`")))]
pub async fn create_profile(
    State(state): State<HttpState>,
    Account(user): Account,
    params: Params,
) -> Result<impl IntoResponse, ApiError> {
    let draft = draft_from(&params)?;
    let (profile, _level) = state.services.create_profile(&user, draft).await?;
    Ok((StatusCode::CREATED, Json(profile_json(&profile))))
}
