//! `/api/v2/admin/users` reading: 10,000 users paged and filtered without a repeat or
//! a gap, the pending-KYC queue longest-waiting first, one user by uid.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use reqwest::Method;
use sea_orm::{EntityTrait, Set};
use serde_json::Value;

use crate::admin_support::{admin, staff};
use crate::helpers::{TestApp, errors, keys};

const USERS: usize = 10_000;

fn base_time() -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_700_000_000, 0)
        .unwrap()
        .naive_utc()
}

fn role_of(i: usize) -> &'static str {
    ["member", "trader", "broker"][i % 3]
}

fn state_of(i: usize) -> &'static str {
    if i.is_multiple_of(7) {
        "banned"
    } else {
        "active"
    }
}

fn level_of(i: usize) -> i32 {
    i32::try_from(i % 4).unwrap()
}

/// Inserts the crowd in batches (one statement per 500 rows), created a minute apart.
async fn crowd(app: &TestApp) {
    use barong::storage::entities::users;
    let rows: Vec<users::ActiveModel> = (0..USERS)
        .map(|i| {
            let at = base_time() + Duration::minutes(i64::try_from(i).unwrap());
            users::ActiveModel {
                uid: Set(format!("ID{i:010}")),
                email: Set(format!("user{i}@crowd.test")),
                password_digest: Set("x".to_owned()),
                role: Set(role_of(i).to_owned()),
                level: Set(level_of(i)),
                otp: Set(false),
                state: Set(state_of(i).to_owned()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        users::Entity::insert_many(chunk.to_vec())
            .exec(app.services.db.conn())
            .await
            .unwrap();
    }
}

/// Every uid of every page of `query` (limit 100), checking the Total header.
async fn walk(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let mut uids = Vec::new();
    let mut page = 1;
    loop {
        let r = admin(
            app,
            Method::GET,
            &format!("/users?limit=100&page={page}&{query}"),
            token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 200, "[{}] {query}", app.label);
        let total: usize = r.headers()["total"].to_str().unwrap().parse().unwrap();
        let rows: Vec<Value> = r.json().await.unwrap();
        if rows.is_empty() {
            assert_eq!(
                uids.len(),
                total,
                "[{}] {query}: pages add up to Total",
                app.label
            );
            return uids;
        }
        uids.extend(rows.iter().map(|r| r["uid"].as_str().unwrap().to_owned()));
        page += 1;
    }
}

fn crowd_uids(pick: impl Fn(usize) -> bool) -> Vec<String> {
    (0..USERS)
        .filter(|i| pick(*i))
        .map(|i| format!("ID{i:010}"))
        .collect()
}

#[tokio::test]
async fn ten_thousand_users_filtered_and_paged_stably() {
    for app in TestApp::each_backend().await {
        crowd(&app).await;
        let token = staff(&app, "admin@barong.test", "admin").await;

        let all = walk(&app, &token, "").await;
        assert_eq!(all.len(), USERS + 1, "[{}]", app.label);
        assert_eq!(
            all.iter().collect::<HashSet<_>>().len(),
            all.len(),
            "no repeats"
        );
        assert_eq!(all[..USERS], crowd_uids(|_| true)[..], "id order");

        let traders = walk(&app, &token, "role=trader").await;
        assert_eq!(
            traders,
            crowd_uids(|i| role_of(i) == "trader"),
            "[{}]",
            app.label
        );
        let banned_l2 = walk(&app, &token, "state=banned&level=2").await;
        assert_eq!(
            banned_l2,
            crowd_uids(|i| state_of(i) == "banned" && level_of(i) == 2)
        );
        // The second day of sign-ups: minutes 1440..2879, both ends inclusive.
        let day = 1_700_000_000 + 86_400;
        let second_day = walk(
            &app,
            &token,
            &format!("range=created&from={day}&to={}", day + 86_340),
        )
        .await;
        assert_eq!(
            second_day,
            crowd_uids(|i| (1440..2880).contains(&i)),
            "[{}]",
            app.label
        );
        // `range=updated`: the updated_at of user 5 moves to now, the only crowd member
        // updated today.
        let five = app.user("user5@crowd.test").await;
        barong::storage::users::set_level(app.services.db.conn(), five.id, 3)
            .await
            .unwrap();
        let today = crate::helpers::now() - 3600;
        let updated = walk(
            &app,
            &token,
            &format!("range=updated&from={today}&role=broker"),
        )
        .await;
        assert_eq!(updated, ["ID0000000005"], "[{}]", app.label);
        let one = walk(&app, &token, "email=USER42@crowd.test").await;
        assert_eq!(one, ["ID0000000042"]);
    }
}

#[tokio::test]
async fn directory_errors_and_one_user() {
    let app = TestApp::spawn().await;
    let token = staff(&app, "admin@barong.test", "admin").await;
    for (query, expected) in [
        ("extended=maybe", vec!["admin.user.non_boolean_extended"]),
        ("level=high", vec!["admin.user.non_integer_level"]),
        ("range=deleted", vec!["admin.user.invalid_range"]),
        ("from=yesterday", vec!["admin.user.non_integer_from"]),
        ("to=now", vec!["admin.user.non_integer_to"]),
        (
            "limit=all",
            vec!["admin.user.non_integer_limit", "admin.user.invalid_limit"],
        ),
        (
            "page=0&limit=101",
            vec!["admin.user.non_positive_page", "admin.user.invalid_limit"],
        ),
    ] {
        let r = admin(&app, Method::GET, &format!("/users?{query}"), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&expected)), "{query}");
    }
    let uid = app.user("admin@barong.test").await.uid;
    let r = admin(&app, Method::GET, &format!("/users/{uid}"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (&body["uid"], &body["email"]),
        (
            &Value::from(uid.as_str()),
            &Value::from("admin@barong.test")
        )
    );
    let r = admin(&app, Method::GET, "/users/ID0000000000", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (404, keys(&["admin.user.doesnt_exist"])));
}

#[tokio::test]
async fn pending_documents_longest_waiting_first() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        for name in ["ann", "bob", "cid", "dan"] {
            app.register_confirmed(&format!("{name}@barong.test")).await;
        }
        // cid waits longest, then ann; bob was already decided; dan sent nothing.
        for (name, value) in [("cid", "pending"), ("ann", "pending"), ("bob", "verified")] {
            let user = app.user(&format!("{name}@barong.test")).await;
            barong::storage::labels::upsert(
                app.services.db.conn(),
                user.id,
                "document",
                value,
                "private",
            )
            .await
            .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        }
        let r = admin(&app, Method::GET, "/users/documents/pending", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.headers()["total"], "2");
        let rows: Vec<Value> = r.json().await.unwrap();
        let emails: Vec<&str> = rows.iter().map(|r| r["email"].as_str().unwrap()).collect();
        assert_eq!(
            emails,
            ["cid@barong.test", "ann@barong.test"],
            "[{}]",
            app.label
        );
        let r = admin(
            &app,
            Method::GET,
            "/users/documents/pending?email=ann@barong.test",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.headers()["total"], "1");
        let r = admin(
            &app,
            Method::GET,
            "/users/documents/pending?limit=1001",
            &token,
        )
        .send()
        .await
        .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["1..1000."])));
    }
}

/// Submits a KYC profile for `email` through the resource API.
async fn submit_profile(app: &TestApp, email: &str, first_name: &str, country: &str) {
    let token = app.bearer(email).await;
    let r = app
        .resource(Method::POST, "/profiles", &token)
        .json(
            &serde_json::json!({"first_name": first_name, "last_name": "Doe", "dob": "1990-02-28",
            "address": "1 Main St.", "postcode": "75001", "city": "Paris", "country": country}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "[{}] {:?}", app.label, r.text().await);
}

#[tokio::test]
async fn profile_filters_extended_rows_and_full_info() {
    for app in TestApp::each_backend().await {
        let token = staff(&app, "admin@barong.test", "admin").await;
        for name in ["ann", "bob", "cid"] {
            app.register_confirmed(&format!("{name}@barong.test")).await;
        }
        submit_profile(&app, "ann@barong.test", "Ann", "FR").await;
        submit_profile(&app, "bob@barong.test", "Bob", "DE").await;

        let (rows, total) = list(&app, &token, "/users?country=FR").await;
        assert_eq!(total, 1, "[{}]", app.label);
        assert_eq!(rows[0]["email"], "ann@barong.test");
        assert!(
            rows[0].get("profile").is_none(),
            "plain User entities without `extended`"
        );
        let (_, total) = list(&app, &token, "/users?first_name=Bob&country=FR").await;
        assert_eq!(total, 0);

        let (rows, _) = list(&app, &token, "/users?extended=true&role=member").await;
        let by_email = |e: &str| rows.iter().find(|r| r["email"] == e).unwrap().clone();
        let ann = by_email("ann@barong.test");
        let fields: Vec<&str> = ann
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            [
                "email",
                "uid",
                "role",
                "level",
                "otp",
                "state",
                "profile",
                "created_at",
                "updated_at"
            ]
        );
        assert_eq!(
            (&ann["profile"]["first_name"], &ann["profile"]["dob"]),
            (&Value::from("Ann"), &Value::from("1990-02-28"))
        );
        assert_eq!(by_email("cid@barong.test")["profile"], Value::Null);

        let ann_token = app.bearer("ann@barong.test").await;
        let r = app
            .resource(Method::POST, "/phones", &ann_token)
            .json(&serde_json::json!({"phone_number": "+44 07418084106"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let r = crate::resource_documents::upload_valid(
            &app,
            &ann_token,
            &[(
                "passport.png",
                crate::resource_documents::png(),
                "image/png",
            )],
        )
        .await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let uid = app.user("ann@barong.test").await.uid;
        let r = admin(&app, Method::GET, &format!("/users/{uid}"), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let full: Value = r.json().await.unwrap();
        let fields: Vec<&str> = full
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            [
                "email",
                "uid",
                "role",
                "level",
                "otp",
                "state",
                "profile",
                "labels",
                "phones",
                "documents",
                "created_at",
                "updated_at"
            ]
        );
        assert_eq!(full["profile"]["country"], "FR");
        let documents = full["documents"].as_array().unwrap();
        assert_eq!(
            (documents.len(), &documents[0]["doc_type"]),
            (1, &Value::from("Passport"))
        );
        let url = documents[0]["upload"]["url"].as_str().unwrap().to_owned();
        assert!(
            url.starts_with("/api/v2/admin/users/documents/") && url.ends_with("/upload"),
            "{url}"
        );
        let r = reqwest::Client::new()
            .get(app.url(&url))
            .header("Authorization", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "[{}] the reviewer download works",
            app.label
        );
        assert_eq!(
            r.bytes().await.unwrap().to_vec(),
            crate::resource_documents::png()
        );
        // Behind a gateway that rewrote /api/v2/barong/..., the URL keeps the public prefix.
        let r = admin(&app, Method::GET, &format!("/users/{uid}"), &token)
            .header(
                "X-Original-URI",
                format!("/api/v2/barong/admin/users/{uid}"),
            )
            .send()
            .await
            .unwrap();
        let full_via_gateway: Value = r.json().await.unwrap();
        assert_eq!(
            full_via_gateway["documents"][0]["upload"]["url"],
            url.replace("/api/v2/admin/", "/api/v2/barong/admin/")
        );
        assert_eq!(
            full["phones"],
            serde_json::json!([{"country": "GB", "number": "447418084106", "validated_at": null}])
        );
        let labels: Vec<(&str, &str)> = full["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["key"].as_str().unwrap(), l["scope"].as_str().unwrap()))
            .collect();
        assert!(
            labels.contains(&("email", "private")) && labels.contains(&("profile", "private")),
            "{labels:?}"
        );
    }
}

async fn list(app: &TestApp, token: &str, path: &str) -> (Vec<Value>, u64) {
    let r = admin(app, Method::GET, path, token).send().await.unwrap();
    assert_eq!(r.status(), 200, "[{}] {path}", app.label);
    let total = r.headers()["total"].to_str().unwrap().parse().unwrap();
    (r.json().await.unwrap(), total)
}
