//! The transport-neutral request both adapters build, and the decision they translate.

use std::collections::HashMap;

use super::deny::DenyReason;

/// What the gateway tells us about the client's request.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// HTTP method, upper-case.
    pub method: String,
    /// Original path (may carry a query string).
    pub path: String,
    /// Host header.
    pub host: String,
    /// Request headers, lower-case names.
    pub headers: HashMap<String, String>,
    /// Client IP (after trusted proxies).
    pub client_ip: String,
    /// What the gateway told us of the request body (v2 signatures are checked
    /// against it when it is all here).
    pub body: ForwardedBody,
}

/// The request body as far as the gateway forwarded it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ForwardedBody {
    /// Not forwarded (nginx `auth_request` never does; Envoy without `with_request_body`).
    #[default]
    NotForwarded,
    /// Cut at the gateway's limit (`allow_partial_message`): it cannot be checked, so a
    /// v2 signature over it is refused.
    Partial,
    /// The whole body.
    Full(bytes::Bytes),
}

impl CheckRequest {
    /// A header value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// A cookie value by name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.header("cookie")?;
        cookie::Cookie::split_parse(header)
            .filter_map(Result::ok)
            .find(|c| c.name() == name)
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The query string's value for `name`, if any.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.path.split_once('?')?.1;
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Let the request through, adding these headers (`authorization` with the JWT, or
    /// none on `pass` routes). The client's own `Authorization` is always removed.
    Allow {
        /// Headers to set upstream.
        headers: Vec<(String, String)>,
    },
    /// Refuse.
    Deny(DenyReason),
}

/// We could not decide (database, Redis or key store unavailable): adapters answer
/// 503 / gRPC UNAVAILABLE and never let the request through.
#[derive(Debug, Clone, thiserror::Error)]
#[error("authz dependency unavailable: {0}")]
pub struct Unavailable(pub String);
