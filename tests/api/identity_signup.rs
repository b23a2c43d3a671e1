//! POST /api/v2/identity/users.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, errors, keys};

const SIGNUP: &str = "/api/v2/identity/users";

#[tokio::test]
async fn signup_creates_a_pending_member_and_mails_the_link() {
    for app in TestApp::each_backend().await {
        let r = app
            .client
            .post(app.url(SIGNUP))
            .header("user-agent", "Mozilla/5.0 test")
            .json(&json!({ "email": "Alice@Barong.Test", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        let user = app.user("alice@barong.test").await;
        assert_eq!(
            (
                user.role.as_str(),
                user.state.as_str(),
                user.level,
                user.otp
            ),
            ("member", "pending", 0, false)
        );
        assert!(user.uid.starts_with("ID") && user.uid.len() == 12);
        assert!(
            user.password_digest.starts_with("$argon2id$"),
            "never the plain password"
        );
        let acts = app.activities("alice@barong.test").await;
        assert_eq!(acts[0].0, "account");
        assert_eq!(
            (acts[0].1.as_str(), acts[0].2.as_str()),
            ("signup", "succeed")
        );
        let mails = app.wait_for_mails("alice@barong.test", 1).await;
        assert!(
            mails[0]
                .1
                .contains("https://exchange.test/accounts/confirmation?confirmation_token="),
            "{mails:?}"
        );
    }
}

#[tokio::test]
async fn missing_and_blank_parameters() {
    let app = TestApp::spawn().await;
    let r = app.post(SIGNUP, json!({})).await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "identity.user.missing_email",
                "identity.user.empty_email",
                "identity.user.missing_password",
                "identity.user.empty_password"
            ])
        )
    );
    let r = app
        .post(SIGNUP, json!({ "email": " ", "password": PASSWORD }))
        .await;
    assert_eq!(errors(r).await, (422, keys(&["identity.user.empty_email"])));
}

#[tokio::test]
async fn model_validation_keys() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "bad_format", "password": "Password1" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&["email.invalid", "password.password.password_strength"])
        )
    );
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "ok@barong.test", "password": "password" }),
        )
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
    let long = format!("Aa1{}", "x9Kq".repeat(18));
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "ok@barong.test", "password": long }),
        )
        .await;
    let (status, got) = errors(r).await;
    assert_eq!(status, 422);
    assert!(got.contains(&"password.too_long".to_owned()), "{got:?}");
    assert!(
        app.mails_to("ok@barong.test").is_empty(),
        "nothing written on failure"
    );
}

#[tokio::test]
async fn taken_email_including_case_variants() {
    for app in TestApp::each_backend().await {
        app.register("bob@barong.test").await;
        for email in ["bob@barong.test", "BOB@barong.test"] {
            let r = app
                .post(SIGNUP, json!({ "email": email, "password": PASSWORD }))
                .await;
            assert_eq!(
                errors(r).await,
                (422, keys(&["email.taken"])),
                "[{}] {email}",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn referral_ids() {
    let app = TestApp::spawn().await;
    app.register("referrer@barong.test").await;
    let referrer = app.user("referrer@barong.test").await;
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "x@barong.test", "password": PASSWORD, "refid": "nope" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.invalid_referral_format"]))
    );
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "x@barong.test", "password": PASSWORD, "refid": "" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.invalid_referral_format"]))
    );
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "x@barong.test", "password": PASSWORD, "refid": "ID0000000000" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.referral_doesnt_exist"]))
    );
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "x@barong.test", "password": PASSWORD, "refid": referrer.uid }),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        app.user("x@barong.test").await.referral_id,
        Some(referrer.id)
    );
}

#[tokio::test]
async fn role_must_exist_in_the_permission_table() {
    let app = TestApp::spawn().await;
    app.services
        .db
        .conn()
        .execute_unprepared("DELETE FROM permissions WHERE role = 'member'")
        .await
        .unwrap();
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "y@barong.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(errors(r).await, (422, keys(&["role.doesnt exist"])));
}

#[tokio::test]
async fn russian_mail_when_lang_is_ru() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            SIGNUP,
            json!({ "email": "ru@barong.test", "password": PASSWORD, "lang": "ru" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let mails = app.wait_for_mails("ru@barong.test", 1).await;
    assert!(mails[0].0.contains("подтвердите"), "{:?}", mails[0]);
}
