//! `/resource/api_keys`: the 2FA gate, creation (secret shown once, stored sealed),
//! listing with pagination, PATCH keeping an omitted scope, deletion, and the edge check
//! following every change within a second.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

/// A confirmed user with 2FA on (secret known to the test) and a resource token.
async fn user_with_2fa(app: &TestApp, email: &str) -> (String, RefTotp) {
    app.register_confirmed(email).await;
    let token = app.bearer(email).await;
    app.enable_2fa(email).await;
    (token, RefTotp::new(b"0123456789abcdefghij".to_vec()))
}

/// Waits (at most 2 s) until the edge check's answer for the key satisfies `done`.
async fn edge_settles(
    app: &TestApp,
    kid: &str,
    secret: &str,
    done: impl Fn(&Result<String, (u16, String)>) -> bool,
) -> Result<String, (u16, String)> {
    let mut last = app.api_key_check(kid, secret, "HS256").await;
    for _ in 0..40 {
        if done(&last) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = app.api_key_check(kid, secret, "HS256").await;
    }
    last
}

#[tokio::test]
async fn create_list_update_delete_through_the_edge() {
    for app in TestApp::each_backend().await {
        let (token, totp) = user_with_2fa(&app, "bot@barong.test").await;
        let now = steady_now().await;
        let r = app
            .resource(Method::POST, "/api_keys", &token)
            .json(
                &json!({ "algorithm": "HS256", "kid": "mine", "scope": "trade,read",
                           "totp_code": totp.code(now, -1) }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let created: Value = r.json().await.unwrap();
        let kid = created["kid"].as_str().unwrap().to_owned();
        let secret = created["secret"].as_str().unwrap().to_owned();
        assert!(
            kid.len() == 16 && kid.bytes().all(|b| b.is_ascii_hexdigit()),
            "client kid ignored"
        );
        assert!(secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(created["scope"], json!(["trade", "read"]));
        assert_eq!(created["state"], "active");
        assert_eq!(created["algorithm"], "HS256");
        let fields: Vec<&String> = created.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "kid",
                "algorithm",
                "scope",
                "state",
                "secret",
                "created_at",
                "updated_at",
                "allowed_ips",
                "expires_at",
                "rate_limit_per_sec"
            ]
        );
        assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
        // Stored sealed, never in clear.
        let row = barong::storage::apikeys::find_by_kid(app.services.db.conn(), &kid)
            .await
            .unwrap()
            .unwrap();
        assert!(!row.secret_encrypted.unwrap().contains(&secret));

        // The edge accepts requests signed with it (once the 2FA change reached its cache).
        let allowed = edge_settles(&app, &kid, &secret, Result::is_ok).await;
        assert!(allowed.is_ok(), "[{}] {allowed:?}", app.label);

        let r = app
            .resource(Method::GET, "/api_keys", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["total"], "1");
        let list: Value = r.json().await.unwrap();
        assert_eq!(list[0]["kid"], kid.as_str());
        assert!(list[0].get("secret").is_none(), "the secret is shown once");

        // PATCH without scope keeps it (Barong wiped it, W6); state inactive stops the edge.
        let r = app
            .resource(Method::PATCH, &format!("/api_keys/{kid}"), &token)
            .json(&json!({ "state": "inactive", "totp_code": totp.code(now, 0) }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let patched: Value = r.json().await.unwrap();
        assert_eq!(patched["state"], "inactive");
        assert_eq!(patched["scope"], json!(["trade", "read"]));
        let denied = edge_settles(&app, &kid, &secret, |r| r.is_err()).await;
        let (status, body) = denied.unwrap_err();
        assert_eq!(status, 401);
        assert!(body.contains("authz.apikey_not_active"), "{body}");

        let r = app
            .resource(
                Method::DELETE,
                &format!("/api_keys/{kid}?totp_code={}", totp.code(now, 1)),
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let denied = edge_settles(&app, &kid, &secret, |r| {
            r.as_ref().is_err_and(|(_, b)| b.contains("unexistent"))
        })
        .await;
        assert_eq!(denied.unwrap_err().0, 401);
        let r = app
            .resource(Method::GET, "/api_keys", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["total"], "0");
        assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    }
}

#[tokio::test]
async fn the_2fa_gate_and_parameter_errors() {
    let app = TestApp::spawn().await;
    app.register_confirmed("no2fa@barong.test").await;
    let plain = app.bearer("no2fa@barong.test").await;
    let r = app
        .resource(Method::POST, "/api_keys", &plain)
        .json(&json!({ "algorithm": "HS256", "totp_code": "123456" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (400, keys(&["resource.api_key.2fa_disabled"]))
    );

    let (token, totp) = user_with_2fa(&app, "gate@barong.test").await;
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "resource.apikey.missing_algorithm",
                "resource.apikey.empty_algorithm",
                "resource.api_key.missing_totp",
                "resource.apikey.empty_totp_code"
            ])
        )
    );
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS256", "scope": " ", "kid": "", "totp_code": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "resource.apikey.empty_kid",
                "resource.apikey.empty_scope",
                "resource.apikey.empty_totp_code"
            ])
        )
    );
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS256", "totp_code": "000000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["resource.api_key.invalid_totp"]))
    );
    let now = steady_now().await;
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "kek", "totp_code": totp.code(now, -1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (422, keys(&["algorithm.inclusion"])));
    // The refused algorithm did not burn the code; HS512 is accepted.
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS512", "totp_code": totp.code(now, -1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let kid = created["kid"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let mut checked = app.api_key_check(&kid, &secret, "HS512").await;
    for _ in 0..40 {
        if checked.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        checked = app.api_key_check(&kid, &secret, "HS512").await;
    }
    assert!(checked.is_ok(), "{checked:?}");
    // A replayed code is refused.
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS256", "totp_code": totp.code(now, -1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["resource.api_key.invalid_totp"]))
    );

    let r = app
        .resource(Method::PATCH, &format!("/api_keys/{kid}"), &token)
        .json(&json!({ "state": "bogus", "totp_code": totp.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (422, keys(&["state.inclusion"])));
    let r = app
        .resource(Method::PATCH, &format!("/api_keys/{kid}"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "resource.apikey.missing_totp_code",
                "resource.apikey.empty_totp_code"
            ])
        )
    );
    let r = app
        .resource(
            Method::DELETE,
            "/api_keys/0000000000000000?totp_code=1",
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["resource.api_key.invalid_totp"]))
    );
    let r = app
        .resource(Method::DELETE, "/api_keys/0000000000000000", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "resource.apikey.missing_totp_code",
                "resource.apikey.empty_totp_code"
            ])
        )
    );
    // Another user's key is not found, whatever the code.
    let (other, other_totp) = user_with_2fa(&app, "other@barong.test").await;
    let r = app
        .resource(Method::PATCH, &format!("/api_keys/{kid}"), &other)
        .json(&json!({ "scope": "x", "totp_code": other_totp.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
    // Scope changes when sent.
    let r = app
        .resource(Method::PATCH, &format!("/api_keys/{kid}"), &token)
        .json(&json!({ "scope": "withdraw", "totp_code": totp.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["scope"],
        json!(["withdraw"])
    );
}

#[tokio::test]
async fn pagination_headers_and_keys() {
    let app = TestApp::spawn().await;
    let (token, _) = user_with_2fa(&app, "pages@barong.test").await;
    for kid in ["k1aaaaaaaaaaaaaa", "k2aaaaaaaaaaaaaa", "k3aaaaaaaaaaaaaa"] {
        crate::authz_parity::api_key(&app, "pages@barong.test", kid, "active").await;
    }
    let r = app
        .resource(Method::GET, "/api_keys?limit=2&page=1", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["total"], "3");
    assert_eq!(r.headers()["per-page"], "2");
    assert_eq!(r.headers()["page"], "1");
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("page=2>; rel=\"next\""), "{link}");
    assert!(link.contains("page=2>; rel=\"last\""), "{link}");
    assert_eq!(
        r.json::<Value>().await.unwrap().as_array().unwrap().len(),
        2
    );
    let r = app
        .resource(Method::GET, "/api_keys?limit=2&page=2", &token)
        .send()
        .await
        .unwrap();
    let page2: Value = r.json().await.unwrap();
    assert_eq!(page2[0]["kid"], "k3aaaaaaaaaaaaaa");
    let r = app
        .resource(Method::GET, "/api_keys?page=9", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    let r = app
        .resource(Method::GET, "/api_keys?page=abc&limit=0", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["invalid", "zero.", "1..1000."]))
    );
}
