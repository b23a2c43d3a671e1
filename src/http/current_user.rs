//! `CurrentUser`: the extractor resource and admin handlers take. It is built only from
//! the JWT the gateway injected, verified exactly as upstream services verify it
//! (algorithm pinned to our key, `exp` required, `sub` = `session`, `iss` = `barong`, `aud` contains
//! `barong`), so these routes are reachable only through the gateway or with a valid
//! token. Failure: 401 `jwt.decode_and_verify`.

use axum::extract::FromRequestParts;
use axum::http::{StatusCode, header, request::Parts};
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use super::error::ApiError;
use super::state::HttpState;

/// The caller, as the verified token says.
#[derive(Debug, Clone, Deserialize)]
pub struct CurrentUser {
    /// uid.
    pub uid: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: String,
    /// Level.
    pub level: i32,
    /// State at the time the token was minted.
    pub state: String,
    /// Public handle of the session behind a cookie log-in (none for API keys).
    #[serde(default)]
    pub sid: Option<String>,
}

fn rejected() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "jwt.decode_and_verify")
}

impl FromRequestParts<HttpState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(verified) = parts.extensions.get::<CurrentUser>() {
            return Ok(verified.clone());
        }
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(rejected)?;
        let token = value.strip_prefix("Bearer ").ok_or_else(rejected)?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.sub = Some("session".to_owned());
        validation.set_issuer(&["barong"]);
        validation.set_audience(&["barong"]);
        let verified = state
            .services
            .jwt
            .verify::<CurrentUser>(token.trim(), &validation)
            .map_err(|_| rejected())?;
        // Kept for other extractors of the same request, so the token is verified once.
        parts.extensions.insert(verified.clone());
        Ok(verified)
    }
}

/// The caller's account row, for handlers that read or change it: the verified token
/// (as [`CurrentUser`]) plus the stored user. Unknown uid: 404 `record.not_found`
/// (Barong's answer). Unlike Barong (W16), a user who is no longer `active` (banned,
/// discarded, ...) is refused with 401 `authz.user_not_active` even while a token
/// minted before the change is still within its lifetime.
#[derive(Debug, Clone)]
pub struct Account(pub crate::storage::users::User);

impl FromRequestParts<HttpState> for Account {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let caller = CurrentUser::from_request_parts(parts, state).await?;
        let user = crate::storage::users::find_by_uid(state.services.db.conn(), &caller.uid)
            .await
            .map_err(crate::services::ServiceError::from)?
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "record.not_found"))?;
        if user.state != "active" {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "authz.user_not_active",
            ));
        }
        Ok(Self(user))
    }
}
