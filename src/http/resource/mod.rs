//! `/api/v2/resource`: the signed-in user's own account (JWT from the gateway).

mod users;

use axum::Router;
use axum::routing::get;

use super::state::HttpState;

/// Routes of the resource module.
pub fn router() -> Router<HttpState> {
    Router::new().route("/users/me", get(users::get_me))
}
