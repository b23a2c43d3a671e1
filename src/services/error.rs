//! `ServiceError`: what went wrong, as a kind (the HTTP layer maps it to a status) and
//! Barong's error keys.

use crate::sessions::SessionError;
use crate::storage::StorageError;

/// Classes of failure, one per HTTP status the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    Unprocessable,
    /// 429: asked again too soon (phone code resend).
    TooManyRequests,
    /// 503: a dependency (database, Redis, captcha provider) did not answer.
    Unavailable,
    /// 500: a bug.
    Internal,
}

/// A failed use case: a kind and one or more Barong keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {keys:?}")]
pub struct ServiceError {
    /// Class of failure.
    pub kind: ErrorKind,
    /// Error keys, in Barong's order.
    pub keys: Vec<String>,
    /// Seconds the client should wait (429 answers; `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ServiceError {
    /// One key.
    pub fn new(kind: ErrorKind, key: &str) -> Self {
        Self {
            kind,
            keys: vec![key.to_owned()],
            retry_after: None,
        }
    }

    /// A 429 with the seconds to wait.
    pub fn too_many(key: &str, retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs.max(1)),
            ..Self::new(ErrorKind::TooManyRequests, key)
        }
    }

    /// A 422 with model validation keys.
    pub fn validation(keys: Vec<String>) -> Self {
        Self {
            kind: ErrorKind::Unprocessable,
            keys,
            retry_after: None,
        }
    }

    /// A dependency is down.
    pub fn unavailable() -> Self {
        Self::new(ErrorKind::Unavailable, "server.unavailable")
    }

    /// A bug or an impossible state; the cause is logged where it happens.
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, "server.internal_error")
    }
}

impl From<StorageError> for ServiceError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Conflict(key) => Self::validation(vec![key.to_owned()]),
            StorageError::Unavailable(e) => {
                tracing::error!(error = %e, "database error");
                Self::unavailable()
            }
        }
    }
}

impl From<SessionError> for ServiceError {
    fn from(err: SessionError) -> Self {
        tracing::error!(error = %err, "session store error");
        Self::unavailable()
    }
}
