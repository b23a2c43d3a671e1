//! The HTTP face of the edge check: `ANY /api/v2/auth/{*path}` for nginx
//! `auth_request` and Traefik `forwardAuth`. The original path and method come from
//! `X-Original-URI`/`X-Original-Method` (nginx) or `X-Forwarded-Uri`/`X-Forwarded-Method`
//! (Traefik) when present, else from the URL after `/api/v2/auth/` and the request's own
//! method. Allow: 200, empty body, `Authorization: Bearer <jwt>`. Deny: Barong's status
//! and JSON body, the key again in `X-Barong-Error` (nginx drops auth bodies) and
//! `Retry-After` on 429, never a `Set-Cookie`. Undecidable: 503 (fail closed).

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, OriginalUri, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::client_info::client_ip;
use super::state::HttpState;
use crate::authz::deny::UNAVAILABLE_KEY;
use crate::authz::{CheckRequest, Decision};

const PREFIX: &str = "/api/v2/auth";

fn first_header<'a>(headers: &'a HeaderMap, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| headers.get(*n).and_then(|v| v.to_str().ok()))
        .filter(|v| !v.is_empty())
}

/// Builds the neutral request from an auth subrequest.
fn check_request(
    state: &HttpState,
    peer: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> CheckRequest {
    let path = match first_header(headers, &["x-original-uri", "x-forwarded-uri"]) {
        Some(original) => original.to_owned(),
        None => {
            let own = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
            own.strip_prefix(PREFIX).unwrap_or(own).to_owned()
        }
    };
    let method = first_header(headers, &["x-original-method", "x-forwarded-method"])
        .map_or_else(|| method.as_str().to_owned(), str::to_owned)
        .to_uppercase();
    let mut map = HashMap::with_capacity(headers.len());
    for (name, value) in headers {
        if let Ok(v) = value.to_str() {
            map.entry(name.as_str().to_owned())
                .and_modify(|existing: &mut String| {
                    existing.push_str(if name == header::COOKIE { "; " } else { ", " });
                    existing.push_str(v);
                })
                .or_insert_with(|| v.to_owned());
        }
    }
    CheckRequest {
        method,
        path,
        host: first_header(headers, &["x-forwarded-host", "host"])
            .unwrap_or_default()
            .to_owned(),
        headers: map,
        client_ip: client_ip(peer.ip(), headers, &state.trusted_proxies).to_string(),
        body: Default::default(),
    }
}

fn json(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `ANY /api/v2/auth/{*path}`.
pub async fn check(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let req = check_request(&state, peer, &method, &uri, &headers);
    match state.authz.decide(&req, "http").await {
        Ok(Decision::Allow { headers }) => {
            let mut response = StatusCode::OK.into_response();
            for (name, value) in headers {
                if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                    response.headers_mut().insert(n, v);
                }
            }
            response
        }
        Ok(Decision::Deny(reason)) => {
            let mut response = json(
                StatusCode::from_u16(reason.http_status()).unwrap_or(StatusCode::UNAUTHORIZED),
                reason.body(),
            );
            // nginx drops the body of an auth subrequest; the key travels in a header.
            response
                .headers_mut()
                .insert("x-barong-error", HeaderValue::from_static(reason.key()));
            if let Some(secs) = reason.retry_after() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            response
        }
        Err(_) => {
            // Logged and counted by `decide`.
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{{\"errors\":[\"{UNAVAILABLE_KEY}\"]}}"),
            )
        }
    }
}
