//! `GET /.well-known/jwks.json`: the public keys upstream services use to verify the JWT
//! barong injects: the current key and, after `barong keys rotate`, the previous one.

use axum::extract::State;
use axum::response::Json;
use base64::Engine;
use serde_json::{Value, json};

use super::state::HttpState;

/// The JWKS document.
pub async fn jwks(State(state): State<HttpState>) -> Json<Value> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let keys: Vec<Value> = state
        .services
        .jwt
        .published()
        .iter()
        .map(|k| {
            json!({
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": k.kid,
                "n": b64.encode(&k.modulus),
                "e": b64.encode(&k.exponent),
            })
        })
        .collect();
    Json(json!({ "keys": keys }))
}
