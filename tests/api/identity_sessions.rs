//! POST and DELETE /api/v2/identity/sessions.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, errors, keys, now};

const SESSIONS: &str = "/api/v2/identity/sessions";

#[tokio::test]
async fn login_sets_a_hardened_cookie_and_logout_ends_it() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("hana@barong.test").await;
        let r = app.login("hana@barong.test").await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("_barong_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        let id = cookie
            .trim_start_matches("_barong_session=")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 43, "256-bit opaque id");
        let body: Value = r.json().await.unwrap();
        let user = app.user("hana@barong.test").await;
        assert_eq!(body["email"], "hana@barong.test");
        assert_eq!(body["uid"], user.uid.as_str());
        assert_eq!(
            (
                body["role"].as_str(),
                body["level"].as_i64(),
                body["otp"].as_bool()
            ),
            (Some("member"), Some(1), Some(false))
        );
        assert_eq!(body["state"], "active");
        assert_eq!(body["csrf_token"].as_str().unwrap().len(), 32);
        // The store knows the session only by the hash of the id.
        let listed = app
            .services
            .sessions
            .list_for_user(&user.uid)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_ne!(listed[0].key, id);
        assert!(app.services.sessions.get(&id).await.unwrap().is_some());

        let r = app.delete(SESSIONS).await;
        assert_eq!(r.status(), 204, "[{}]", app.label);
        assert!(
            r.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        assert!(app.services.sessions.get(&id).await.unwrap().is_none());
        let r = app.delete(SESSIONS).await;
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        let acts = app.activities("hana@barong.test").await;
        assert_eq!(
            (acts[0].1.as_str(), acts[0].2.as_str()),
            ("logout", "succeed")
        );
        assert_eq!(
            (acts[1].1.as_str(), acts[1].2.as_str()),
            ("login", "succeed")
        );
    }
}

#[tokio::test]
async fn parameter_errors() {
    let app = TestApp::spawn().await;
    let r = app.post(SESSIONS, json!({})).await;
    assert_eq!(
        errors(r).await,
        (
            422,
            keys(&[
                "identity.session.missing_email",
                "identity.session.missing_password"
            ])
        )
    );
    let r = app
        .post(
            SESSIONS,
            json!({ "email": "", "password": "", "captcha_response": 5 }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.session.invalid_captcha_format"]))
    );
    let r = app
        .post(SESSIONS, json!({ "email": "", "password": "" }))
        .await;
    assert_eq!(
        errors(r).await,
        (401, keys(&["identity.session.invalid_params"]))
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    app.register_confirmed("ivan@barong.test").await;
    let r = app
        .post(
            SESSIONS,
            json!({ "email": "nobody@barong.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (401, keys(&["identity.session.invalid_params"]))
    );
    let r = app
        .post(
            SESSIONS,
            json!({ "email": "ivan@barong.test", "password": "Wrong1pass" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (401, keys(&["identity.session.invalid_params"]))
    );
    let acts = app.activities("ivan@barong.test").await;
    assert_eq!(
        (acts[0].1.as_str(), acts[0].2.as_str()),
        ("login", "failed")
    );
    assert!(
        acts[0]
            .3
            .as_deref()
            .unwrap()
            .contains("Invalid Email or Password")
    );
}

#[tokio::test]
async fn account_state_is_revealed_only_to_the_right_password() {
    let app = TestApp::spawn().await;
    app.register("pending@barong.test").await;
    let r = app.login("pending@barong.test").await;
    assert_eq!(
        errors(r).await,
        (401, keys(&["identity.session.not_active"]))
    );
    for (email, state, key) in [
        ("banned@barong.test", "banned", "identity.session.banned"),
        (
            "discarded@barong.test",
            "discarded",
            "identity.session.discarded",
        ),
    ] {
        app.register_confirmed(email).await;
        let user = app.user(email).await;
        barong::storage::users::set_state(app.services.db.conn(), user.id, state)
            .await
            .unwrap();
        assert_eq!(errors(app.login(email).await).await, (401, keys(&[key])));
        let r = app
            .post(
                SESSIONS,
                json!({ "email": email, "password": "Wrong1pass" }),
            )
            .await;
        assert_eq!(
            errors(r).await,
            (401, keys(&["identity.session.invalid_params"])),
            "no state leak"
        );
    }
    let acts = app.activities("banned@barong.test").await;
    assert!(acts.iter().any(|a| {
        a.3.as_deref()
            .unwrap_or_default()
            .contains("Your account is banned")
    }));
}

#[tokio::test]
async fn two_factor_login() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("jade@barong.test").await;
        let totp = app.enable_2fa("jade@barong.test").await;
        let r = app.login("jade@barong.test").await;
        assert_eq!(
            errors(r).await,
            (403, keys(&["identity.session.missing_otp"])),
            "[{}]",
            app.label
        );
        let r = app
            .post(
                SESSIONS,
                json!({ "email": "jade@barong.test", "password": PASSWORD, "otp_code": "000000" }),
            )
            .await;
        let code = totp.code_at(now());
        let expected = if code == "000000" { 201 } else { 403 };
        assert_eq!(r.status(), expected);
        if expected == 403 {
            assert_eq!(errors(r).await.1, keys(&["identity.session.invalid_otp"]));
        }
        let body = json!({ "email": "jade@barong.test", "password": PASSWORD, "otp_code": code });
        let r = app.post(SESSIONS, body.clone()).await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.json::<Value>().await.unwrap()["otp"], true);
        let r = app.post(SESSIONS, body).await;
        assert_eq!(
            errors(r).await,
            (422, keys(&["totp.error"])),
            "[{}] a code is accepted once",
            app.label
        );
        let acts = app.activities("jade@barong.test").await;
        assert!(acts.iter().any(|a| a.1 == "login::2fa" && a.2 == "succeed"));
        assert!(acts.iter().any(|a| a.1 == "login::2fa" && a.2 == "failed"));
    }
}

#[tokio::test]
async fn barong_bcrypt_digests_log_in_and_are_upgraded() {
    let app = TestApp::spawn().await;
    app.register_confirmed("kim@barong.test").await;
    let user = app.user("kim@barong.test").await;
    let bcrypt_digest = bcrypt::hash(PASSWORD, 4).unwrap();
    barong::storage::users::set_password_digest(app.services.db.conn(), user.id, &bcrypt_digest)
        .await
        .unwrap();
    assert_eq!(app.login("kim@barong.test").await.status(), 201);
    let digest = app.user("kim@barong.test").await.password_digest;
    assert!(digest.starts_with("$argon2id$"), "{digest}");
    assert_eq!(app.login("kim@barong.test").await.status(), 201);
}
