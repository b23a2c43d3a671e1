//! One user's whole 2FA journey, end to end through the real endpoints and the edge
//! check: enable 2FA, create an API key, sign a request with it, lose the phone, log in
//! with a recovery code, and revoke the key with another recovery code.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
use crate::totp_ref::{RefTotp, steady_now};

#[tokio::test]
async fn enable_2fa_use_a_key_lose_the_phone_and_revoke_the_key() {
    for app in TestApp::each_backend().await {
        let email = "journey@barong.test";
        app.register_confirmed(email).await;
        let token = app.bearer(email).await;

        // 1. Enable 2FA with the authenticator app (our independent TOTP).
        let qr: Value = app
            .resource(Method::POST, "/otp/generate_qrcode", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let phone = RefTotp::from_url(qr["data"]["url"].as_str().unwrap());
        let now = steady_now().await;
        let enabled: Value = app
            .resource(Method::POST, "/otp/enable", &token)
            .json(&json!({ "code": phone.code(now, -1) }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let recovery: Vec<String> = enabled["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();

        // 2. Create an API key.
        let r = app
            .resource(Method::POST, "/api_keys", &token)
            .json(&json!({ "algorithm": "HS256", "totp_code": phone.code(now, 0) }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let key: Value = r.json().await.unwrap();
        let (kid, secret) = (
            key["kid"].as_str().unwrap(),
            key["secret"].as_str().unwrap(),
        );

        // 3. A signed request passes the edge with a JWT for this user.
        let mut edge = app.api_key_check(kid, secret, "HS256").await;
        for _ in 0..40 {
            if edge.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            edge = app.api_key_check(kid, secret, "HS256").await;
        }
        let jwt = edge.unwrap_or_else(|e| panic!("[{}] signed request denied: {e:?}", app.label));
        let me: Value = app
            .resource(Method::GET, "/users/me", &jwt)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["email"], email);
        assert_eq!(me["otp"], true);

        // 4. The phone is lost: a password alone no longer logs in, a recovery code does.
        let r = app.login(email).await;
        assert_eq!(r.status(), 403);
        let cookie = app.login_cookie(email, Some(&recovery[0])).await;
        let token = app.edge_check(&cookie).await.unwrap();

        // 5. Revoke the key with another recovery code; the edge refuses it at once.
        let r = app
            .resource(
                Method::DELETE,
                &format!("/api_keys/{kid}?totp_code={}", recovery[1]),
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204, "[{}]", app.label);
        let mut edge = app.api_key_check(kid, secret, "HS256").await;
        for _ in 0..40 {
            if edge.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            edge = app.api_key_check(kid, secret, "HS256").await;
        }
        let (status, body) = edge.unwrap_err();
        assert_eq!(
            (status, body.contains("authz.unexistent_apikey")),
            (401, true)
        );

        // Spent recovery codes stay spent.
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({ "email": email, "password": PASSWORD, "otp_code": recovery[0] }),
            )
            .await;
        assert_eq!(r.status(), 403);
    }
}
