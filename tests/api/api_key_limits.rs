//! API keys bound to addresses and with an end date (beyond Barong): set on create and
//! PATCH, shown in the list, checked before the 2FA code is spent, and enforced by both
//! edge adapters (the client address through trusted `X-Forwarded-For` on HTTP, the
//! source address on gRPC).

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::authz_parity::{Outcome, Probe, nonce, signed, via_grpc, via_http};
use crate::helpers::{TestApp, errors, keys, now};
use crate::totp_ref::{RefTotp, steady_now};

const PATH: &str = "/api/v2/barong/resource/users/me";

fn probe(key: &(String, String), forwarded_for: Option<&str>) -> Probe {
    let p = signed(Probe::new("GET", PATH), key, &nonce());
    match forwarded_for {
        Some(ip) => p.header("X-Forwarded-For", ip),
        None => p,
    }
}

/// Polls the HTTP adapter until `done` holds (the key cache follows changes within a
/// second); returns the last outcome.
async fn settles(
    app: &TestApp,
    key: &(String, String),
    xff: Option<&str>,
    done: impl Fn(&Outcome) -> bool,
) -> Outcome {
    let mut last = via_http(app, &probe(key, xff)).await;
    for _ in 0..30 {
        if done(&last) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = via_http(app, &probe(key, xff)).await;
    }
    last
}

#[tokio::test]
async fn allow_lists_and_expiry_at_both_adapters() {
    for app in TestApp::each_backend().await {
        let email = "bot@barong.test";
        app.register_confirmed(email).await;
        let token = app.bearer(email).await;
        app.enable_2fa(email).await;
        let totp = RefTotp::new(b"0123456789abcdefghij".to_vec());
        let t = steady_now().await;
        let create = |body: Value| {
            app.resource(Method::POST, "/api_keys", &token)
                .json(&body)
                .send()
        };

        // Bad limits are refused before the code is spent (the same code then works).
        let code = totp.code(t, -1);
        let r = create(
            json!({"algorithm": "HS256", "allowed_ips": "10.0.0.0/33, example.com",
                              "expires_at": now() - 10, "totp_code": code}),
        )
        .await
        .unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&[
                    "resource.apikey.invalid_allowed_ips",
                    "resource.apikey.invalid_expires_at"
                ])
            ),
            "[{}]",
            app.label
        );
        let expires = now() + 3600;
        let r = create(
            json!({"algorithm": "HS256", "allowed_ips": "10.1.2.3/8 203.0.113.7",
                              "expires_at": expires, "totp_code": code}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let created: Value = r.json().await.unwrap();
        assert_eq!(
            created["allowed_ips"],
            json!(["10.0.0.0/8", "203.0.113.7/32"])
        );
        let expiry = chrono::DateTime::from_timestamp(i64::try_from(expires).unwrap(), 0).unwrap();
        assert_eq!(
            created["expires_at"],
            expiry.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
        let key = (
            created["kid"].as_str().unwrap().to_owned(),
            created["secret"].as_str().unwrap().to_owned(),
        );

        // From an address on the list (through the trusted local proxy): allowed.
        // (Waits for the edge's user cache to see 2FA turned on a moment ago.)
        let first = settles(&app, &key, Some("10.9.8.7"), |o| {
            matches!(o, Outcome::Allow(_))
        })
        .await;
        assert!(
            matches!(first, Outcome::Allow(Some(_))),
            "[{}] {first:?}",
            app.label
        );
        // From elsewhere: refused at both adapters.
        let refused = Outcome::Deny(401, "authz.apikey_ip_not_allowed".into());
        assert_eq!(
            via_http(&app, &probe(&key, Some("198.51.100.1"))).await,
            refused,
            "[{}]",
            app.label
        );
        assert_eq!(
            via_http(&app, &probe(&key, None)).await,
            refused,
            "the proxy's own address is not on the list"
        );
        assert_eq!(
            via_grpc(&app, &probe(&key, None)).await,
            refused,
            "[{}] gRPC without a listed source",
            app.label
        );

        // PATCH clears the list (empty value): any address again, within a second.
        let r = app
            .resource(Method::PATCH, &format!("/api_keys/{}", key.0), &token)
            .json(&json!({"allowed_ips": "", "totp_code": totp.code(t, 0)}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            (&body["allowed_ips"], &body["expires_at"]),
            (&json!([]), &created["expires_at"]),
            "expiry kept"
        );
        let out = settles(&app, &key, None, |o| matches!(o, Outcome::Allow(_))).await;
        assert!(
            matches!(out, Outcome::Allow(Some(_))),
            "[{}] {out:?}",
            app.label
        );

        // Once expired (the owner set a close date; here the row is moved into the
        // past), the key is refused within a second.
        let row = barong::storage::apikeys::find_by_kid(app.services.db.conn(), &key.0)
            .await
            .unwrap()
            .unwrap();
        let change = barong::storage::apikeys::KeyUpdate {
            expires_at: Some(Some(
                chrono::Utc::now().naive_utc() - chrono::TimeDelta::seconds(1),
            )),
            ..Default::default()
        };
        barong::storage::apikeys::update(app.services.db.conn(), row.id, &row.kid, change)
            .await
            .unwrap();
        let expired = Outcome::Deny(401, "authz.apikey_expired".into());
        assert_eq!(
            settles(&app, &key, None, |o| *o == expired).await,
            expired,
            "[{}]",
            app.label
        );
        assert_eq!(via_grpc(&app, &probe(&key, None)).await, expired);
        let r = app
            .resource(Method::GET, "/api_keys", &token)
            .send()
            .await
            .unwrap();
        let listed: Vec<Value> = r.json().await.unwrap();
        assert!(
            listed[0]["expires_at"].is_string(),
            "the list shows the expiry"
        );
    }
}
