//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::response::Json;
use utoipa::OpenApi;

use super::{admin, identity, resource};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "barong",
        description = "Barong 2.2 compatible auth server: identity, resource and admin APIs"
    ),
    paths(
        admin::user_directory::list_users,
        admin::user_directory::pending_documents,
        admin::user_directory::get_user,
        admin::users::put_user,
        admin::users::post_user_update,
        admin::users::post_user_role,
        admin::labels::users_with_label,
        admin::labels::label_counts,
        admin::labels::add_label,
        admin::labels::put_label,
        admin::labels::post_label_update,
        admin::labels::delete_label,
        admin::permissions::list_permissions,
        admin::permissions::create_permission,
        admin::permissions::update_permission,
        admin::permissions::delete_permission,
        admin::activities::list_user_activities,
        admin::activities::list_admin_activities,
        admin::metrics::metrics,
        admin::api_keys::put_api_key,
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
        resource::users::get_me,
        resource::users::delete_me,
        resource::users::list_activity,
        resource::users::change_password,
        resource::sessions::list_sessions,
        resource::sessions::delete_session,
        resource::sessions::delete_other_sessions,
        resource::otp::generate_qrcode,
        resource::otp::enable,
        resource::otp::verify,
        resource::api_keys::list_api_keys,
        resource::api_keys::create_api_key,
        resource::api_keys::update_api_key,
        resource::api_keys::delete_api_key,
        resource::labels::list_labels,
        resource::labels::get_label,
        resource::labels::create_label,
        resource::labels::update_label,
        resource::labels::delete_label,
        resource::profiles::get_my_profile,
        resource::profiles::create_profile,
        resource::phones::list_phones,
        resource::phones::create_phone,
        resource::phones::send_code,
        resource::phones::verify_phone,
        resource::documents::list_documents,
        resource::documents::create_documents,
        resource::documents::download_document,
        admin::documents::download_document,
    )
)]
struct ApiDoc;

/// `GET /api/v2/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
