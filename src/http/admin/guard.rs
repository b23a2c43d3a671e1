//! `AdminUser`: the extractor every admin handler takes. The gateway's RBAC stays the
//! authority over who may call what, but Barong's admin module trusted any valid token
//! (W7), so a member reaching barong directly could call it. Here the caller's stored
//! role must be one of `BARONG_ADMIN_ROLES` and the account must be active, or the
//! answer is 401 `admin.access.denied` / `authz.user_not_active`.

use axum::extract::FromRequestParts;
use axum::http::{StatusCode, request::Parts};

use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::state::HttpState;
use crate::storage::users::User;

/// The calling admin's account row.
#[derive(Debug, Clone)]
pub struct AdminUser(pub User);

impl FromRequestParts<HttpState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let Account(user) = Account::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                if e.status == StatusCode::NOT_FOUND {
                    ApiError::new(StatusCode::UNAUTHORIZED, "admin.access.denied")
                } else {
                    e
                }
            })?;
        if !state.services.settings.admin_roles.contains(&user.role) {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "admin.access.denied",
            ));
        }
        Ok(Self(user))
    }
}
