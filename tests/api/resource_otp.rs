//! `/resource/otp`: QR code, enabling 2FA (recovery codes), verifying codes, and the
//! recovery code standing in for a lost authenticator at log-in. Codes come from the
//! independent RFC 6238 implementation in `totp_ref`.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

/// Requests a QR code and returns the response body.
async fn qr(app: &TestApp, token: &str) -> Value {
    let r = app
        .resource(Method::POST, "/otp/generate_qrcode", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "[{}]", app.label);
    r.json().await.unwrap()
}

#[tokio::test]
async fn qr_code_enable_and_verify() {
    for app in TestApp::each_backend().await {
        let email = "otp@barong.test";
        app.register_confirmed(email).await;
        let token = app.bearer(email).await;

        let body = qr(&app, &token).await;
        let url = body["data"]["url"].as_str().unwrap().to_owned();
        assert!(
            url.starts_with("otpauth://totp/Barong:otp%40barong.test?"),
            "{url}"
        );
        assert!(url.contains("issuer=Barong"), "{url}");
        let png = base64::engine::general_purpose::STANDARD
            .decode(body["data"]["barcode"].as_str().unwrap())
            .unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let totp = RefTotp::from_url(&url);
        // The secret is stored sealed, never as the base32 text of the URL.
        let row = app.user(email).await;
        let secret_b32 = url
            .split("secret=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert!(!row.otp_secret.clone().unwrap().contains(secret_b32));
        assert!(!row.otp);

        let enable = |code: Option<String>| {
            let mut req = app.resource(Method::POST, "/otp/enable", &token);
            if let Some(code) = code {
                req = req.json(&json!({ "code": code }));
            }
            req.send()
        };
        assert_eq!(
            errors(enable(None).await.unwrap()).await,
            (
                422,
                keys(&["resource.otp.missing_code", "resource.otp.empty_code"])
            )
        );
        assert_eq!(
            errors(enable(Some("000000".into())).await.unwrap()).await,
            (422, keys(&["resource.otp.invalid"]))
        );
        let now = steady_now().await;
        let r = enable(Some(totp.code(now, -1))).await.unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let body: Value = r.json().await.unwrap();
        let codes: Vec<String> = body["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert!(app.user(email).await.otp);

        // Once on, no new secret and no second enabling.
        let r = app
            .resource(Method::POST, "/otp/generate_qrcode", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (400, keys(&["resource.otp.already_enabled"]))
        );
        let r = enable(Some(totp.code(now, 0))).await.unwrap();
        assert_eq!(
            errors(r).await,
            (400, keys(&["resource.otp.already_enabled"]))
        );

        // verify: a valid code once; the same code again is a replay.
        let verify = |code: String| {
            app.resource(Method::POST, "/otp/verify", &token)
                .json(&json!({ "code": code }))
                .send()
        };
        let r = verify(totp.code(now, 0)).await.unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(r.text().await.unwrap(), "null");
        let r = verify(totp.code(now, 0)).await.unwrap();
        assert_eq!(errors(r).await, (422, keys(&["resource.otp.invalid"])));

        let activities = app.activities(email).await;
        let otp: Vec<(String, String)> = activities
            .iter()
            .filter(|a| a.0 == "otp")
            .map(|a| (a.1.clone(), a.2.clone()))
            .collect();
        for expected in [
            ("request QR code for 2FA", "succeed"),
            ("request QR code for 2FA", "failed"),
            ("enable 2FA", "succeed"),
            ("enable 2FA", "failed"),
            ("verify 2FA code", "failed"),
        ] {
            assert!(
                otp.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "[{}] {expected:?} in {otp:?}",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn verify_without_2fa_and_a_replaced_secret() {
    let app = TestApp::spawn().await;
    let email = "nootp@barong.test";
    app.register_confirmed(email).await;
    let token = app.bearer(email).await;
    let r = app
        .resource(Method::POST, "/otp/verify", &token)
        .json(&json!({ "code": "123456" }))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (400, keys(&["resource.otp.not_enabled"])));

    // A second QR request replaces the secret: codes of the first no longer enable.
    let first = RefTotp::from_url(qr(&app, &token).await["data"]["url"].as_str().unwrap());
    let second = RefTotp::from_url(qr(&app, &token).await["data"]["url"].as_str().unwrap());
    let now = steady_now().await;
    let r = app
        .resource(Method::POST, "/otp/enable", &token)
        .json(&json!({ "code": first.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (422, keys(&["resource.otp.invalid"])));
    let r = app
        .resource(Method::POST, "/otp/enable", &token)
        .json(&json!({ "code": second.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_recovery_code_logs_in_once() {
    let app = TestApp::spawn().await;
    let email = "lostphone@barong.test";
    app.register_confirmed(email).await;
    let token = app.bearer(email).await;
    let totp = RefTotp::from_url(qr(&app, &token).await["data"]["url"].as_str().unwrap());
    let now = steady_now().await;
    let body: Value = app
        .resource(Method::POST, "/otp/enable", &token)
        .json(&json!({ "code": totp.code(now, 0) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let recovery = body["recovery_codes"][3].as_str().unwrap().to_uppercase();
    let login = |code: String| {
        app.post(
            "/api/v2/identity/sessions",
            json!({ "email": email, "password": crate::helpers::PASSWORD, "otp_code": code }),
        )
    };
    assert_eq!(
        errors(login("0000-0000-0000-0000".into()).await).await,
        (403, keys(&["identity.session.invalid_otp"]))
    );
    let r = login(recovery.clone()).await;
    assert_eq!(
        r.status(),
        201,
        "a recovery code (any case) stands in for the TOTP code"
    );
    assert_eq!(
        errors(login(recovery).await).await,
        (403, keys(&["identity.session.invalid_otp"])),
        "and is used up"
    );
}
