//! `/resource/users`: the caller's User entity, the activity log with Barong's
//! pagination, changing the password (other sessions end), and closing the account.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

const NEW_PASSWORD: &str = "Ohgh3eiL!Zoo";

#[tokio::test]
async fn me_is_barongs_user_entity() {
    let app = TestApp::spawn().await;
    app.register_confirmed("me@barong.test").await;
    let token = app.bearer("me@barong.test").await;
    let r = app
        .resource(Method::GET, "/users/me", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(fields, ["email", "uid", "role", "level", "otp", "state"]);
    assert_eq!(body["email"], "me@barong.test");
    assert_eq!(body["level"], 1);
    assert_eq!(body["state"], "active");
}

#[tokio::test]
async fn activity_log_by_topic_with_pagination() {
    for app in TestApp::each_backend().await {
        let email = "log@barong.test";
        app.register_confirmed(email).await;
        let token = app.bearer(email).await;
        let r = app
            .resource(Method::GET, "/users/activity/all?limit=1", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.headers()["total"], "2", "sign-up and log-in");
        assert!(
            r.headers()["link"]
                .to_str()
                .unwrap()
                .contains("rel=\"next\"")
        );
        let rows: Value = r.json().await.unwrap();
        let row = &rows[0];
        let fields: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "id",
                "user_id",
                "target_uid",
                "category",
                "user_ip",
                "user_agent",
                "topic",
                "action",
                "result",
                "data",
                "created_at"
            ]
        );
        assert_eq!(row["topic"], "session", "newest first");
        assert_eq!(row["action"], "login");
        assert_eq!(row["category"], "user");
        let created = row["created_at"].as_str().unwrap();
        assert!(
            created.len() == 24 && created.ends_with('Z') && created.contains('.'),
            "{created}"
        );

        let r = app
            .resource(Method::GET, "/users/activity/account", &token)
            .send()
            .await
            .unwrap();
        let rows: Value = r.json().await.unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 1);
        assert_eq!(rows[0]["action"], "signup");

        let r = app
            .resource(Method::GET, "/users/activity/otp", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["resource.user.no_activity"])));
        let r = app
            .resource(Method::GET, "/users/activity/things", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["resource.user.wrong_topic"])));
        let r = app
            .resource(Method::GET, "/users/activity/all?limit=1001", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["1..1000."])));
    }
}

#[tokio::test]
async fn password_change_checks_and_ends_other_sessions() {
    for app in TestApp::each_backend().await {
        let email = "change@barong.test";
        app.register_confirmed(email).await;
        let current = app.login_cookie(email, None).await;
        let other = app.login_cookie(email, None).await;
        let token = app.edge_check(&current).await.unwrap();
        let put = |body: Value| {
            app.resource(Method::PUT, "/users/password", &token)
                .json(&body)
                .send()
        };
        assert_eq!(
            errors(put(json!({})).await.unwrap()).await,
            (
                422,
                keys(&[
                    "resource.user.missing_old_password",
                    "resource.user.empty_old_password",
                    "resource.user.missing_new_password",
                    "resource.user.empty_new_password",
                    "resource.user.missing_confirm_password",
                    "resource.user.empty_confirm_password"
                ])
            )
        );
        let change = |old: &str, new: &str, confirm: &str| {
            put(json!({ "old_password": old, "new_password": new, "confirm_password": confirm }))
        };
        assert_eq!(
            errors(change(PASSWORD, NEW_PASSWORD, "Other1!xyzQ").await.unwrap()).await,
            (422, keys(&["resource.password.doesnt_match"]))
        );
        assert_eq!(
            errors(
                change("Wrong1!pass", NEW_PASSWORD, NEW_PASSWORD)
                    .await
                    .unwrap()
            )
            .await,
            (400, keys(&["resource.password.prev_pass_not_correct"]))
        );
        assert_eq!(
            errors(change(PASSWORD, PASSWORD, PASSWORD).await.unwrap()).await,
            (400, keys(&["resource.password.no_change_provided"]))
        );
        assert_eq!(
            errors(change(PASSWORD, "password", "password").await.unwrap()).await,
            (
                422,
                keys(&[
                    "password.requirements",
                    "password.password.password_strength"
                ])
            )
        );
        let r = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await.unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");

        assert!(
            app.edge_check(&current).await.is_ok(),
            "the caller's session stays"
        );
        assert_eq!(
            app.edge_check(&other).await.unwrap_err().0,
            401,
            "other sessions end"
        );
        let r = app.login(email).await;
        assert_eq!(r.status(), 401, "old password no longer works");
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({ "email": email, "password": NEW_PASSWORD }),
            )
            .await;
        assert_eq!(r.status(), 201);
        let changes: Vec<String> = app
            .activities(email)
            .await
            .into_iter()
            .filter(|a| a.1 == "password change")
            .map(|a| a.2)
            .collect();
        assert_eq!(changes, ["succeed", "failed", "failed", "failed", "failed"]);
    }
}

#[tokio::test]
async fn closing_the_account() {
    for app in TestApp::each_backend().await {
        let email = "leaving@barong.test";
        app.register_confirmed(email).await;
        let cookie = app.login_cookie(email, None).await;
        let token = app.edge_check(&cookie).await.unwrap();
        let (kid, _) =
            crate::authz_parity::api_key(&app, email, "leavingkey000001", "active").await;
        app.enable_2fa(email).await;
        let totp = RefTotp::new(b"0123456789abcdefghij".to_vec());
        let delete = |query: &str| {
            app.resource(Method::DELETE, &format!("/users/me{query}"), &token)
                .send()
        };
        assert_eq!(
            errors(delete("").await.unwrap()).await,
            (
                422,
                keys(&[
                    "resource.user.missing_password",
                    "resource.user.empty_password"
                ])
            )
        );
        assert_eq!(
            errors(delete("?password=Wrong1!pass").await.unwrap()).await,
            (422, keys(&["resource.user.invalid_password"]))
        );
        let password = PASSWORD.replace('!', "%21");
        assert_eq!(
            errors(delete(&format!("?password={password}")).await.unwrap()).await,
            (422, keys(&["resource.user.missing_otp_code"]))
        );
        assert_eq!(
            errors(
                delete(&format!("?password={password}&otp_code="))
                    .await
                    .unwrap()
            )
            .await,
            (422, keys(&["resource.user.empty_otp_code"]))
        );
        assert_eq!(
            errors(
                delete(&format!("?password={password}&otp_code=000000"))
                    .await
                    .unwrap()
            )
            .await,
            (422, keys(&["resource.user.invalid_otp"]))
        );
        let now = steady_now().await;
        let r = delete(&format!(
            "?password={password}&otp_code={}",
            totp.code(now, 0)
        ))
        .await
        .unwrap();
        assert_eq!(r.status(), 204, "[{}]", app.label);

        assert_eq!(app.user(email).await.state, "discarded");
        let key = barong::storage::apikeys::find_by_kid(app.services.db.conn(), &kid)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(key.state, "inactive");
        assert_eq!(
            app.edge_check(&cookie).await.unwrap_err().0,
            401,
            "sessions ended"
        );
        assert_eq!(
            errors(app.login(email).await).await,
            (401, keys(&["identity.session.discarded"]))
        );
        let r = app
            .resource(Method::GET, "/users/me", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (401, keys(&["authz.user_not_active"])),
            "a token minted before the closure opens nothing"
        );
    }
}
