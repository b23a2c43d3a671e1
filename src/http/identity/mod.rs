//! `/api/v2/identity`: unauthenticated endpoints (behind the gateway's `pass` rule).

pub(crate) mod general;
pub(crate) mod sessions;
pub(crate) mod users;

use axum::Router;
use axum::routing::{get, post};

use super::state::HttpState;

pub use general::{TimeResponse, VersionResponse};
pub use sessions::LoginResponse;

/// Routes of the identity module.
pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/ping", get(general::ping))
        .route("/time", get(general::time))
        .route("/version", get(general::version))
        .route("/users/register_geetest", get(general::register_geetest))
        .route("/users", post(users::create_user))
        .route(
            "/users/email/generate_code",
            post(users::generate_email_code),
        )
        .route("/users/email/confirm_code", post(users::confirm_email_code))
        .route(
            "/users/password/generate_code",
            post(users::generate_password_code),
        )
        .route(
            "/users/password/confirm_code",
            post(users::confirm_password_code),
        )
        .route(
            "/sessions",
            post(sessions::create_session).delete(sessions::delete_session),
        )
}

pub(crate) use super::status_body;
