//! `/api/v2/admin`: reviewer and operator endpoints. Every handler takes the [`Admin`]
//! extractor, so, unlike Barong (W7), a member's valid token gets 403
//! `admin.access.denied` even when barong is reached without the gateway's RBAC.
//! So far: downloading any user's KYC file for review.

pub(crate) mod documents;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::{StatusCode, request::Parts};
use axum::routing::get;

use super::current_user::CurrentUser;
use super::error::ApiError;
use super::state::HttpState;

/// Roles that may use the admin API (Barong's default RBAC gives these the admin
/// routes; `compliance` reviews KYC documents).
pub const ADMIN_ROLES: [&str; 3] = ["superadmin", "admin", "compliance"];

/// The caller, verified like [`CurrentUser`] and holding one of [`ADMIN_ROLES`] in its
/// token. Missing or bad token: 401 `jwt.decode_and_verify`; other role: 403
/// `admin.access.denied`.
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl FromRequestParts<HttpState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let caller = CurrentUser::from_request_parts(parts, state).await?;
        if caller.state != "active" || !ADMIN_ROLES.contains(&caller.role.as_str()) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "admin.access.denied"));
        }
        Ok(Self(caller))
    }
}

/// Routes of the admin module.
pub fn router() -> Router<HttpState> {
    Router::new().route(
        "/users/documents/{id}/upload",
        get(documents::download_document),
    )
}
