//! Email-confirmation and password-reset tokens: RS256 JWTs with Barong's claim layout
//! (`iat`, `exp`, `sub`, `iss`, `aud`, `jti`, `email`, `uid`). Spending one records its
//! `jti` in the database, so it is single-use across restarts and replicas (W15).

use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};

use crate::crypto::jwt::JwtKeys;
use crate::crypto::random;
use crate::storage::{self, Conn, StorageError};

/// What a token is for (its `sub`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Email confirmation.
    Confirmation,
    /// Password reset.
    Reset,
}

impl Purpose {
    fn sub(self) -> &'static str {
        match self {
            Self::Confirmation => "confirmation",
            Self::Reset => "reset",
        }
    }
}

/// The claims of a one-time token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expiry (unix seconds).
    pub exp: i64,
    /// Purpose.
    pub sub: String,
    /// Always `barong`.
    pub iss: String,
    /// `["peatio","barong"]`.
    pub aud: Vec<String>,
    /// Unique id, spent on use.
    pub jti: String,
    /// The account's email.
    pub email: String,
    /// The account's uid.
    pub uid: String,
}

/// Mints a token for `email`/`uid` valid `ttl_secs`.
pub fn mint(
    keys: &JwtKeys,
    purpose: Purpose,
    email: &str,
    uid: &str,
    ttl_secs: u64,
) -> Result<String, crate::crypto::jwt::JwtError> {
    let iat = chrono::Utc::now().timestamp();
    let claims = Claims {
        iat,
        exp: iat + i64::try_from(ttl_secs).unwrap_or(i64::MAX / 2),
        sub: purpose.sub().to_owned(),
        iss: "barong".to_owned(),
        aud: vec!["peatio".to_owned(), "barong".to_owned()],
        jti: random::hex_token(10),
        email: email.to_owned(),
        uid: uid.to_owned(),
    };
    keys.sign(&claims)
}

/// Verifies signature, purpose, issuer, audience and expiry; `None` on any failure.
pub fn verify(keys: &JwtKeys, purpose: Purpose, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.set_issuer(&["barong"]);
    validation.set_audience(&["peatio", "barong"]);
    validation.sub = Some(purpose.sub().to_owned());
    validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
    let claims: Claims = keys.verify(token, &validation).ok()?;
    (!claims.jti.trim().is_empty() && claims.iat <= chrono::Utc::now().timestamp() + 5)
        .then_some(claims)
}

/// Spends the token; false if it was spent before.
pub async fn spend(conn: &impl Conn, claims: &Claims) -> Result<bool, StorageError> {
    let expires = chrono::DateTime::from_timestamp(claims.exp, 0)
        .unwrap_or_default()
        .naive_utc();
    storage::utilized_tokens::spend(conn, &claims.jti, expires).await
}

/// Whether the token was already spent (checked before expensive work).
pub async fn is_spent(conn: &impl Conn, claims: &Claims) -> Result<bool, StorageError> {
    storage::utilized_tokens::is_spent(conn, &claims.jti).await
}
