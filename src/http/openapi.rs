//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::response::Json;
use utoipa::OpenApi;

use super::identity;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "barong",
        description = "Barong 2.2 compatible auth server: identity API"
    ),
    paths(
        identity::general::ping,
        identity::general::time,
        identity::general::version,
        identity::general::register_geetest,
        identity::users::create_user,
        identity::users::generate_email_code,
        identity::users::confirm_email_code,
        identity::users::generate_password_code,
        identity::users::confirm_password_code,
        identity::sessions::create_session,
        identity::sessions::delete_session,
    )
)]
struct ApiDoc;

/// `GET /api/v2/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
