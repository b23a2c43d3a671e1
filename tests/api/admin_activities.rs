//! `/api/v2/admin/activities`, `/activities/admin` and `/metrics`: filters, pagination
//! keys, the users each row names, and metrics that honour their period (W26) and count
//! 2FA logins.

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin, staff};
use crate::helpers::{PASSWORD, TestApp, errors, keys, now};

async fn get_json(app: &TestApp, token: &str, path: &str) -> (Vec<Value>, u64) {
    let r = admin(app, Method::GET, path, token).send().await.unwrap();
    assert_eq!(r.status(), 200, "[{}] {path}", app.label);
    let total = r.headers()["total"].to_str().unwrap().parse().unwrap();
    (r.json().await.unwrap(), total)
}

#[tokio::test]
async fn user_activities_with_filters_and_users() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        app.register_confirmed("bob@barong.test").await;
        let bob = app.user("bob@barong.test").await;
        // A failed login, then a good one.
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({"email": "bob@barong.test", "password": "wrong"}),
            )
            .await;
        assert_eq!(r.status(), 401);
        assert_eq!(app.login("bob@barong.test").await.status(), 201);

        let (rows, total) = get_json(
            &app,
            &token,
            &format!("/activities?uid={}&topic=session", bob.uid),
        )
        .await;
        assert_eq!(total, 2, "[{}] {rows:?}", app.label);
        assert_eq!(rows[0]["result"], "succeed", "newest first");
        assert_eq!(rows[1]["result"], "failed");
        assert_eq!(
            rows[0]["user"],
            json!({"email": "bob@barong.test", "uid": bob.uid,
            "role": "member", "level": bob.level, "otp": false, "state": "active"})
        );
        let fields: Vec<&str> = rows[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            [
                "user_ip",
                "user_agent",
                "topic",
                "action",
                "result",
                "data",
                "user",
                "created_at"
            ]
        );
        assert!(rows[0]["created_at"].as_str().unwrap().ends_with('Z'));
        // Same through email and with action and result filters, and time bounds.
        let (_, by_email) = get_json(
            &app,
            &token,
            "/activities?email=bob@barong.test&action=login",
        )
        .await;
        assert_eq!(by_email, 2);
        let (_, future) =
            get_json(&app, &token, &format!("/activities?from={}", now() + 3600)).await;
        assert_eq!(future, 0);
        let (_, nobody) = get_json(&app, &token, "/activities?uid=ID0000000000").await;
        assert_eq!(nobody, 0);
        // An admin change is an admin activity, never a user activity.
        let r = admin(&app, Method::POST, "/permissions", &token)
            .json(&json!({"role": "member", "verb": "get", "path": "api/v2/x", "action": "audit"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let (rows, _) = get_json(&app, &token, "/activities?limit=100").await;
        assert!(
            rows.iter().all(|r| r["topic"] != "permissions"),
            "[{}]",
            app.label
        );
        let (rows, total) = get_json(&app, &token, "/activities/admin?topic=permissions").await;
        assert_eq!(
            (total, &rows[0]["admin"]["email"]),
            (1, &json!("admin@barong.test"))
        );
        // The email filter ignores case, as emails are stored lower-case.
        let (_, by_email) = get_json(
            &app,
            &token,
            "/activities?email=Bob@Barong.TEST&topic=session",
        )
        .await;
        assert_eq!(by_email, 2, "[{}]", app.label);
        // Paging.
        let (rows, total) = get_json(&app, &token, "/activities?limit=1&page=2").await;
        assert!(total >= 3 && rows.len() == 1, "[{}]", app.label);
        for (query, expected) in [
            (
                "page=x",
                vec![
                    "admin.activity.non_integer_page",
                    "admin.activity.non_positive_page",
                ],
            ),
            ("limit=0", vec!["admin.activity.invalid_limit"]),
            ("from=yesterday", vec!["admin.activity.non_integer_from"]),
            ("to=now", vec!["admin.activity.non_integer_to"]),
            (
                "limit=ten",
                vec![
                    "admin.activity.non_integer_limit",
                    "admin.activity.invalid_limit",
                ],
            ),
        ] {
            let r = admin(&app, Method::GET, &format!("/activities?{query}"), &token)
                .send()
                .await
                .unwrap();
            assert_eq!(errors(r).await, (422, keys(&expected)), "{query}");
        }
        let r = admin(&app, Method::GET, "/activities/admin?range=updated", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["admin.user.invalid_range"])));
    }
}

async fn metrics(app: &TestApp, token: &str, query: &str) -> Value {
    let r = admin(app, Method::GET, &format!("/metrics{query}"), token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "[{}] {query}", app.label);
    r.json().await.unwrap()
}

fn count(m: &Value, series: &str, day: &str) -> i64 {
    m[series][day].as_i64().unwrap_or(0)
}

#[tokio::test]
async fn metrics_count_per_day_within_the_period() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "accountant").await;
        app.register_confirmed("bob@barong.test").await;
        app.register_confirmed("eve@barong.test").await;
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let before = metrics(&app, &token, "").await;
        assert_eq!(
            before["signups"],
            json!({ today.clone(): 3 }),
            "[{}] {before}",
            app.label
        );
        assert_eq!(before["pending_applications"], 0);

        assert_eq!(app.login("bob@barong.test").await.status(), 201);
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({"email": "eve@barong.test", "password": "nope"}),
            )
            .await;
        assert_eq!(r.status(), 401);
        // A 2FA login counts as a successful login (Barong's metrics missed them); the
        // web client's first step without the code is not a failed login.
        let totp = app.enable_2fa("eve@barong.test").await;
        let r = app
            .post(
                "/api/v2/identity/sessions",
                json!({"email": "eve@barong.test", "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status(), 403, "[{}]", app.label);
        let r = app
            .post("/api/v2/identity/sessions",
                  json!({"email": "eve@barong.test", "password": PASSWORD, "otp_code": totp.code_at(now())}))
            .await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let user = app.user("bob@barong.test").await;
        barong::storage::labels::upsert(
            app.services.db.conn(),
            user.id,
            "document",
            "pending",
            "private",
        )
        .await
        .unwrap();

        let after = metrics(&app, &token, "").await;
        assert_eq!(
            count(&after, "successful_logins", &today)
                - count(&before, "successful_logins", &today),
            2,
            "[{}] {after}",
            app.label
        );
        assert_eq!(
            after["sucessful_logins"], after["successful_logins"],
            "Barong's spelling kept"
        );
        assert_eq!(
            count(&after, "failed_logins", &today) - count(&before, "failed_logins", &today),
            1
        );
        assert_eq!(after["pending_applications"], 1);
        // The period is honoured (W26), as unix seconds or as days.
        let later = metrics(&app, &token, &format!("?created_from={}", now() + 86_400)).await;
        assert_eq!(
            (&later["signups"], &later["successful_logins"]),
            (&json!({}), &json!({}))
        );
        let day = metrics(
            &app,
            &token,
            &format!("?created_from={today}&created_to={today}"),
        )
        .await;
        assert_eq!(day["signups"][&today], 3);
        // Days are grouped per backend's own date function; a day's last fraction of a
        // second belongs to it.
        let bob = app.user("bob@barong.test").await;
        let at = |day: &str, time: &str| {
            chrono::NaiveDateTime::parse_from_str(&format!("{day} {time}"), "%Y-%m-%d %H:%M:%S%.f")
                .unwrap()
        };
        for created_at in [
            at("2026-01-01", "23:59:59.500"),
            at("2026-01-02", "00:00:00.250"),
            at("2026-01-02", "12:00:00"),
        ] {
            use barong::storage::entities::activities;
            use sea_orm::{ActiveModelTrait, Set};
            activities::ActiveModel {
                user_id: Set(bob.id),
                target_uid: Set(None),
                category: Set(Some("user".into())),
                user_ip: Set("127.0.0.1".into()),
                user_agent: Set("test".into()),
                topic: Set("account".into()),
                action: Set("signup".into()),
                result: Set("succeed".into()),
                data: Set(None),
                created_at: Set(created_at),
                ..Default::default()
            }
            .insert(app.services.db.conn())
            .await
            .unwrap();
        }
        let past = metrics(
            &app,
            &token,
            "?created_from=2026-01-01&created_to=2026-01-02",
        )
        .await;
        assert_eq!(
            past["signups"],
            json!({"2026-01-01": 1, "2026-01-02": 2}),
            "[{}]",
            app.label
        );
        let first = metrics(
            &app,
            &token,
            "?created_from=2026-01-01&created_to=2026-01-01",
        )
        .await;
        assert_eq!(
            first["signups"],
            json!({"2026-01-01": 1}),
            "[{}]",
            app.label
        );
        for (query, key) in [
            ("created_from=soon", "admin.metrics.invalid_created_from"),
            ("created_to=later", "admin.metrics.invalid_created_to"),
        ] {
            let r = admin(&app, Method::GET, &format!("/metrics?{query}"), &token)
                .send()
                .await
                .unwrap();
            assert_eq!(errors(r).await, (422, keys(&[key])));
        }
    }
}
