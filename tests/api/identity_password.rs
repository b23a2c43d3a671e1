//! password/generate_code and password/confirm_code.

use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, errors, keys};

const GENERATE: &str = "/api/v2/identity/users/password/generate_code";
const CONFIRM: &str = "/api/v2/identity/users/password/confirm_code";
const NEW_PASSWORD: &str = "Gol4aid2!Zx";

#[tokio::test]
async fn reset_changes_the_password_ends_sessions_and_is_single_use() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("frank@barong.test").await;
        assert_eq!(app.login("frank@barong.test").await.status(), 201);
        let r = app
            .post(GENERATE, json!({ "email": "frank@barong.test" }))
            .await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        let token = app.mailed_token("frank@barong.test", "reset_token").await;
        assert!(app.mails_to("frank@barong.test").iter().any(|(_, b)| {
            b.contains("https://exchange.test/accounts/password_reset?reset_token=")
        }));

        let body = json!({ "reset_password_token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD });
        let r = app.post(CONFIRM, body.clone()).await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        // The session opened before the reset is gone.
        let r = app.delete("/api/v2/identity/sessions").await;
        assert_eq!(
            errors(r).await,
            (404, keys(&["record.not_found"])),
            "[{}]",
            app.label
        );
        assert_eq!(errors(app.login("frank@barong.test").await).await.0, 401);
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({ "email": "frank@barong.test", "password": NEW_PASSWORD }),
            )
            .await;
        assert_eq!(r.status(), 201);
        let r = app.post(CONFIRM, body).await;
        assert_eq!(
            errors(r).await,
            (422, keys(&["identity.user.utilized_token"])),
            "[{}]",
            app.label
        );
        let acts = app.activities("frank@barong.test").await;
        assert!(
            acts.iter()
                .any(|a| a.1 == "password reset" && a.2 == "succeed")
        );
        assert!(
            acts.iter()
                .any(|a| a.1 == "request password reset" && a.2 == "succeed")
        );
        app.wait_for_mails("frank@barong.test", 3).await;
    }
}

#[tokio::test]
async fn generate_code_errors() {
    let app = TestApp::spawn().await;
    let r = app.post(GENERATE, json!({})).await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&["identity.user.missing_email", "identity.user.empty_email"])
        )
    );
    let r = app
        .post(GENERATE, json!({ "email": "ghost@barong.test" }))
        .await;
    assert_eq!(
        errors(r).await,
        (404, keys(&["identity.password.user_doesnt_exist"]))
    );
}

#[tokio::test]
async fn confirm_code_errors_and_weak_passwords() {
    let app = TestApp::spawn().await;
    let r = app.post(CONFIRM, json!({})).await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "identity.user.missing_pass_token",
                "identity.user.empty_reset_password_token",
                "identity.user.missing_password",
                "identity.user.empty_password",
                "identity.user.missing_confirm_password",
                "identity.user.empty_confirm_password",
            ])
        )
    );
    let r = app
        .post(CONFIRM, json!({ "reset_password_token": "x", "password": NEW_PASSWORD, "confirm_password": "other" }))
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.passwords_doesnt_match"]))
    );
    let r = app
        .post(CONFIRM, json!({ "reset_password_token": "x", "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD }))
        .await;
    assert_eq!(errors(r).await, (403, keys(&["jwt.decode_and_verify"])));

    app.register_confirmed("gina@barong.test").await;
    app.post(GENERATE, json!({ "email": "gina@barong.test" }))
        .await;
    let token = app.mailed_token("gina@barong.test", "reset_token").await;
    let r = app
        .post(CONFIRM, json!({ "reset_password_token": token, "password": "Simple", "confirm_password": "Simple" }))
        .await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "password.requirements",
                "password.password.password_strength"
            ])
        )
    );
    let acts = app.activities("gina@barong.test").await;
    assert_eq!(
        (acts[0].1.as_str(), acts[0].2.as_str()),
        ("password reset", "failed")
    );
    assert!(acts[0].3.as_deref().unwrap_or_default().contains("reason"));
    // The token survives a validation failure.
    let r = app
        .post(CONFIRM, json!({ "reset_password_token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD }))
        .await;
    assert_eq!(r.status(), 201);
    let _ = PASSWORD;
}
