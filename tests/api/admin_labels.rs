//! `/api/v2/admin/users/labels`: staff labels in any scope with Barong's rules, the
//! level following private labels, the KYC decision audited, who holds a label and the
//! per-value counts.

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin, staff};
use crate::helpers::{TestApp, errors, keys};

#[tokio::test]
async fn add_change_delete_follow_the_level_and_audit_kyc() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "compliance@barong.test", "compliance").await;
        app.register_confirmed("bob@barong.test").await;
        let bob = app.user("bob@barong.test").await;
        let uid = bob.uid.clone();
        assert_eq!(bob.level, 1, "[{}] email verified", app.label);
        let send = |method: Method, path: &str, body: Value| {
            admin(&app, method, path, &token).json(&body).send()
        };

        let r = send(
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "phone", "value": "verified", "scope": "private"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        assert_eq!(
            app.user("bob@barong.test").await.level,
            2,
            "[{}]",
            app.label
        );
        let r = send(
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "document", "value": "pending", "scope": "private"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201);
        // A public label by default; the same key again is taken.
        let r = send(
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "VIP Tier", "value": "gold"}),
        )
        .await
        .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["key.invalid"])));
        let r = send(
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "tier", "value": "gold"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201);
        let r = send(
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "tier", "value": "silver"}),
        )
        .await
        .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["key.taken"])));

        // The KYC decision.
        let r = send(
            Method::PUT,
            "/users/labels",
            json!({"uid": uid, "key": "document", "scope": "private", "value": "verified"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "200");
        assert_eq!(
            app.user("bob@barong.test").await.level,
            3,
            "[{}]",
            app.label
        );
        let r = admin(
            &app,
            Method::GET,
            &format!("/activities/admin?topic=kyc&target_uid={uid}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        let rows: Vec<Value> = r.json().await.unwrap();
        assert_eq!(rows.len(), 1, "[{}]", app.label);
        assert_eq!(
            (&rows[0]["action"], &rows[0]["admin"]["role"]),
            (&json!("verified"), &json!("compliance"))
        );
        // The label change itself is audited with its previous value.
        let r = admin(
            &app,
            Method::GET,
            &format!("/activities/admin?topic=labels&target_uid={uid}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        let rows: Vec<Value> = r.json().await.unwrap();
        assert_eq!(rows[0]["action"], "update", "[{}]", app.label);
        let data: Value = serde_json::from_str(rows[0]["data"].as_str().unwrap()).unwrap();
        assert_eq!(
            data,
            json!({"key": "document", "value": "verified", "scope": "private", "from": "pending"})
        );
        // A rejection is a decision too.
        let r = send(
            Method::PUT,
            "/users/labels",
            json!({"uid": uid, "key": "document", "scope": "private", "value": "rejected"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            app.user("bob@barong.test").await.level,
            2,
            "[{}]",
            app.label
        );
        let r = admin(
            &app,
            Method::GET,
            &format!("/activities/admin?topic=kyc&target_uid={uid}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        let rows: Vec<Value> = r.json().await.unwrap();
        let decisions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
        assert_eq!(decisions, ["rejected", "verified"]);
        let r = send(
            Method::POST,
            "/users/labels/update",
            json!({"uid": uid, "key": "tier", "scope": "public", "value": "platinum"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201);

        // Delete a private label: the level falls back.
        let r = admin(
            &app,
            Method::DELETE,
            &format!("/users/labels?uid={uid}&key=document&scope=private"),
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 204, "[{}]", app.label);
        assert_eq!(app.user("bob@barong.test").await.level, 2);
        let labels =
            barong::storage::labels::list_by_scope(app.services.db.conn(), bob.id, "public")
                .await
                .unwrap();
        assert_eq!(
            labels
                .iter()
                .map(|l| (l.key.as_str(), l.value.as_str()))
                .collect::<Vec<_>>(),
            [("tier", "platinum")]
        );
    }
}

#[tokio::test]
async fn label_errors() {
    let app = TestApp::spawn().await;
    let token = staff(&app, "admin@barong.test", "admin").await;
    app.register_confirmed("bob@barong.test").await;
    let uid = app.user("bob@barong.test").await.uid;
    let send = |method: Method, path: &str, body: Value| {
        admin(&app, method, path, &token).json(&body).send()
    };
    let me = app.user("admin@barong.test").await.uid;
    for (method, path, body, status, expected) in [
        (
            Method::PUT,
            "/users/labels",
            json!({"uid": me, "key": "document", "scope": "private", "value": "verified"}),
            422,
            vec!["admin.user.update_himself"],
        ),
        (
            Method::POST,
            "/users/labels",
            json!({"uid": me, "key": "document", "scope": "private", "value": "verified"}),
            422,
            vec!["admin.user.update_himself"],
        ),
        (
            Method::GET,
            "/users/labels/list?format=xml",
            json!({}),
            422,
            vec!["admin.user.invalid_format"],
        ),
        (
            Method::POST,
            "/users/labels",
            json!({}),
            422,
            vec![
                "admin.user.missing_uid",
                "admin.user.empty_uid",
                "admin.user.missing_key",
                "admin.user.empty_key",
                "admin.user.missing_value",
                "admin.user.empty_value",
            ],
        ),
        (
            Method::POST,
            "/users/labels",
            json!({"uid": uid, "key": "ab", "value": "ok!", "scope": "secret"}),
            422,
            vec!["key.too_short", "value.invalid", "scope.inclusion"],
        ),
        (
            Method::POST,
            "/users/labels",
            json!({"uid": "ID0000000000", "key": "tier", "value": "gold"}),
            404,
            vec!["admin.user.doesnt_exist"],
        ),
        (
            Method::PUT,
            "/users/labels",
            json!({"uid": uid, "key": "tier", "value": "gold"}),
            422,
            vec!["admin.user.missing_scope", "admin.user.empty_scope"],
        ),
        (
            Method::PUT,
            "/users/labels",
            json!({"uid": uid, "key": "tier", "scope": "public", "value": "gold"}),
            404,
            vec!["admin.label.doesnt_exist"],
        ),
        (
            Method::DELETE,
            "/users/labels",
            json!({"uid": uid, "key": "tier", "scope": "public"}),
            404,
            vec!["admin.label.doesnt_exist"],
        ),
    ] {
        let r = send(method.clone(), path, body.clone()).await.unwrap();
        assert_eq!(
            errors(r).await,
            (status, keys(&expected)),
            "{method} {body}"
        );
    }
}

#[tokio::test]
async fn who_holds_a_label_and_how_many() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        for name in ["ann", "bob", "cid"] {
            app.register_confirmed(&format!("{name}@barong.test")).await;
        }
        let ann = app.user("ann@barong.test").await;
        let cid = app.user("cid@barong.test").await;
        for user in [&ann, &cid] {
            barong::storage::labels::upsert(
                app.services.db.conn(),
                user.id,
                "document",
                "pending",
                "private",
            )
            .await
            .unwrap();
        }
        // In both scopes for ann: still listed once.
        barong::storage::labels::upsert(
            app.services.db.conn(),
            ann.id,
            "document",
            "pending",
            "public",
        )
        .await
        .unwrap();
        let r = admin(
            &app,
            Method::GET,
            "/users/labels?key=document&value=pending&limit=1",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.headers()["total"], "2");
        let rows: Vec<Value> = r.json().await.unwrap();
        assert_eq!(
            rows,
            vec![
                json!({"email": "ann@barong.test", "uid": ann.uid, "role": "member",
            "level": ann.level, "otp": false, "state": "active"})
            ]
        );
        let r = admin(&app, Method::GET, "/users/labels?page=0", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&[
                    "admin.user.missing_key",
                    "admin.user.empty_key",
                    "admin.user.missing_value",
                    "admin.user.empty_value",
                    "zero."
                ])
            )
        );

        let r = admin(&app, Method::GET, "/users/labels/list", &token)
            .send()
            .await
            .unwrap();
        let counts: Value = r.json().await.unwrap();
        assert_eq!(
            counts["[\"document\", \"pending\"]"], 2,
            "[{}] {counts}",
            app.label
        );
        assert_eq!(counts["[\"email\", \"verified\"]"], 4);
        let r = admin(&app, Method::GET, "/users/labels/list?format=array", &token)
            .send()
            .await
            .unwrap();
        let rows: Value = r.json().await.unwrap();
        assert_eq!(
            rows[0],
            json!({"key": "document", "value": "pending", "count": 2})
        );
    }
}
