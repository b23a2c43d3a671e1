//! `ApiError`: the one error type at the HTTP edge, rendered as Barong's
//! `{"errors":["key", ...]}` with the matching status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};

use crate::services::{ErrorKind, ServiceError};

/// An error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Barong error keys.
    pub keys: Vec<String>,
    /// `Retry-After` seconds (429 answers).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// One key with a status.
    pub fn new(status: StatusCode, key: &str) -> Self {
        Self {
            status,
            keys: vec![key.to_owned()],
            retry_after: None,
        }
    }

    /// A 422 with parameter-validation keys.
    pub fn unprocessable(keys: Vec<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            keys,
            retry_after: None,
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let status = match err.kind {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self {
            status,
            keys: err.keys,
            retry_after: err.retry_after,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(serde_json::json!({ "errors": self.keys })),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
