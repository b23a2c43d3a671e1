//! One table of edge-check cases run through both adapters (Envoy ext_authz over gRPC,
//! nginx-style `auth_request` over HTTP), on every configured session backend: status,
//! error key and injected header must agree, and the injected JWT must verify against
//! the published JWKS.

use std::collections::HashMap;

use barong::authz::api_key;
use envoy_types::pb::envoy::service::auth::v3::attribute_context::{HttpRequest, Request};
use envoy_types::pb::envoy::service::auth::v3::authorization_client::AuthorizationClient;
use envoy_types::pb::envoy::service::auth::v3::check_response::HttpResponse;
use envoy_types::pb::envoy::service::auth::v3::{AttributeContext, CheckRequest};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp};

/// What an adapter answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Allowed; the injected `Authorization` value, if any.
    Allow(Option<String>),
    /// Denied with this status and key.
    Deny(u16, String),
}

/// A request as the gateway sees it.
#[derive(Debug, Clone)]
pub struct Probe {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// The body the gateway forwards (Envoy `with_request_body`); nginx never does.
    pub body: Option<Vec<u8>>,
}

impl Probe {
    pub fn new(method: &'static str, path: &str) -> Self {
        Self {
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn body(mut self, body: &[u8]) -> Self {
        self.body = Some(body.to_vec());
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Through `ANY /api/v2/auth/{*path}`.
pub async fn via_http(app: &TestApp, probe: &Probe) -> Outcome {
    let method = reqwest::Method::from_bytes(probe.method.as_bytes()).unwrap();
    let mut req =
        reqwest::Client::new().request(method, app.url(&format!("/api/v2/auth{}", probe.path)));
    for (k, v) in &probe.headers {
        req = req.header(k, v);
    }
    let r = req.send().await.unwrap();
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no Set-Cookie from the edge check"
    );
    let status = r.status().as_u16();
    if status == 200 {
        let auth = r
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned());
        return Outcome::Allow(auth);
    }
    let body: Value = r.json().await.unwrap();
    Outcome::Deny(
        status,
        body["errors"][0].as_str().unwrap_or_default().to_owned(),
    )
}

/// Through Envoy's ext_authz `Check`.
pub async fn via_grpc(app: &TestApp, probe: &Probe) -> Outcome {
    via_grpc_at(&app.grpc_addr.to_string(), probe).await
}

/// Through `Check` at a gRPC address (`host:port`).
pub async fn via_grpc_at(addr: &str, probe: &Probe) -> Outcome {
    let mut client = AuthorizationClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let headers: HashMap<String, String> = probe
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let mut headers = headers;
    if let Some(body) = &probe.body {
        headers.insert("content-length".into(), body.len().to_string());
    }
    let http = HttpRequest {
        method: probe.method.to_owned(),
        path: probe.path.clone(),
        headers,
        raw_body: probe.body.clone().unwrap_or_default(),
        ..Default::default()
    };
    let request = CheckRequest {
        attributes: Some(AttributeContext {
            request: Some(Request {
                http: Some(http),
                ..Default::default()
            }),
            ..Default::default()
        }),
    };
    let response = client.check(request).await.unwrap().into_inner();
    let code = response.status.as_ref().map_or(-1, |s| s.code);
    match response.http_response {
        Some(HttpResponse::OkResponse(ok)) => {
            assert_eq!(code, 0);
            assert!(
                ok.headers_to_remove.iter().any(|h| h == "authorization"),
                "client Authorization is stripped"
            );
            let auth = ok
                .headers
                .iter()
                .filter_map(|h| h.header.as_ref())
                .find(|h| h.key == "authorization")
                .map(|h| h.value.clone());
            Outcome::Allow(auth)
        }
        Some(HttpResponse::DeniedResponse(denied)) => {
            assert_ne!(code, 0, "a denial never carries gRPC OK");
            let status = denied.status.map_or(0, |s| u16::try_from(s.code).unwrap());
            let body: Value = serde_json::from_str(&denied.body).unwrap();
            Outcome::Deny(
                status,
                body["errors"][0].as_str().unwrap_or_default().to_owned(),
            )
        }
        other => panic!("unexpected response {other:?}"),
    }
}

/// Verifies an injected `Bearer` token with the JWKS, as an upstream service would.
pub async fn verify_with_jwks(app: &TestApp, authorization: &str) -> Value {
    let token = authorization.strip_prefix("Bearer ").expect("Bearer token");
    let jwks: jsonwebtoken::jwk::JwkSet = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("kid published");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&["peatio"]);
    validation.set_issuer(&["barong"]);
    validation.sub = Some("session".into());
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap()
        .claims
}

/// A member with a session, a banned member with a session, an admin with a session,
/// and API keys (active, inactive, owner without 2FA).
pub struct Fixture {
    pub member_cookie: String,
    pub member_csrf: String,
    pub member_uid: String,
    pub banned_cookie: String,
    pub admin_cookie: String,
    pub admin_csrf: String,
    pub key: (String, String),
    pub inactive_key: (String, String),
    pub no2fa_key: (String, String),
}

async fn login_cookie(app: &TestApp, email: &str) -> (String, String) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v2/identity/sessions"))
        .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "login {email}");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = r.json().await.unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_owned())
}

pub async fn api_key(app: &TestApp, email: &str, kid: &str, state: &str) -> (String, String) {
    let user = app.user(email).await;
    let secret = barong::crypto::random::hex_token(16);
    let sealed = app.services.secrets.seal(secret.as_bytes()).unwrap();
    let new = barong::storage::apikeys::NewApiKey {
        user_id: user.id,
        kid: kid.to_owned(),
        algorithm: "HS256".to_owned(),
        scope: "[]".to_owned(),
        secret_encrypted: sealed,
        allowed_ips: None,
        expires_at: None,
    };
    barong::storage::apikeys::insert(app.services.db.conn(), new)
        .await
        .unwrap();
    if state != "active" {
        barong::storage::apikeys::set_state(app.services.db.conn(), kid, state)
            .await
            .unwrap();
    }
    (kid.to_owned(), secret)
}

pub async fn fixture(app: &TestApp) -> Fixture {
    app.register_confirmed("member@barong.test").await;
    app.register_confirmed("banned@barong.test").await;
    app.register_confirmed("admin@barong.test").await;
    app.register_confirmed("bot@barong.test").await;
    app.register_confirmed("lazy@barong.test").await;
    let conn = app.services.db.conn();
    let admin = app.user("admin@barong.test").await;
    conn.execute_unprepared(&format!(
        "UPDATE users SET role = 'admin' WHERE id = {}",
        admin.id
    ))
    .await
    .unwrap();
    let member_uid = app.user("member@barong.test").await.uid;
    let (member_cookie, member_csrf) = login_cookie(app, "member@barong.test").await;
    let (banned_cookie, _) = login_cookie(app, "banned@barong.test").await;
    let (admin_cookie, admin_csrf) = login_cookie(app, "admin@barong.test").await;
    let banned = app.user("banned@barong.test").await;
    barong::storage::users::set_state(conn, banned.id, "banned")
        .await
        .unwrap();
    app.enable_2fa("bot@barong.test").await;
    let key = api_key(app, "bot@barong.test", "a1b2c3d4e5f60001", "active").await;
    let inactive_key = api_key(app, "bot@barong.test", "a1b2c3d4e5f60002", "inactive").await;
    let no2fa_key = api_key(app, "lazy@barong.test", "a1b2c3d4e5f60003", "active").await;
    barong::storage::permissions::insert_if_missing(
        conn,
        barong::storage::permissions::NewPermission {
            role: "member".into(),
            verb: "GET".into(),
            path: "api/v2/audited".into(),
            action: "AUDIT".into(),
            topic: None,
        },
    )
    .await
    .unwrap();
    // Let the change feed carry the role change and the new permission to the edge.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    Fixture {
        member_cookie,
        member_csrf,
        member_uid,
        banned_cookie,
        admin_cookie,
        admin_csrf,
        key,
        inactive_key,
        no2fa_key,
    }
}

static NONCE: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// A fresh, unique millisecond nonce.
pub fn nonce() -> String {
    let now = chrono::Utc::now().timestamp_millis();
    let prev = NONCE
        .fetch_max(now, std::sync::atomic::Ordering::SeqCst)
        .max(now);
    let next = NONCE
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        .max(prev)
        + 1;
    next.to_string()
}

pub fn signed(probe: Probe, (kid, secret): &(String, String), nonce: &str) -> Probe {
    let sig = api_key::sign("HS256", secret, nonce, kid).unwrap();
    probe
        .header("X-Auth-Apikey", kid)
        .header("X-Auth-Nonce", nonce)
        .header("X-Auth-Signature", &sig)
}

fn deny(status: u16, key: &str) -> Option<(u16, &str)> {
    Some((status, key))
}

/// The parity table: (name, probe, expected denial or None for allow-with-JWT, pass-through).
async fn cases(f: &Fixture) -> Vec<(&'static str, Probe, Option<(u16, &'static str)>, bool)> {
    let resource = "/api/v2/barong/resource/users/me";
    let member = |m: &'static str| Probe::new(m, resource).header("Cookie", &f.member_cookie);
    vec![
        (
            "pass rule",
            Probe::new("GET", "/api/v2/barong/identity/ping")
                .header("Authorization", "Bearer forged"),
            None,
            true,
        ),
        (
            "block rule",
            Probe::new("GET", "/api/v2/barong/management/users"),
            deny(401, "authz.permission_denied"),
            false,
        ),
        (
            "no credentials",
            Probe::new("GET", resource),
            deny(401, "authz.invalid_session"),
            false,
        ),
        (
            "dot-dot does not escape a pass rule",
            Probe::new("GET", "/api/v2/barong/identity/../resource/users/me"),
            deny(401, "authz.invalid_session"),
            false,
        ),
        (
            "prefix is segment-bounded",
            Probe::new("GET", "/api/v2/barong/identityX").header("Cookie", &f.member_cookie),
            deny(401, "authz.invalid_permission"),
            false,
        ),
        (
            "unknown session",
            Probe::new("GET", resource).header("Cookie", "_barong_session=nope"),
            deny(401, "authz.invalid_session"),
            false,
        ),
        ("valid session", member("GET"), None, false),
        (
            "banned user",
            Probe::new("GET", resource).header("Cookie", &f.banned_cookie),
            deny(401, "authz.user_not_active"),
            false,
        ),
        (
            "csrf missing",
            member("POST"),
            deny(403, "authz.invalid_csrf_token"),
            false,
        ),
        (
            "csrf wrong",
            member("PUT").header("X-CSRF-Token", "0000"),
            deny(403, "authz.invalid_csrf_token"),
            false,
        ),
        (
            "csrf right",
            member("DELETE").header("X-CSRF-Token", &f.member_csrf),
            None,
            false,
        ),
        (
            "api key valid",
            signed(
                Probe::new("POST", "/api/v2/peatio/market/orders"),
                &f.key,
                &nonce(),
            ),
            None,
            false,
        ),
        (
            "api key blank header",
            Probe::new("GET", resource)
                .header("X-Auth-Apikey", &f.key.0)
                .header("X-Auth-Nonce", " "),
            deny(422, "authz.invalid_api_key_headers"),
            false,
        ),
        (
            "api key unknown",
            signed(
                Probe::new("GET", resource),
                &("ffffffffffffffff".into(), "x".into()),
                &nonce(),
            ),
            deny(401, "authz.unexistent_apikey"),
            false,
        ),
        (
            "api key bad signature",
            Probe::new("GET", resource)
                .header("X-Auth-Apikey", &f.key.0)
                .header("X-Auth-Nonce", &nonce())
                .header("X-Auth-Signature", "deadbeef"),
            deny(401, "authz.invalid_signature"),
            false,
        ),
        (
            "api key stale nonce",
            signed(
                Probe::new("GET", resource),
                &f.key,
                &(chrono::Utc::now().timestamp_millis() - 60_000).to_string(),
            ),
            deny(401, "authz.invalid_nonce"),
            false,
        ),
        (
            "api key inactive",
            signed(Probe::new("GET", resource), &f.inactive_key, &nonce()),
            deny(401, "authz.apikey_not_active"),
            false,
        ),
        (
            "api key owner without 2FA",
            signed(Probe::new("GET", resource), &f.no2fa_key, &nonce()),
            deny(401, "authz.disabled_2fa"),
            false,
        ),
        (
            "permission accept",
            Probe::new("GET", "/api/v2/barong/admin/users").header("Cookie", &f.admin_cookie),
            None,
            false,
        ),
        (
            "permission drop",
            Probe::new("GET", "/api/v2/barong/admin/permissions").header("Cookie", &f.admin_cookie),
            deny(401, "authz.invalid_permission"),
            false,
        ),
        (
            "permission audit only",
            Probe::new("GET", "/api/v2/audited").header("Cookie", &f.member_cookie),
            deny(401, "authz.invalid_permission"),
            false,
        ),
        (
            "member on admin path",
            Probe::new("GET", "/api/v2/barong/admin/users").header("Cookie", &f.member_cookie),
            deny(401, "authz.invalid_permission"),
            false,
        ),
    ]
}

#[tokio::test]
async fn parity_table_through_both_adapters() {
    for app in TestApp::each_backend().await {
        let f = fixture(&app).await;
        for adapter in ["http", "grpc"] {
            for (name, probe, expected, pass_through) in cases(&f).await {
                let got = if adapter == "http" {
                    via_http(&app, &probe).await
                } else {
                    via_grpc(&app, &probe).await
                };
                match (expected, got) {
                    (Some((status, key)), Outcome::Deny(s, k)) => {
                        assert_eq!(
                            (s, k.as_str()),
                            (status, key),
                            "[{} {adapter}] {name}",
                            app.label
                        )
                    }
                    (None, Outcome::Allow(auth)) if pass_through => {
                        assert!(
                            auth.is_none(),
                            "[{} {adapter}] {name}: no JWT on pass routes",
                            app.label
                        )
                    }
                    (None, Outcome::Allow(Some(auth))) => {
                        let claims = verify_with_jwks(&app, &auth).await;
                        assert_eq!(claims["iss"], "barong", "[{} {adapter}] {name}", app.label);
                        assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
                    }
                    (expected, got) => panic!(
                        "[{} {adapter}] {name}: expected {expected:?}, got {got:?}",
                        app.label
                    ),
                }
            }
        }
        // Replay: the same signed request twice.
        let probe = signed(
            Probe::new("GET", "/api/v2/peatio/account/balances"),
            &f.key,
            &nonce(),
        );
        assert!(matches!(
            via_http(&app, &probe).await,
            Outcome::Allow(Some(_))
        ));
        assert_eq!(
            via_grpc(&app, &probe).await,
            Outcome::Deny(401, "authz.invalid_nonce".into()),
            "[{}]",
            app.label
        );
        // The member's JWT carries Barong's claims.
        let Outcome::Allow(Some(auth)) = via_grpc(
            &app,
            &Probe::new("GET", "/api/v2/barong/resource/users/me")
                .header("Cookie", &f.member_cookie),
        )
        .await
        else {
            panic!("member allowed")
        };
        let claims = verify_with_jwks(&app, &auth).await;
        assert_eq!(claims["uid"], f.member_uid.as_str());
        assert_eq!(
            (
                claims["role"].as_str(),
                claims["level"].as_i64(),
                claims["state"].as_str()
            ),
            (Some("member"), Some(1), Some("active"))
        );
        assert_eq!(claims["email"], "member@barong.test");
        assert_eq!(claims["aud"], serde_json::json!(["peatio", "barong"]));
        assert!(claims["referral_id"].is_null());
        assert_eq!(claims["jti"].as_str().unwrap().len(), 20);
        let _ = &f.admin_csrf;
    }
}

/// (topic, action, result, data, target_uid) of an admin activity.
type AuditRow = (String, String, String, Option<String>, Option<String>);

#[tokio::test]
async fn audit_and_denials_are_recorded_without_secrets() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let probe = Probe::new(
        "PUT",
        "/api/v2/barong/admin/users?uid=ID0000000000&password=hunter2",
    )
    .header("Cookie", &f.admin_cookie)
    .header("X-CSRF-Token", &f.admin_csrf)
    .header("User-Agent", "ops-console");
    assert!(matches!(
        via_http(&app, &probe).await,
        Outcome::Allow(Some(_))
    ));
    let denied =
        Probe::new("GET", "/api/v2/barong/admin/permissions").header("Cookie", &f.admin_cookie);
    assert!(matches!(
        via_http(&app, &denied).await,
        Outcome::Deny(401, _)
    ));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let rows: Vec<AuditRow> = {
        use barong::storage::entities::activities;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        activities::Entity::find()
            .filter(activities::Column::Category.eq("admin"))
            .order_by_asc(activities::Column::Id)
            .all(app.services.db.conn())
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.topic, a.action, a.result, a.data, a.target_uid))
            .collect()
    };
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str(), rows[0].2.as_str()),
        ("users", "update", "succeed")
    );
    assert_eq!(rows[0].4.as_deref(), Some("ID0000000000"));
    let data = rows[0].3.as_deref().unwrap();
    assert!(
        !data.contains("hunter2") && data.contains("[FILTERED]"),
        "{data}"
    );
    assert_eq!(
        (rows[1].0.as_str(), rows[1].2.as_str()),
        ("permissions", "denied")
    );
}

#[tokio::test]
async fn changes_reach_the_edge_within_a_second() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let probe =
        Probe::new("GET", "/api/v2/barong/resource/users/me").header("Cookie", &f.member_cookie);
    assert!(matches!(
        via_grpc(&app, &probe).await,
        Outcome::Allow(Some(_))
    ));
    let member = app.user("member@barong.test").await;
    barong::storage::users::set_state(app.services.db.conn(), member.id, "banned")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(
        via_grpc(&app, &probe).await,
        Outcome::Deny(401, "authz.user_not_active".into())
    );
    // Deactivating a key.
    let signed_probe = |n: &str| {
        signed(
            Probe::new("GET", "/api/v2/peatio/account/balances"),
            &f.key,
            n,
        )
    };
    assert!(matches!(
        via_http(&app, &signed_probe(&nonce())).await,
        Outcome::Allow(Some(_))
    ));
    barong::storage::apikeys::set_state(app.services.db.conn(), &f.key.0, "inactive")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(
        via_http(&app, &signed_probe(&nonce())).await,
        Outcome::Deny(401, "authz.apikey_not_active".into())
    );
    // Logging out ends the session at the edge at once.
    let r = reqwest::Client::new()
        .delete(app.url("/api/v2/identity/sessions"))
        .header("Cookie", &f.admin_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let admin = Probe::new("GET", "/api/v2/barong/admin/users").header("Cookie", &f.admin_cookie);
    assert_eq!(
        via_http(&app, &admin).await,
        Outcome::Deny(401, "authz.invalid_session".into())
    );
}

#[tokio::test]
async fn the_gateway_jwt_opens_the_resource_api_and_nothing_else_does() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let Outcome::Allow(Some(auth)) = via_http(
        &app,
        &Probe::new("GET", "/api/v2/barong/resource/users/me").header("Cookie", &f.member_cookie),
    )
    .await
    else {
        panic!("allowed")
    };
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/resource/users/me"))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["email"], "member@barong.test");
    for bad in ["", "Bearer nope", "Basic abc"] {
        let r = reqwest::Client::new()
            .get(app.url("/api/v2/resource/users/me"))
            .header("Authorization", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(
            crate::helpers::errors(r).await,
            (401, vec!["jwt.decode_and_verify".to_owned()])
        );
    }
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/resource/users/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn nginx_style_original_uri_and_method_headers() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/auth"))
        .header("X-Original-URI", "/api/v2/barong/resource/users/me")
        .header("X-Original-Method", "POST")
        .header("Cookie", &f.member_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        crate::helpers::errors(r).await,
        (403, vec!["authz.invalid_csrf_token".to_owned()])
    );
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/auth"))
        .header("X-Forwarded-Uri", "/api/v2/barong/resource/users/me")
        .header("X-Forwarded-Method", "GET")
        .header("Cookie", &f.member_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Bearer ")
    );
}

#[tokio::test]
async fn grpc_health_reports_the_authorization_service_serving() {
    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_client::HealthClient;
    let app = TestApp::spawn().await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", app.grpc_addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = HealthClient::new(channel);
    let service = "envoy.service.auth.v3.Authorization".to_owned();
    let status = client
        .check(HealthCheckRequest { service })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}

#[tokio::test]
async fn es256_and_eddsa_keys_sign_every_token() {
    for (name, alg) in [("ES256", Algorithm::ES256), ("EdDSA", Algorithm::EdDSA)] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key.pem");
        std::fs::write(&file, barong::crypto::jwt::generate_pem_for(alg).unwrap()).unwrap();
        let path = file.display().to_string();
        let app = TestApp::spawn_with(&[
            ("BARONG_JWT_ALGORITHM", name),
            ("BARONG_JWT_PRIVATE_KEY_FILE", &path),
        ])
        .await;
        // Confirmation tokens are signed with it too.
        app.register_confirmed("ec@barong.test").await;
        let r = app.login("ec@barong.test").await;
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let probe = Probe::new("GET", "/api/v2/barong/resource/users/me").header("Cookie", &cookie);
        let Outcome::Allow(Some(auth)) = via_grpc(&app, &probe).await else {
            panic!("{name}: allowed")
        };
        let token = auth.strip_prefix("Bearer ").unwrap();
        assert_eq!(jsonwebtoken::decode_header(token).unwrap().alg, alg);
        assert_eq!(
            verify_with_jwks(&app, &auth).await["email"],
            "ec@barong.test"
        );
        let r = reqwest::Client::new()
            .get(app.url("/api/v2/resource/users/me"))
            .header("Authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name}");
    }
}

#[tokio::test]
async fn user_agent_binding_and_csrf_switch() {
    let app = TestApp::spawn_with(&[
        ("BARONG_SESSION_BIND_USER_AGENT", "true"),
        ("BARONG_CSRF_PROTECTION", "false"),
    ])
    .await;
    app.register_confirmed("ua@barong.test").await;
    let r = reqwest::Client::new()
        .post(app.url("/api/v2/identity/sessions"))
        .header("User-Agent", "Browser/1")
        .json(&serde_json::json!({ "email": "ua@barong.test", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let probe = |ua: &str| {
        Probe::new("POST", "/api/v2/barong/resource/users/me")
            .header("Cookie", &cookie)
            .header("User-Agent", ua)
    };
    assert!(
        matches!(
            via_http(&app, &probe("Browser/1")).await,
            Outcome::Allow(Some(_))
        ),
        "no CSRF token needed when off"
    );
    assert_eq!(
        via_grpc(&app, &probe("Stolen/2")).await,
        Outcome::Deny(401, "authz.invalid_session".into())
    );
}
