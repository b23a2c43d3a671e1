//! The client behind a request: its IP (the peer, or the right-most untrusted hop of
//! `X-Forwarded-For` when the peer is a trusted proxy, so a client cannot forge its IP
//! by sending the header itself) and its user agent.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{HeaderMap, header, request::Parts};
use ipnet::IpNet;

use super::state::HttpState;
use crate::domain::ClientInfo;

/// Extractor wrapping [`ClientInfo`].
pub struct Client(pub ClientInfo);

impl FromRequestParts<HttpState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let ip = client_ip(peer, &parts.headers, &state.trusted_proxies);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Self(ClientInfo {
            ip: ip.to_string(),
            user_agent,
        }))
    }
}

/// Resolves the client IP of an HTTP request through trusted proxies.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let values = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    crate::domain::client_ip::resolve(peer, values, trusted)
}
