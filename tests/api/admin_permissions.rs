//! `/api/v2/admin/permissions`: the admin guard, listing, create/update/delete with
//! Barong's keys, audit rows, and a change reaching the edge check of a second instance
//! sharing the database (and Redis) within a second.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin, staff};
use crate::helpers::{TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

async fn permission_rows(app: &TestApp, token: &str) -> Vec<Value> {
    let r = admin(app, Method::GET, "/permissions?limit=100", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut rows: Vec<Value> = r.json().await.unwrap();
    let total = rows.len();
    let mut page = 2;
    while rows.len() == total && total.is_multiple_of(100) && total > 0 {
        let r = admin(
            app,
            Method::GET,
            &format!("/permissions?limit=100&page={page}"),
            token,
        )
        .send()
        .await
        .unwrap();
        let more: Vec<Value> = r.json().await.unwrap();
        if more.is_empty() {
            break;
        }
        rows.extend(more);
        page += 1;
    }
    rows
}

fn find<'a>(rows: &'a [Value], role: &str, verb: &str, path: &str) -> Option<&'a Value> {
    rows.iter()
        .find(|r| r["role"] == role && r["verb"] == verb && r["path"] == path)
}

#[tokio::test]
async fn only_admin_roles_get_in() {
    let app = TestApp::spawn().await;
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/admin/permissions"))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (401, keys(&["jwt.decode_and_verify"])));
    app.register_confirmed("member@barong.test").await;
    let member = app.bearer("member@barong.test").await;
    let r = admin(&app, Method::GET, "/permissions", &member)
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (401, keys(&["admin.access.denied"])));
    // A staff role listed in BARONG_ADMIN_ROLES gets in; a banned admin does not.
    let support = staff(&app, "support@barong.test", "support").await;
    let r = admin(&app, Method::GET, "/permissions", &support)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let user = app.user("support@barong.test").await;
    barong::storage::users::set_state(app.services.db.conn(), user.id, "banned")
        .await
        .unwrap();
    let r = admin(&app, Method::GET, "/permissions", &support)
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (401, keys(&["authz.user_not_active"])));
}

#[tokio::test]
async fn list_is_paginated_in_id_order() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        let r = admin(&app, Method::GET, "/permissions?limit=5&page=2", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let total: u64 = r.headers()["total"].to_str().unwrap().parse().unwrap();
        assert!(total > 50, "[{}] the default table is seeded", app.label);
        assert_eq!(r.headers()["per-page"], "5");
        let rows: Vec<Value> = r.json().await.unwrap();
        assert_eq!(rows.len(), 5);
        let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        let first = rows[0].as_object().unwrap();
        let fields: Vec<&str> = first.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "id",
                "action",
                "role",
                "verb",
                "path",
                "topic",
                "created_at",
                "updated_at"
            ]
        );
        let created = first["created_at"].as_str().unwrap();
        assert!(created.len() == 24 && created.ends_with('Z'), "{created}");
        for (query, expected) in [
            (
                "page=abc",
                vec![
                    "admin.user.non_integer_page",
                    "admin.user.non_positive_page",
                ],
            ),
            ("page=0", vec!["admin.user.non_positive_page"]),
            ("limit=101", vec!["admin.user.invalid_limit"]),
        ] {
            let r = admin(&app, Method::GET, &format!("/permissions?{query}"), &token)
                .send()
                .await
                .unwrap();
            assert_eq!(errors(r).await, (422, keys(&expected)), "{query}");
        }
    }
}

#[tokio::test]
async fn create_update_delete_with_barong_keys_and_audit_rows() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        let post = |body: Value| {
            admin(&app, Method::POST, "/permissions", &token)
                .json(&body)
                .send()
        };
        let r = post(json!({})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&[
                    "admin.permission.missing_role",
                    "admin.permission.empty_role",
                    "admin.permission.missing_verb",
                    "admin.permission.empty_verb",
                    "admin.permission.missing_path",
                    "admin.permission.empty_path",
                    "admin.permission.missing_action",
                    "admin.permission.empty_action",
                ])
            )
        );
        let r =
            post(json!({"role": "member", "verb": "TRACE", "path": "api/v2/x", "action": "allow"}))
                .await
                .unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&[
                    "admin.permissions.invalid_verb",
                    "admin.permissions.invalid_action"
                ])
            )
        );
        let r =
            post(json!({"role": "pirate", "verb": "get", "path": "api/v2/x", "action": "accept"}))
                .await
                .unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.role_doesnt_exist"]))
        );

        // PATCH and ALL can be written (Barong refused them), verb and action upper-cased.
        let body = json!({"role": "member", "verb": "patch", "path": "/api/v2/barong/resource/x",
                          "action": "audit", "topic": "x"});
        let r = post(body.clone()).await.unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        let r = post(body).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.already_exists"]))
        );
        let rows = permission_rows(&app, &token).await;
        let row = find(&rows, "member", "PATCH", "api/v2/barong/resource/x")
            .unwrap()
            .clone();
        assert_eq!(
            (&row["action"], &row["topic"]),
            (&json!("AUDIT"), &json!("x"))
        );
        let id = row["id"].as_i64().unwrap();

        // Update: explicit fields only, Barong's keys.
        let put = |body: Value| {
            admin(&app, Method::PUT, "/permissions", &token)
                .json(&body)
                .send()
        };
        let r = put(json!({"id": id})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&["admin.permission.one_of_role_type_path_action"])
            )
        );
        let r = put(json!({"id": "x", "action": "drop"})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.non_integer_id"]))
        );
        let r = put(json!({"id": 999_999, "action": "drop"})).await.unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        let r = put(json!({"id": id, "action": "audit"})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.action_no_change"]))
        );
        let r = put(json!({"id": id, "path": "/api/v2/barong/resource/x"}))
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.path_no_change"])),
            "the path is normalised before it is compared"
        );
        let r = put(json!({"id": id, "path": "/"})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.empty_path"]))
        );
        let r = put(json!({"id": id, "verb": "fetch"})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permissions.invalid_verb"]))
        );
        let r = put(json!({"id": id, "role": "pirate"})).await.unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.role_doesnt_exist"]))
        );
        let r = put(json!({"id": id, "action": "drop", "topic": ""}))
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "200");
        let rows = permission_rows(&app, &token).await;
        let row = rows.iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(
            (&row["action"], &row["topic"], &row["verb"]),
            (&json!("DROP"), &Value::Null, &json!("PATCH"))
        );

        // Delete.
        let r = admin(&app, Method::DELETE, "/permissions?id=first", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (422, keys(&["admin.permission.non_integer_id"]))
        );
        let r = admin(&app, Method::DELETE, "/permissions", &token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&["admin.permission.missing_id", "admin.permission.empty_id"])
            )
        );
        let r = admin(
            &app,
            Method::DELETE,
            &format!("/permissions?id={id}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 204, "[{}]", app.label);
        let r = admin(
            &app,
            Method::DELETE,
            &format!("/permissions?id={id}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        assert!(
            permission_rows(&app, &token)
                .await
                .iter()
                .all(|r| r["id"] != id)
        );

        // Every change is an admin activity of the acting admin.
        let r = admin(
            &app,
            Method::GET,
            "/activities/admin?topic=permissions",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let rows: Vec<Value> = r.json().await.unwrap();
        let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["delete", "update", "create"], "[{}]", app.label);
        assert_eq!(rows[0]["admin"]["email"], "admin@barong.test");
        assert_eq!(rows[0]["result"], "succeed");
    }
}

/// A member with 2FA and an API key (kid, secret): signed requests need no session, so
/// any instance can check them, whatever the session store.
async fn member_key(app: &TestApp) -> (String, String) {
    app.register_confirmed("member@barong.test").await;
    let token = app.bearer("member@barong.test").await;
    app.enable_2fa("member@barong.test").await;
    let totp = RefTotp::new(b"0123456789abcdefghij".to_vec());
    let now = steady_now().await;
    let r = app
        .resource(Method::POST, "/api_keys", &token)
        .json(&json!({ "algorithm": "HS256", "totp_code": totp.code(now, 0) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "[{}]", app.label);
    let key: Value = r.json().await.unwrap();
    (
        key["kid"].as_str().unwrap().to_owned(),
        key["secret"].as_str().unwrap().to_owned(),
    )
}

/// Polls the edge check of `app` until it gives `want` (allow = true); fails when it
/// does not within the promised second.
async fn edge_becomes(app: &TestApp, (kid, secret): &(String, String), want: bool) {
    let start = std::time::Instant::now();
    loop {
        let answer = app.api_key_check(kid, secret, "HS256").await;
        if answer.is_ok() == want || start.elapsed() > Duration::from_millis(1000) {
            assert_eq!(
                answer.is_ok(),
                want,
                "[{}] edge did not follow within 1 s: {answer:?}",
                app.label
            );
            if let Err((status, body)) = answer {
                assert_eq!(status, 401);
                assert!(body.contains("authz.invalid_permission"), "{body}");
            }
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_permission_created_here_applies_at_another_instance_within_a_second() {
    for app in TestApp::each_backend().await {
        let other = app.twin().await;
        let token = staff(&app, "admin@barong.test", "admin").await;
        let key = member_key(&app).await;
        edge_becomes(&other, &key, true).await;
        let r = admin(&app, Method::POST, "/permissions", &token)
            .json(&json!({"role": "member", "verb": "get",
                          "path": "api/v2/barong/resource/users/me", "action": "drop"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        edge_becomes(&other, &key, false).await;
        let rows = permission_rows(&app, &token).await;
        let id = find(&rows, "member", "GET", "api/v2/barong/resource/users/me")
            .filter(|r| r["action"] == "DROP")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let r = admin(
            &app,
            Method::DELETE,
            &format!("/permissions?id={id}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 204, "[{}] {:?}", app.label, r.text().await);
        edge_becomes(&other, &key, true).await;
    }
}
