//! `/api/v2/resource`: the signed-in user's own account (JWT from the gateway).

pub(crate) mod api_keys;
mod document_form;
pub(crate) mod documents;
pub(crate) mod labels;
pub(crate) mod otp;
pub(crate) mod phones;
pub(crate) mod profiles;
pub(crate) mod sessions;
pub(crate) mod users;

use axum::Router;
use axum::routing::{get, patch, post, put};

use super::state::HttpState;

/// Routes of the resource module.
pub fn router() -> Router<HttpState> {
    Router::new()
        .route("/users/me", get(users::get_me).delete(users::delete_me))
        .route("/users/activity/{topic}", get(users::list_activity))
        .route("/users/password", put(users::change_password))
        .route(
            "/sessions",
            get(sessions::list_sessions).delete(sessions::delete_other_sessions),
        )
        .route(
            "/sessions/{id}",
            axum::routing::delete(sessions::delete_session),
        )
        .route("/otp/generate_qrcode", post(otp::generate_qrcode))
        .route("/otp/enable", post(otp::enable))
        .route("/otp/verify", post(otp::verify))
        .route(
            "/api_keys",
            get(api_keys::list_api_keys).post(api_keys::create_api_key),
        )
        .route(
            "/api_keys/{kid}",
            patch(api_keys::update_api_key).delete(api_keys::delete_api_key),
        )
        .route(
            "/labels",
            get(labels::list_labels).post(labels::create_label),
        )
        .route(
            "/labels/{key}",
            get(labels::get_label)
                .patch(labels::update_label)
                .delete(labels::delete_label),
        )
        .route("/profiles/me", get(profiles::get_my_profile))
        .route("/profiles", post(profiles::create_profile))
        .route(
            "/phones",
            get(phones::list_phones).post(phones::create_phone),
        )
        .route("/phones/send_code", post(phones::send_code))
        .route("/phones/verify", post(phones::verify_phone))
        .route(
            "/documents",
            get(documents::list_documents)
                .post(documents::create_documents)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/documents/{id}/upload", get(documents::download_document))
}
