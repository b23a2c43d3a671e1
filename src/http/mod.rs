//! HTTP front end (axum on hyper): the edge check for nginx/Traefik (`/api/v2/auth`),
//! the identity and resource APIs, JWKS, health, the OpenAPI document, and Barong's
//! catch-all 404. Handlers parse and validate
//! parameters, call `services`, and render results and errors in Barong's shapes.
//! Imports: `services`, `authz`, `sessions` (types only), `config`, `domain`.

mod admin;
mod auth;
pub mod client_info;
pub mod current_user;
pub mod error;
mod health;
pub mod identity;
mod jwks;
mod openapi;
pub mod pagination;
pub mod params;
mod resource;
pub mod session_cookie;
mod state;
mod telemetry;
pub mod throttle;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use axum::routing::{any, get};
use tower_http::trace::TraceLayer;

pub use crate::domain::time_format;
pub use state::{CookieSettings, HttpState, VersionInfo};

/// The whole HTTP application.
pub fn router(state: HttpState) -> Router {
    let metrics_here = state.metrics_on_main_port;
    // Requests to the management API are counted by route; the edge check, the hot
    // path, is counted once as a decision instead (`authz::observe`).
    let api = Router::new()
        .nest("/identity", identity::router())
        .nest("/resource", resource::router())
        .nest("/admin", admin::router())
        .route("/openapi.json", get(openapi::openapi_json))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            telemetry::count_requests,
        ))
        .route("/auth", any(auth::check))
        .route("/auth/{*path}", any(auth::check));
    let mut app = Router::new()
        .nest("/api/v2", api)
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready));
    if metrics_here {
        app = app.route("/metrics", get(telemetry::metrics));
    }
    app.fallback(not_found)
        .method_not_allowed_fallback(not_found)
        // A bug must still answer (500 in Barong's shape), not drop the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(serde_json::json!({ "errors": ["server.internal_error"] })),
                )
                    .into_response()
            },
        ))
        .layer(TraceLayer::new_for_http().make_span_with(telemetry::request_span))
        .with_state(state)
}

/// `/metrics` alone, for the separate listener of `metrics_addr`.
pub fn metrics_router(state: HttpState) -> Router {
    Router::new()
        .route("/metrics", get(telemetry::metrics))
        .with_state(state)
}

/// Barong's bodies for bare-status answers: the status number as JSON (`201`).
pub(crate) fn status_body(status: StatusCode) -> impl IntoResponse {
    (status, Json(status.as_u16()))
}

/// Barong answers unknown routes, and known routes with a wrong method, with this 404.
async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "error": "Route is not found" })),
    )
}
