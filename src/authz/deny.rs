//! Every way the edge check can refuse a request, and what each means on the wire: the
//! Barong error key, the HTTP status (nginx auth_request, and Envoy's denied response)
//! and the gRPC status code in Envoy's `CheckResponse`, in one table.

/// Why a request is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DenyReason {
    /// The path matches a `block` rule.
    PermissionDenied,
    /// No or unknown session (or the API-key owner is not active, Barong's key).
    InvalidSession,
    /// The session's user is not active.
    UserNotActive,
    /// An API-key header is missing or blank.
    InvalidApiKeyHeaders,
    /// No API key with that kid.
    UnexistentApiKey,
    /// HMAC signature mismatch.
    InvalidSignature,
    /// Key state is not `active`.
    ApiKeyNotActive,
    /// The key owner has 2FA off.
    Disabled2fa,
    /// RBAC denial.
    InvalidPermission,
    /// Nonce is not a fresh millisecond timestamp, or was already used (ours).
    InvalidNonce,
    /// Cookie-authenticated write without the session's CSRF token (ours).
    InvalidCsrfToken,
    /// The path cannot be normalised (bad encoding, `..` above the root) (ours).
    InvalidPath,
    /// The API key's `expires_at` has passed (ours).
    ApiKeyExpired,
    /// The request comes from an address outside the key's allow-list (ours).
    ApiKeyIpNotAllowed,
    /// None of the key's scopes covers this method and path, or the key has no scope
    /// and scopes are required (ours).
    ApiKeyScopeDenied,
    /// `X-Auth-Signature-Version` is not 1 or 2, or below the configured minimum (ours).
    InvalidSignatureVersion,
    /// A v2-signed request whose forwarded body does not have the signed digest (ours).
    ContentDigestMismatch,
    /// Over a rate limit (per API key, or per client IP without credentials); retry
    /// after this many seconds (ours).
    RateLimited(u64),
}

/// gRPC status codes used in `CheckResponse.status`.
pub mod grpc_code {
    /// Allowed.
    pub const OK: i32 = 0;
    /// Denied for lack of valid credentials.
    pub const UNAUTHENTICATED: i32 = 16;
    /// Denied by policy.
    pub const PERMISSION_DENIED: i32 = 7;
    /// Malformed request.
    pub const INVALID_ARGUMENT: i32 = 3;
    /// Over a rate limit.
    pub const RESOURCE_EXHAUSTED: i32 = 8;
    /// We could not decide (fail closed).
    pub const UNAVAILABLE: i32 = 14;
}

impl DenyReason {
    /// `(Barong key, HTTP status, gRPC code)`.
    pub fn wire(self) -> (&'static str, u16, i32) {
        use grpc_code::*;
        match self {
            Self::PermissionDenied => ("authz.permission_denied", 401, PERMISSION_DENIED),
            Self::InvalidSession => ("authz.invalid_session", 401, UNAUTHENTICATED),
            Self::UserNotActive => ("authz.user_not_active", 401, UNAUTHENTICATED),
            Self::InvalidApiKeyHeaders => ("authz.invalid_api_key_headers", 422, INVALID_ARGUMENT),
            Self::UnexistentApiKey => ("authz.unexistent_apikey", 401, UNAUTHENTICATED),
            Self::InvalidSignature => ("authz.invalid_signature", 401, UNAUTHENTICATED),
            Self::ApiKeyNotActive => ("authz.apikey_not_active", 401, UNAUTHENTICATED),
            Self::Disabled2fa => ("authz.disabled_2fa", 401, UNAUTHENTICATED),
            Self::InvalidPermission => ("authz.invalid_permission", 401, PERMISSION_DENIED),
            Self::InvalidNonce => ("authz.invalid_nonce", 401, UNAUTHENTICATED),
            Self::InvalidCsrfToken => ("authz.invalid_csrf_token", 403, PERMISSION_DENIED),
            Self::InvalidPath => ("authz.invalid_path", 400, INVALID_ARGUMENT),
            Self::ApiKeyExpired => ("authz.apikey_expired", 401, UNAUTHENTICATED),
            Self::ApiKeyIpNotAllowed => ("authz.apikey_ip_not_allowed", 401, PERMISSION_DENIED),
            Self::ApiKeyScopeDenied => ("authz.apikey_scope_denied", 401, PERMISSION_DENIED),
            Self::InvalidSignatureVersion => {
                ("authz.invalid_signature_version", 401, UNAUTHENTICATED)
            }
            Self::ContentDigestMismatch => ("authz.content_digest_mismatch", 401, UNAUTHENTICATED),
            Self::RateLimited(_) => ("rate_limit.exceeded", 429, RESOURCE_EXHAUSTED),
        }
    }

    /// Whether the caller did not prove who it is (no, unknown or wrong credentials),
    /// as opposed to a known caller refused by policy.
    pub fn is_unauthenticated(self) -> bool {
        matches!(
            self,
            Self::InvalidSession
                | Self::InvalidApiKeyHeaders
                | Self::UnexistentApiKey
                | Self::InvalidSignature
                | Self::InvalidNonce
                | Self::InvalidSignatureVersion
                | Self::ContentDigestMismatch
        )
    }

    /// Seconds to send in `Retry-After`, for a rate-limit denial.
    pub fn retry_after(self) -> Option<u64> {
        match self {
            Self::RateLimited(secs) => Some(secs.max(1)),
            _ => None,
        }
    }

    /// Barong's error key.
    pub fn key(self) -> &'static str {
        self.wire().0
    }

    /// HTTP status.
    pub fn http_status(self) -> u16 {
        self.wire().1
    }

    /// gRPC status code.
    pub fn grpc_code(self) -> i32 {
        self.wire().2
    }

    /// The JSON body, Barong's shape.
    pub fn body(self) -> String {
        format!("{{\"errors\":[\"{}\"]}}", self.key())
    }
}

/// The body and statuses of a fail-closed answer when a dependency is down.
pub const UNAVAILABLE_KEY: &str = "authz.unavailable";
