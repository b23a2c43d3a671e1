//! `/resource/labels`: listing all scopes, creating/changing/deleting public labels,
//! private labels read-only (`resource.labels.private`), a public label beside a
//! private one with the same key, every validation key (a bad PATCH is a 422, W27), and
//! nothing leaking between users. Every test runs on every configured backend.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, errors, keys};

/// A confirmed user (private `email` = `verified`, level 1) and a resource token.
async fn member(app: &TestApp, email: &str) -> String {
    app.register_confirmed(email).await;
    app.bearer(email).await
}

/// The stored value of `email`'s label with this key and scope.
async fn stored(app: &TestApp, email: &str, key: &str, scope: &str) -> Option<String> {
    let user = app.user(email).await;
    barong::storage::labels::find(app.services.db.conn(), user.id, key, scope)
        .await
        .unwrap()
        .map(|l| l.value)
}

async fn label_count(app: &TestApp, email: &str) -> usize {
    let user = app.user(email).await;
    barong::storage::labels::list_for_user(app.services.db.conn(), user.id)
        .await
        .unwrap()
        .len()
}

async fn level(app: &TestApp, token: &str) -> i64 {
    let r = app
        .resource(Method::GET, "/users/me", token)
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["level"].as_i64().unwrap()
}

fn is_entity_time(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    s.len() == 20
        && s.ends_with('Z')
        && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok()
}

#[tokio::test]
async fn create_list_get_update_delete_a_public_label() {
    for app in TestApp::each_backend().await {
        let email = "labels@barong.test";
        let token = member(&app, email).await;
        let r = app
            .resource(Method::POST, "/labels", &token)
            .json(&json!({ "key": "  Trading-Tier ", "value": "Gold" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let created: Value = r.json().await.unwrap();
        let fields: Vec<&String> = created.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            ["key", "value", "scope", "created_at", "updated_at"]
        );
        assert_eq!(created["key"], "trading-tier", "normalised like Barong");
        assert_eq!(created["value"], "gold");
        assert_eq!(created["scope"], "public");
        assert!(is_entity_time(&created["created_at"]), "{created}");
        assert!(is_entity_time(&created["updated_at"]), "{created}");
        assert_eq!(
            stored(&app, email, "trading-tier", "public")
                .await
                .as_deref(),
            Some("gold")
        );

        // The list has every label, private ones included, oldest first.
        let r = app
            .resource(Method::GET, "/labels", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let list: Value = r.json().await.unwrap();
        let pairs: Vec<(&str, &str, &str)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["key"].as_str().unwrap(),
                    l["value"].as_str().unwrap(),
                    l["scope"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            pairs,
            [
                ("email", "verified", "private"),
                ("trading-tier", "gold", "public")
            ]
        );

        // By key, also when the client spells it with capitals.
        for path in ["/labels/trading-tier", "/labels/Trading-Tier"] {
            let r = app
                .resource(Method::GET, path, &token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["value"], "gold");
            assert_eq!(body["scope"], "public");
        }

        // PATCH with a form body (as Barong's clients send it).
        let r = app
            .resource(Method::PATCH, "/labels/trading-tier", &token)
            .form(&[("value", "Silver")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let patched: Value = r.json().await.unwrap();
        assert_eq!(patched["value"], "silver");
        assert_eq!(patched["key"], "trading-tier");
        assert_eq!(
            stored(&app, email, "trading-tier", "public")
                .await
                .as_deref(),
            Some("silver")
        );

        let r = app
            .resource(Method::DELETE, "/labels/trading-tier", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert!(r.bytes().await.unwrap().is_empty());
        assert_eq!(stored(&app, email, "trading-tier", "public").await, None);
        let r = app
            .resource(Method::GET, "/labels/trading-tier", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        // Public labels never move the level.
        assert_eq!(level(&app, &token).await, 1, "[{}]", app.label);
    }
}

#[tokio::test]
async fn private_labels_are_readable_but_not_changeable() {
    for app in TestApp::each_backend().await {
        let email = "private@barong.test";
        let token = member(&app, email).await;
        let r = app
            .resource(Method::GET, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["scope"], "private");
        assert_eq!(body["value"], "verified");

        let r = app
            .resource(Method::PATCH, "/labels/email", &token)
            .json(&json!({ "value": "unverified" }))
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (400, keys(&["resource.labels.private"])));
        let r = app
            .resource(Method::DELETE, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (400, keys(&["resource.labels.private"])));
        assert_eq!(
            stored(&app, email, "email", "private").await.as_deref(),
            Some("verified")
        );
        assert_eq!(level(&app, &token).await, 1);
    }
}

#[tokio::test]
async fn a_public_label_beside_a_private_one_is_the_one_the_user_manages() {
    for app in TestApp::each_backend().await {
        let email = "twin@barong.test";
        let token = member(&app, email).await;
        let r = app
            .resource(Method::POST, "/labels", &token)
            .json(&json!({ "key": "email", "value": "mine" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}] same key, other scope", app.label);
        let r = app
            .resource(Method::GET, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            (&body["scope"], &body["value"]),
            (&json!("public"), &json!("mine"))
        );

        let r = app
            .resource(Method::PATCH, "/labels/email", &token)
            .json(&json!({ "value": "ours" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            stored(&app, email, "email", "public").await.as_deref(),
            Some("ours")
        );
        assert_eq!(
            stored(&app, email, "email", "private").await.as_deref(),
            Some("verified"),
            "the private twin is untouched"
        );

        let r = app
            .resource(Method::DELETE, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(stored(&app, email, "email", "public").await, None);
        assert_eq!(
            stored(&app, email, "email", "private").await.as_deref(),
            Some("verified")
        );
        // Only the private one is left: readable, not deletable.
        let r = app
            .resource(Method::GET, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["scope"], "private");
        let r = app
            .resource(Method::DELETE, "/labels/email", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (400, keys(&["resource.labels.private"])));
        assert_eq!(level(&app, &token).await, 1);
    }
}

#[tokio::test]
async fn every_validation_error_is_a_422_and_writes_nothing() {
    for app in TestApp::each_backend().await {
        let email = "strict@barong.test";
        let token = member(&app, email).await;
        let long = "a".repeat(256);
        let cases: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({}),
                vec![
                    "resource.label.missing_key",
                    "resource.label.empty_key",
                    "resource.label.missing_value",
                    "resource.label.empty_value",
                ],
            ),
            (
                json!({ "key": " ", "value": "" }),
                vec!["resource.label.empty_key", "resource.label.empty_value"],
            ),
            (
                json!({ "key": "ab", "value": "x y!" }),
                vec!["key.too_short", "value.invalid"],
            ),
            (
                json!({ "key": long, "value": "ab" }),
                vec!["key.too_long", "value.too_short"],
            ),
            (
                json!({ "key": "bad key", "value": long }),
                vec!["key.invalid", "value.too_long"],
            ),
            (
                json!({ "key": ["x"], "value": "fine" }),
                vec!["resource.label.invalid_key", "resource.label.empty_key"],
            ),
        ];
        for (body, expected) in cases {
            let r = app
                .resource(Method::POST, "/labels", &token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(
                errors(r).await,
                (422, keys(&expected)),
                "[{}] {body}",
                app.label
            );
        }
        assert_eq!(label_count(&app, email).await, 1, "only the email label");

        // Duplicate public key: Barong's model key, not a 500.
        let r = app
            .resource(Method::POST, "/labels", &token)
            .json(&json!({ "key": "tier", "value": "gold" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let r = app
            .resource(Method::POST, "/labels", &token)
            .json(&json!({ "key": "TIER", "value": "silver" }))
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (422, keys(&["key.taken"])));
        let r = app
            .resource(Method::POST, "/labels", &token)
            .json(&json!({ "key": "tier", "value": "!" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (
                422,
                keys(&["key.taken", "value.too_short", "value.invalid"])
            )
        );
        assert_eq!(label_count(&app, email).await, 2);

        // PATCH: a bad value is refused (Barong answered 200 and kept the row, W27).
        for (body, expected) in [
            (json!({ "value": "no" }), vec!["value.too_short"]),
            (json!({ "value": "a/b" }), vec!["value.invalid"]),
            (
                json!({}),
                vec!["resource.label.missing_value", "resource.label.empty_value"],
            ),
            (json!({ "value": "  " }), vec!["resource.label.empty_value"]),
        ] {
            let r = app
                .resource(Method::PATCH, "/labels/tier", &token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(errors(r).await, (422, keys(&expected)), "{body}");
        }
        assert_eq!(
            stored(&app, email, "tier", "public").await.as_deref(),
            Some("gold")
        );

        // Unknown keys.
        let r = app
            .resource(Method::PATCH, "/labels/nope", &token)
            .json(&json!({ "value": "whatever" }))
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        let r = app
            .resource(Method::DELETE, "/labels/nope", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
    }
}

#[tokio::test]
async fn labels_are_per_user_and_need_a_token() {
    for app in TestApp::each_backend().await {
        let alice = member(&app, "alice@barong.test").await;
        let bob = member(&app, "bob@barong.test").await;
        let r = app
            .resource(Method::POST, "/labels", &alice)
            .json(&json!({ "key": "secret-tier", "value": "gold" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        // Bob neither sees nor changes Alice's label; he may use the same key himself.
        let r = app
            .resource(Method::GET, "/labels/secret-tier", &bob)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        let r = app
            .resource(Method::DELETE, "/labels/secret-tier", &bob)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        let r = app
            .resource(Method::GET, "/labels", &bob)
            .send()
            .await
            .unwrap();
        let list: Value = r.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1, "only Bob's email label");
        let r = app
            .resource(Method::POST, "/labels", &bob)
            .json(&json!({ "key": "secret-tier", "value": "bronze" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(
            stored(&app, "alice@barong.test", "secret-tier", "public")
                .await
                .as_deref(),
            Some("gold")
        );

        for (method, path) in [
            (Method::GET, "/labels"),
            (Method::GET, "/labels/email"),
            (Method::POST, "/labels"),
            (Method::PATCH, "/labels/email"),
            (Method::DELETE, "/labels/email"),
        ] {
            let r = app
                .resource(method.clone(), path, "Bearer not-a-jwt")
                .send()
                .await
                .unwrap();
            assert_eq!(
                errors(r).await,
                (401, keys(&["jwt.decode_and_verify"])),
                "{method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn label_endpoints_are_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/v2/openapi.json").await.json().await.unwrap();
    let paths = &doc["paths"];
    for method in ["get", "post"] {
        assert!(
            paths["/api/v2/resource/labels"][method].is_object(),
            "{method} labels"
        );
    }
    for method in ["get", "patch", "delete"] {
        assert!(
            paths["/api/v2/resource/labels/{key}"][method].is_object(),
            "{method} labels/{{key}}"
        );
    }
}

#[tokio::test]
async fn two_racing_creations_of_one_key_make_one_label() {
    for app in TestApp::each_backend().await {
        let email = "racer@barong.test";
        let token = member(&app, email).await;
        let send = |value: &'static str| {
            app.resource(Method::POST, "/labels", &token)
                .json(&json!({ "key": "tier", "value": value }))
                .send()
        };
        let (a, b) = tokio::join!(send("gold"), send("silver"));
        let mut outcomes = vec![errors(a.unwrap()).await, errors(b.unwrap()).await];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [(201, vec![]), (422, keys(&["key.taken"]))],
            "[{}]",
            app.label
        );
        assert_eq!(label_count(&app, email).await, 2, "email and one tier");
    }
}
