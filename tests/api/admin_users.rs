//! `/api/v2/admin/users` changes: state and 2FA (`PUT users`, `POST users/update`),
//! role (`POST users/role`), Barong's keys, the W8 escalation closed, and the side
//! effects a ban or a 2FA reset must have (keys inactive, sessions ended).

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin, staff};
use crate::helpers::{TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

/// A user with 2FA on, an active API key and a live session cookie.
async fn trader(app: &TestApp, email: &str) -> (String, String) {
    app.register_confirmed(email).await;
    let cookie = app.login_cookie(email, None).await;
    let token = app.bearer(email).await;
    app.enable_2fa(email).await;
    let totp = RefTotp::new(b"0123456789abcdefghij".to_vec());
    let now = steady_now().await;
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS256", "totp_code": totp.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "[{}]", app.label);
    let kid = r.json::<Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    (cookie, kid)
}

async fn key_state(app: &TestApp, kid: &str) -> String {
    barong::storage::apikeys::find_by_kid(app.services.db.conn(), kid)
        .await
        .unwrap()
        .unwrap()
        .state
}

#[tokio::test]
async fn ban_changes_only_the_state_and_ends_access() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "accountant@barong.test", "accountant").await;
        let (cookie, kid) = trader(&app, "bob@barong.test").await;
        let uid = app.user("bob@barong.test").await.uid;
        assert!(app.edge_check(&cookie).await.is_ok());
        // W8: an extra `role` rides along; only the state changes.
        let r = admin(&app, Method::PUT, "/users", &token)
            .json(&json!({"uid": uid, "state": "banned", "role": "superadmin"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "200");
        let bob = app.user("bob@barong.test").await;
        assert_eq!(
            (bob.state.as_str(), bob.role.as_str()),
            ("banned", "member")
        );
        assert_eq!(key_state(&app, &kid).await, "inactive", "[{}]", app.label);
        let (status, body) = app.edge_check(&cookie).await.unwrap_err();
        assert_eq!(status, 401, "[{}] {body}", app.label);
        // Audited with the target.
        let r = admin(
            &app,
            Method::GET,
            &format!("/activities/admin?target_uid={uid}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        let rows: Vec<Value> = r.json().await.unwrap();
        assert_eq!(rows.len(), 1, "[{}]", app.label);
        assert_eq!(rows[0]["topic"], "users");
        assert_eq!(rows[0]["target"]["uid"], uid.as_str());
        assert_eq!(rows[0]["admin"]["role"], "accountant");
        assert!(rows[0]["data"].as_str().unwrap().contains("banned"));
        // Unbanning through POST users/update answers 201 (the seed's status).
        let r = admin(&app, Method::POST, "/users/update", &token)
            .json(&json!({"uid": uid, "state": "active"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(r.text().await.unwrap(), "201");
        assert_eq!(app.user("bob@barong.test").await.state, "active");
    }
}

#[tokio::test]
async fn state_and_otp_errors() {
    let app = TestApp::spawn().await;
    let token = staff(&app, "admin@barong.test", "admin").await;
    app.register_confirmed("bob@barong.test").await;
    let uid = app.user("bob@barong.test").await.uid;
    let me = app.user("admin@barong.test").await.uid;
    let put = |body: Value| {
        admin(&app, Method::PUT, "/users", &token)
            .json(&body)
            .send()
    };
    for (body, status, expected) in [
        (
            json!({}),
            422,
            vec![
                "admin.user.missing_uid",
                "admin.user.empty_uid",
                "admin.user.one_of_state_otp",
            ],
        ),
        (
            json!({"uid": uid}),
            422,
            vec!["admin.user.one_of_state_otp"],
        ),
        (
            json!({"uid": uid, "state": "banned", "otp": false}),
            422,
            vec!["admin.user.one_of_state_otp"],
        ),
        (
            json!({"uid": uid, "state": " "}),
            422,
            vec!["admin.user.empty_state"],
        ),
        (
            json!({"uid": uid, "otp": "maybe"}),
            422,
            vec!["admin.user.non_boolean_otp"],
        ),
        (
            json!({"uid": uid, "otp": ""}),
            422,
            vec!["admin.user.empty_otp"],
        ),
        (
            json!({"uid": "ID0000000000", "state": "banned"}),
            404,
            vec!["admin.user.doesnt_exist"],
        ),
        (
            json!({"uid": me, "state": "banned"}),
            422,
            vec!["admin.user.update_himself"],
        ),
        (
            json!({"uid": uid, "state": "active"}),
            422,
            vec!["admin.user.state_no_change"],
        ),
        (
            json!({"uid": uid, "state": "Banned!"}),
            422,
            vec!["admin.user.invalid_state"],
        ),
        (
            json!({"uid": uid, "otp": true}),
            422,
            vec!["admin.user.enable_2fa"],
        ),
        (
            json!({"uid": uid, "otp": false}),
            422,
            vec!["admin.user.otp_no_change"],
        ),
    ] {
        let r = put(body.clone()).await.unwrap();
        assert_eq!(errors(r).await, (status, keys(&expected)), "{body}");
    }
    assert_eq!(app.user("bob@barong.test").await.state, "active");
}

#[tokio::test]
async fn switching_2fa_off_forgets_the_secret_and_deactivates_keys() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "support@barong.test", "admin").await;
        let (cookie, kid) = trader(&app, "bob@barong.test").await;
        let uid = app.user("bob@barong.test").await.uid;
        let r = admin(&app, Method::PUT, "/users", &token)
            .form(&[("uid", uid.as_str()), ("otp", "false")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let bob = app.user("bob@barong.test").await;
        assert!(!bob.otp && bob.otp_secret.is_none(), "[{}]", app.label);
        assert_eq!(key_state(&app, &kid).await, "inactive");
        // Sessions end too: a lost authenticator is the usual reason for this call.
        assert!(app.edge_check(&cookie).await.is_err(), "[{}]", app.label);
    }
}

#[tokio::test]
async fn role_changes_need_an_existing_role() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "superadmin").await;
        app.register_confirmed("bob@barong.test").await;
        let cookie = app.login_cookie("bob@barong.test", None).await;
        let uid = app.user("bob@barong.test").await.uid;
        let me = app.user("admin@barong.test").await.uid;
        let post = |body: Value| {
            admin(&app, Method::POST, "/users/role", &token)
                .json(&body)
                .send()
        };
        for (body, status, expected) in [
            (
                json!({}),
                422,
                vec![
                    "admin.user.missing_uid",
                    "admin.user.empty_uid",
                    "admin.user.missing_role",
                    "admin.user.empty_role",
                ],
            ),
            (
                json!({"uid": "ID0000000000", "role": "admin"}),
                404,
                vec!["admin.user.doesnt_exist"],
            ),
            (
                json!({"uid": me, "role": "member"}),
                422,
                vec!["admin.user.update_himself"],
            ),
            (
                json!({"uid": uid, "role": "member"}),
                422,
                vec!["admin.user.role_no_change"],
            ),
            (
                json!({"uid": uid, "role": "pirate"}),
                422,
                vec!["role.doesnt exist"],
            ),
        ] {
            let r = post(body.clone()).await.unwrap();
            assert_eq!(
                errors(r).await,
                (status, keys(&expected)),
                "[{}] {body}",
                app.label
            );
        }
        let r = post(json!({"uid": uid, "role": "trader"})).await.unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        assert_eq!(app.user("bob@barong.test").await.role, "trader");
        // The session lives on and the edge hands out the new role within a second.
        let mut role = String::new();
        for _ in 0..20 {
            let bearer = app.edge_check(&cookie).await.unwrap();
            let claims = crate::authz_parity::verify_with_jwks(&app, &bearer).await;
            role = claims["role"].as_str().unwrap().to_owned();
            if role == "trader" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(role, "trader", "[{}]", app.label);
    }
}
