//! `/api/v2/admin`: user management, permissions, the audit log and metrics for staff.
//! Every handler takes [`guard::AdminUser`], so a token whose role is not an admin role
//! is refused here even if the gateway's RBAC let it through (W7).

pub(crate) mod activities;
pub(crate) mod api_keys;
pub(crate) mod documents;
pub(crate) mod guard;
pub(crate) mod labels;
pub(crate) mod metrics;
pub(crate) mod permissions;
pub(crate) mod user_directory;
pub(crate) mod users;

use axum::Router;
use axum::routing::{get, post};

use super::state::HttpState;
pub(crate) use crate::http::resource::users::user_json;

/// Routes of the admin module.
pub fn router() -> Router<HttpState> {
    Router::new()
        .route(
            "/users",
            get(user_directory::list_users).put(users::put_user),
        )
        .route(
            "/users/documents/pending",
            get(user_directory::pending_documents),
        )
        .route("/users/{uid}", get(user_directory::get_user))
        .route("/users/update", post(users::post_user_update))
        .route("/users/role", post(users::post_user_role))
        .route(
            "/users/labels",
            get(labels::users_with_label)
                .post(labels::add_label)
                .put(labels::put_label)
                .delete(labels::delete_label),
        )
        .route("/users/labels/update", post(labels::post_label_update))
        .route("/users/labels/list", get(labels::label_counts))
        .route(
            "/permissions",
            get(permissions::list_permissions)
                .post(permissions::create_permission)
                .put(permissions::update_permission)
                .delete(permissions::delete_permission),
        )
        .route("/activities", get(activities::list_user_activities))
        .route("/activities/admin", get(activities::list_admin_activities))
        .route("/metrics", get(metrics::metrics))
        .route("/api_keys", axum::routing::put(api_keys::put_api_key))
        .route(
            "/users/documents/{id}/upload",
            get(documents::download_document),
        )
}
