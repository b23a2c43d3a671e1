//! `GET /.well-known/jwks.json`: the public keys upstream services use to verify the JWT
//! barong injects (RSA, EC P-256 or OKP Ed25519): the current key and, after
//! `barong keys rotate`, the previous one.

use axum::extract::State;
use axum::response::Json;
use serde_json::{Value, json};

use super::state::HttpState;

/// The JWKS document.
pub async fn jwks(State(state): State<HttpState>) -> Json<Value> {
    let keys: Vec<Value> = state
        .services
        .jwt
        .published()
        .iter()
        .map(|k| {
            let mut jwk = k.jwk.clone();
            jwk.insert("use".into(), json!("sig"));
            jwk.insert("alg".into(), json!(format!("{:?}", k.algorithm)));
            jwk.insert("kid".into(), json!(k.kid));
            Value::Object(jwk)
        })
        .collect();
    Json(json!({ "keys": keys }))
}
