//! email/generate_code and email/confirm_code.

use serde_json::json;

use crate::helpers::{TestApp, errors, keys};

const GENERATE: &str = "/api/v2/identity/users/email/generate_code";
const CONFIRM: &str = "/api/v2/identity/users/email/confirm_code";

#[tokio::test]
async fn confirmation_activates_adds_label_and_level() {
    for app in TestApp::each_backend().await {
        app.register("carol@barong.test").await;
        let token = app
            .mailed_token("carol@barong.test", "confirmation_token")
            .await;
        let r = app.post(CONFIRM, json!({ "token": token })).await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        let user = app.user("carol@barong.test").await;
        assert_eq!(
            (user.state.as_str(), user.level),
            ("active", 1),
            "[{}]",
            app.label
        );
        let labels =
            barong::storage::labels::list_by_scope(app.services.db.conn(), user.id, "private")
                .await
                .unwrap();
        assert_eq!(labels.len(), 1);
        assert_eq!(
            (labels[0].key.as_str(), labels[0].value.as_str()),
            ("email", "verified")
        );
        // Second use of the same link: the account is no longer pending.
        let r = app.post(CONFIRM, json!({ "token": token })).await;
        assert_eq!(
            errors(r).await,
            (422, keys(&["identity.user.active_or_doesnt_exist"]))
        );
    }
}

#[tokio::test]
async fn confirm_code_parameter_and_token_errors() {
    let app = TestApp::spawn().await;
    let r = app.post(CONFIRM, json!({})).await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&["identity.user.missing_token", "identity.user.empty_token"])
        )
    );
    let r = app
        .post(CONFIRM, json!({ "token": "x", "lang": " " }))
        .await;
    assert_eq!(errors(r).await, (422, keys(&["identity.user.empty_lang"])));
    let r = app.post(CONFIRM, json!({ "token": "not.a.jwt" })).await;
    assert_eq!(errors(r).await, (403, keys(&["jwt.decode_and_verify"])));
    // A reset token is not a confirmation token.
    app.register("dave@barong.test").await;
    app.post(
        "/api/v2/identity/users/password/generate_code",
        json!({ "email": "dave@barong.test" }),
    )
    .await;
    let reset = app.mailed_token("dave@barong.test", "reset_token").await;
    let r = app.post(CONFIRM, json!({ "token": reset })).await;
    assert_eq!(errors(r).await, (403, keys(&["jwt.decode_and_verify"])));
    // A token signed by another key.
    let other =
        barong::crypto::jwt::JwtKeys::from_pem(&barong::crypto::jwt::generate_pem().unwrap())
            .unwrap();
    let forged = barong::services::one_time_token::mint(
        &other,
        barong::services::one_time_token::Purpose::Confirmation,
        "dave@barong.test",
        "ID0000000000",
        60,
    )
    .unwrap();
    let r = app.post(CONFIRM, json!({ "token": forged })).await;
    assert_eq!(errors(r).await, (403, keys(&["jwt.decode_and_verify"])));
    assert_eq!(app.user("dave@barong.test").await.state, "pending");
}

#[tokio::test]
async fn banned_or_discarded_users_cannot_reactivate_by_email() {
    let app = TestApp::spawn().await;
    for (email, state) in [
        ("ban@barong.test", "banned"),
        ("gone@barong.test", "discarded"),
    ] {
        app.register(email).await;
        let token = app.mailed_token(email, "confirmation_token").await;
        let user = app.user(email).await;
        barong::storage::users::set_state(app.services.db.conn(), user.id, state)
            .await
            .unwrap();
        let r = app.post(GENERATE, json!({ "email": email })).await;
        assert_eq!(
            errors(r).await,
            (422, keys(&["identity.user.active_or_doesnt_exist"]))
        );
        let r = app.post(CONFIRM, json!({ "token": token })).await;
        assert_eq!(
            errors(r).await,
            (422, keys(&["identity.user.active_or_doesnt_exist"]))
        );
        assert_eq!(app.user(email).await.state, state);
    }
}

#[tokio::test]
async fn generate_code_resends_only_to_pending_accounts() {
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
        .post(GENERATE, json!({ "email": "nobody@barong.test" }))
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.active_or_doesnt_exist"]))
    );
    app.register("erin@barong.test").await;
    let r = app
        .post(GENERATE, json!({ "email": "ERIN@barong.test" }))
        .await;
    assert_eq!(r.status(), 201);
    app.wait_for_mails("erin@barong.test", 2).await;
    let token = app
        .mailed_token("erin@barong.test", "confirmation_token")
        .await;
    assert_eq!(
        app.post(CONFIRM, json!({ "token": token })).await.status(),
        201
    );
    let r = app
        .post(GENERATE, json!({ "email": "erin@barong.test" }))
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.active_or_doesnt_exist"]))
    );
}
