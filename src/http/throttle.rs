//! `IdentityRateLimit`: an extractor for the identity endpoints an attacker scripts
//! (sign up, log in, email and password codes). Putting it in a handler's signature
//! counts the request against its client IP (through trusted proxies) before the body
//! is even read; over the limit the handler never runs and the client gets 429
//! `rate_limit.exceeded` with `Retry-After`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::client_info::Client;
use super::error::ApiError;
use super::state::HttpState;

/// Proof that this request was under the identity limit of its client IP.
pub struct IdentityRateLimit;

impl FromRequestParts<HttpState> for IdentityRateLimit {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &HttpState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(Client(client)) = Client::from_request_parts(parts, state).await;
        state.services.throttle_identity(&client.ip).await?;
        Ok(Self)
    }
}
