//! `ClientInfo`: who is on the other end of a request, as recorded in activities and
//! sessions: the client IP (after trusted proxies) and the `User-Agent`.

/// Client IP and user agent of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's IP address as text.
    pub ip: String,
    /// The `User-Agent` header, empty when absent.
    pub user_agent: String,
}
