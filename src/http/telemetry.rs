//! HTTP observability: a span per request joined to the caller's trace (`traceparent`),
//! request counts and latency by route template, and the `/metrics` endpoint (on the
//! HTTP port, or alone on `metrics_addr`).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::HttpState;
use crate::observability::trace_context::{self, HeaderSource};

impl HeaderSource for HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The span of one request, child of the caller's trace when it sent `traceparent`.
pub fn request_span(req: &Request) -> tracing::Span {
    let span = tracing::info_span!(
        "http.request",
        otel.kind = "server",
        http.method = %req.method(),
        http.path = %req.uri().path(),
    );
    trace_context::adopt_parent(&span, req.headers());
    span
}

/// Counts the request under its route template (`/api/v2/resource/users/me`), never
/// the raw path, so ids do not explode the series.
pub async fn count_requests(State(state): State<HttpState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics.http_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// `GET /metrics`: the Prometheus text exposition (OpenMetrics).
pub async fn metrics(State(state): State<HttpState>) -> Response {
    state.services.refresh_gauges(&state.metrics).await;
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}
