//! API keys exchanges can trust (issue 8): scopes enforced at the edge (a `read` key
//! cannot trade), the scope table from the rules file, `BARONG_APIKEY_REQUIRE_SCOPE`,
//! signed requests v2 (method, path, query and body covered) and the key's limits as
//! claims of the upstream JWT. Every case runs through both adapters.

use barong::authz::signature_v2::{self, EMPTY_BODY_DIGEST};
use serde_json::json;

use crate::authz_parity::{Outcome, Probe, nonce, signed, verify_with_jwks, via_grpc, via_http};
use crate::helpers::TestApp;

const ORDERS: &str = "/api/v2/peatio/market/orders";

const BOT: &str = "bot@barong.test";

/// The member who owns the keys, with 2FA on.
async fn owner(app: &TestApp) {
    app.register_confirmed(BOT).await;
    app.enable_2fa(BOT).await;
}

/// A key of the owner with this scope list (Barong's JSON column).
async fn key_with_scope(app: &TestApp, email: &str, kid: &str, scope: &[&str]) -> (String, String) {
    let user = app.user(email).await;
    let secret = barong::crypto::random::hex_token(16);
    let new = barong::storage::apikeys::NewApiKey {
        user_id: user.id,
        kid: kid.to_owned(),
        algorithm: "HS256".to_owned(),
        scope: json!(scope).to_string(),
        secret_encrypted: app.services.secrets.seal(secret.as_bytes()).unwrap(),
        allowed_ips: None,
        expires_at: None,
    };
    barong::storage::apikeys::insert(app.services.db.conn(), new)
        .await
        .unwrap();
    (kid.to_owned(), secret)
}

/// Both adapters' outcomes for a fresh v1 signature of `method path`.
async fn both(
    app: &TestApp,
    key: &(String, String),
    method: &'static str,
    path: &str,
) -> [Outcome; 2] {
    let http = via_http(app, &signed(Probe::new(method, path), key, &nonce())).await;
    let grpc = via_grpc(app, &signed(Probe::new(method, path), key, &nonce())).await;
    [http, grpc]
}

fn allowed(outcomes: &[Outcome; 2]) -> bool {
    outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Allow(Some(_))))
}

fn denied(key: &str) -> [Outcome; 2] {
    let d = Outcome::Deny(401, key.to_owned());
    [d.clone(), d]
}

/// A v2-signed probe: the signature over `signed_*`, the request as `method path body`.
fn v2(
    (kid, secret): &(String, String),
    signed_method: &str,
    signed_path: &str,
    signed_body: &[u8],
    method: &'static str,
    path: &str,
) -> Probe {
    let nonce = nonce();
    let digest = signature_v2::body_digest(signed_body);
    let sig = signature_v2::sign(
        "HS256",
        secret,
        &nonce,
        kid,
        signed_method,
        signed_path,
        &digest,
    )
    .unwrap();
    Probe::new(method, path)
        .header("X-Auth-Apikey", kid)
        .header("X-Auth-Nonce", &nonce)
        .header("X-Auth-Signature", &sig)
        .header("X-Auth-Signature-Version", "2")
        .header("X-Auth-Content-SHA256", &digest)
}

#[tokio::test]
async fn a_read_key_cannot_trade_and_a_trade_key_can() {
    for app in TestApp::each_backend().await {
        owner(&app).await;
        let read = key_with_scope(&app, "bot@barong.test", "5c0be0000000read", &["read"]).await;
        let trade = key_with_scope(&app, "bot@barong.test", "5c0be000000trade", &["trade"]).await;
        let none = key_with_scope(&app, "bot@barong.test", "5c0be0000000none", &[]).await;
        // 2FA was switched on a moment ago: let the edge's user cache follow.
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let label = &app.label;
        assert!(
            allowed(&both(&app, &read, "GET", ORDERS).await),
            "[{label}] read GET"
        );
        assert_eq!(
            both(&app, &read, "POST", ORDERS).await,
            denied("authz.apikey_scope_denied"),
            "[{label}] read POST"
        );
        assert!(
            allowed(&both(&app, &trade, "POST", ORDERS).await),
            "[{label}] trade POST"
        );
        assert_eq!(
            both(&app, &trade, "POST", "/api/v2/peatio/account/withdraws").await,
            denied("authz.apikey_scope_denied"),
            "[{label}] trade cannot withdraw"
        );
        assert!(
            allowed(&both(&app, &none, "POST", ORDERS).await),
            "[{label}] no scope: role only (Barong)"
        );
        // The role still applies: a member's key with every scope cannot reach admin.
        let all = key_with_scope(
            &app,
            "bot@barong.test",
            "5c0be00000000all",
            &["read", "trade", "withdraw"],
        )
        .await;
        assert_eq!(
            both(&app, &all, "GET", "/api/v2/barong/admin/users").await,
            denied("authz.invalid_permission"),
            "[{label}] role AND scope"
        );

        // The upstream JWT tells what the key may do and how the request was signed.
        let [Outcome::Allow(Some(auth)), _] = both(&app, &read, "GET", ORDERS).await else {
            panic!("[{label}] read GET not allowed");
        };
        let claims = verify_with_jwks(&app, &auth).await;
        assert_eq!(
            claims["api_key"],
            json!({"kid": read.0, "scope": ["read"], "allowed_ips": [], "expires_at": null, "signature_version": 1}),
            "[{label}]"
        );
        assert!(claims.get("sid").is_none());
    }
}

#[tokio::test]
async fn required_scopes_and_a_scope_table_from_the_rules_file() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yml");
    std::fs::write(
        &rules,
        "rules:\n  pass: [api/v2/barong/identity]\n  block: []\nscopes:\n  trade:\n    - { verb: POST, path: api/v2/peatio/market/orders }\n  history:\n    - { verb: GET, path: api/v2/peatio/market/trades }\n",
    )
    .unwrap();
    let app = TestApp::spawn_with(&[
        ("BARONG_APIKEY_REQUIRE_SCOPE", "true"),
        ("BARONG_AUTHZ_RULES_FILE", rules.to_str().unwrap()),
    ])
    .await;
    owner(&app).await;
    let none = key_with_scope(&app, "bot@barong.test", "5c0be0000000none", &[]).await;
    let history = key_with_scope(&app, "bot@barong.test", "5c0be00000000his", &["history"]).await;
    let trade = key_with_scope(&app, "bot@barong.test", "5c0be000000trade", &["trade"]).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        both(&app, &none, "GET", ORDERS).await,
        denied("authz.apikey_scope_denied"),
        "a key without scope is refused when scopes are required"
    );
    assert!(allowed(
        &both(
            &app,
            &history,
            "GET",
            "/api/v2/peatio/market/trades?market=btcusd"
        )
        .await
    ));
    assert_eq!(
        both(&app, &history, "GET", ORDERS).await,
        denied("authz.apikey_scope_denied")
    );
    assert!(
        allowed(&both(&app, &trade, "POST", ORDERS).await),
        "the file's trade entry"
    );
    assert_eq!(
        both(&app, &trade, "DELETE", "/api/v2/peatio/market/orders/1").await,
        denied("authz.apikey_scope_denied"),
        "the file's trade replaced the built-in one"
    );
    assert!(allowed(
        &both(&app, &history, "GET", "/api/v2/peatio/market/trades").await
    ));
}

#[tokio::test]
async fn v2_signatures_cover_method_path_query_and_body() {
    let app = TestApp::spawn().await;
    owner(&app).await;
    let key = key_with_scope(&app, "bot@barong.test", "5c0be00000000v2k", &[]).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let path = "/api/v2/peatio/market/orders?side=buy&market=btcusd";
    let body = br#"{"market":"btcusd","side":"buy","volume":"1"}"#;

    // Accepted at both adapters; the query may be signed in any order of its names.
    let ok = v2(
        &key,
        "POST",
        "/api/v2/peatio/market/orders?market=btcusd&side=buy",
        body,
        "POST",
        path,
    );
    let out = via_grpc(&app, &ok.clone().body(body)).await;
    let Outcome::Allow(Some(auth)) = out else {
        panic!("v2 over gRPC with body: {out:?}");
    };
    assert_eq!(
        verify_with_jwks(&app, &auth).await["api_key"]["signature_version"],
        2
    );
    let ok = v2(&key, "POST", path, body, "POST", path);
    assert!(
        matches!(via_http(&app, &ok).await, Outcome::Allow(Some(_))),
        "nginx: no body forwarded, signature still checked"
    );

    let bad_sig = Outcome::Deny(401, "authz.invalid_signature".into());
    // The same signature for another path, query, or method: refused.
    for (method, other) in [
        (
            "POST",
            "/api/v2/peatio/market/orders/1/cancel?side=buy&market=btcusd",
        ),
        (
            "POST",
            "/api/v2/peatio/market/orders?side=sell&market=btcusd",
        ),
        ("DELETE", path),
    ] {
        let p = v2(&key, "POST", path, body, method, other);
        assert_eq!(via_http(&app, &p).await, bad_sig, "{method} {other} (http)");
        let p = v2(&key, "POST", path, body, method, other);
        assert_eq!(
            via_grpc(&app, &p.body(body)).await,
            bad_sig,
            "{method} {other} (grpc)"
        );
    }
    // A different body than the one signed (Envoy forwards it): refused.
    let p = v2(&key, "POST", path, body, "POST", path)
        .body(br#"{"market":"btcusd","side":"buy","volume":"100"}"#);
    assert_eq!(
        via_grpc(&app, &p).await,
        Outcome::Deny(401, "authz.content_digest_mismatch".into())
    );
    // A body cut at the gateway's limit cannot be checked: refused.
    let p = v2(&key, "POST", path, body, "POST", path)
        .header("x-envoy-auth-partial-body", "true")
        .body(&body[..10]);
    assert_eq!(
        via_grpc(&app, &p).await,
        Outcome::Deny(401, "authz.content_digest_mismatch".into())
    );
    // A GET signs the empty body's digest.
    let p = v2(&key, "GET", ORDERS, b"", "GET", ORDERS);
    assert!(matches!(via_grpc(&app, &p).await, Outcome::Allow(Some(_))));

    // Missing digest header, unknown version.
    let nonce = nonce();
    let sig = signature_v2::sign(
        "HS256",
        &key.1,
        &nonce,
        &key.0,
        "GET",
        ORDERS,
        EMPTY_BODY_DIGEST,
    )
    .unwrap();
    let no_digest = Probe::new("GET", ORDERS)
        .header("X-Auth-Apikey", &key.0)
        .header("X-Auth-Nonce", &nonce)
        .header("X-Auth-Signature", &sig)
        .header("X-Auth-Signature-Version", "2");
    assert_eq!(
        via_http(&app, &no_digest).await,
        Outcome::Deny(422, "authz.invalid_api_key_headers".into())
    );
    let v3 = signed(
        Probe::new("GET", ORDERS),
        &key,
        &crate::authz_parity::nonce(),
    )
    .header("X-Auth-Signature-Version", "3");
    assert_eq!(
        via_grpc(&app, &v3).await,
        Outcome::Deny(401, "authz.invalid_signature_version".into())
    );
}

#[tokio::test]
async fn version_1_can_be_switched_off() {
    let app = TestApp::spawn_with(&[("BARONG_APIKEY_MIN_VERSION", "2")]).await;
    owner(&app).await;
    let key = key_with_scope(&app, "bot@barong.test", "5c0be00000000v2o", &[]).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        both(&app, &key, "GET", ORDERS).await,
        denied("authz.invalid_signature_version")
    );
    let p = v2(&key, "GET", ORDERS, b"", "GET", ORDERS);
    assert!(matches!(via_http(&app, &p).await, Outcome::Allow(Some(_))));
}
