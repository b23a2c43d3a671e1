//! The API-key branch of the edge check, in Barong's order (headers, key, signature,
//! nonce, key state, owner, 2FA) with what we added in between: the signature version
//! (v2 covers method, path and body), the body digest, expiry, the IP allow-list and,
//! last, the key's scopes (a key may do only what its owner's role AND its scopes allow).

use std::sync::Arc;
use std::time::Duration;

use super::api_key;
use super::path::NormalPath;
use super::signature_v2::{self, CONTENT_DIGEST_HEADER, VERSION_HEADER};
use super::snapshot::{KeySnapshot, UserSnapshot};
use super::{Authorizer, CheckRequest, DenyReason, ForwardedBody, Unavailable, unavailable};
use crate::sessions::{Admission, Limit, Verdict};

/// The key a request was made with, and how it was signed (claims of the upstream JWT).
#[derive(Debug, Clone)]
pub struct KeyUse {
    /// The key.
    pub key: Arc<KeySnapshot>,
    /// Signature version, 1 or 2.
    pub signature_version: u8,
}

/// Whether the body the gateway forwarded (if it did) has the digest the client signed.
fn body_matches(req: &CheckRequest, digest: &str) -> bool {
    match &req.body {
        ForwardedBody::NotForwarded => true,
        ForwardedBody::Partial => false,
        ForwardedBody::Full(body) => crate::crypto::constant_time_eq(
            signature_v2::body_digest(body).as_bytes(),
            digest.as_bytes(),
        ),
    }
}

impl Authorizer {
    /// The key's owner and the key, or why the request is refused.
    pub(super) async fn api_key_user(
        &self,
        req: &CheckRequest,
        path: &NormalPath,
    ) -> Result<Result<(Arc<UserSnapshot>, KeyUse), DenyReason>, Unavailable> {
        let value = |h: &str| req.header(h).map(str::trim).filter(|v| !v.is_empty());
        let (Some(kid), Some(nonce), Some(signature)) = (
            value("x-auth-apikey"),
            value("x-auth-nonce"),
            value("x-auth-signature"),
        ) else {
            return Ok(Err(DenyReason::InvalidApiKeyHeaders));
        };
        let settings = &self.inner.settings;
        let Some(version) = signature_v2::requested_version(req.header(VERSION_HEADER))
            .filter(|v| *v >= settings.apikey_min_version)
        else {
            return Ok(Err(DenyReason::InvalidSignatureVersion));
        };
        let digest = value(CONTENT_DIGEST_HEADER);
        if version == 2 && !digest.is_some_and(signature_v2::digest_well_formed) {
            return Ok(Err(DenyReason::InvalidApiKeyHeaders));
        }
        let Some(key) = self.key(kid).await? else {
            return Ok(Err(DenyReason::UnexistentApiKey));
        };
        let expected = match (version, digest) {
            (2, Some(digest)) => signature_v2::sign(
                &key.algorithm,
                &key.secret,
                nonce,
                kid,
                &req.method,
                &req.path,
                digest,
            ),
            _ => api_key::sign(&key.algorithm, &key.secret, nonce, kid),
        };
        if !api_key::same_signature(expected, signature) {
            return Ok(Err(DenyReason::InvalidSignature));
        }
        if version == 2 && !digest.is_some_and(|d| body_matches(req, d)) {
            return Ok(Err(DenyReason::ContentDigestMismatch));
        }
        let window = settings.nonce_window_ms;
        let now_ms = chrono::Utc::now().timestamp_millis();
        if !api_key::nonce_fresh(nonce, now_ms, window) {
            return Ok(Err(DenyReason::InvalidNonce));
        }
        // The nonce is spent and the key's rate counted in one Redis round trip.
        let ttl = Duration::from_millis(u64::try_from(window * 2).unwrap_or(10_000));
        let rate = key.rate_limit_per_sec.unwrap_or(settings.apikey_per_sec);
        let limit = Limit::new(rate.saturating_mul(2), Duration::from_secs(2));
        let admission = self
            .inner
            .nonces
            .admit(
                kid,
                nonce,
                ttl,
                &self.inner.limiter,
                &format!("apikey:{kid}"),
                limit,
            )
            .await
            .map_err(unavailable)?;
        match admission {
            Admission::Replayed => return Ok(Err(DenyReason::InvalidNonce)),
            Admission::Judged(Verdict::Limited { retry_after_secs }) => {
                return Ok(Err(DenyReason::RateLimited(retry_after_secs)));
            }
            Admission::Judged(Verdict::Allowed) => {}
        }
        if key.state != "active" {
            return Ok(Err(DenyReason::ApiKeyNotActive));
        }
        if key
            .expires_at
            .is_some_and(|at| at <= chrono::Utc::now().naive_utc())
        {
            return Ok(Err(DenyReason::ApiKeyExpired));
        }
        if !crate::domain::api_key_limits::allows(&key.allowed_ips, &req.client_ip) {
            return Ok(Err(DenyReason::ApiKeyIpNotAllowed));
        }
        let Some(owner) = self.user(&key.owner_uid).await? else {
            return Ok(Err(DenyReason::InvalidSession));
        };
        if owner.state != "active" {
            return Ok(Err(DenyReason::InvalidSession));
        }
        if !owner.otp {
            return Ok(Err(DenyReason::Disabled2fa));
        }
        let scoped = if key.scopes.is_empty() {
            !settings.apikey_require_scope
        } else {
            let rules = self.inner.rules.get();
            rules.scopes().allows(&key.scopes, &req.method, path)
        };
        if !scoped {
            return Ok(Err(DenyReason::ApiKeyScopeDenied));
        }
        Ok(Ok((
            owner,
            KeyUse {
                key,
                signature_version: version,
            },
        )))
    }
}
