//! `/resource/profiles`: 404 before a profile exists, submitting one (Profile entity,
//! private `profile` label, level recomputed), 409 for a second one (also when two race),
//! every validation key, and no partial write when anything fails. Every test runs on
//! every configured backend.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, errors, keys};

/// A confirmed user (level 1) and a resource token.
async fn member(app: &TestApp, email: &str) -> String {
    app.register_confirmed(email).await;
    app.bearer(email).await
}

fn valid() -> Value {
    json!({
        "first_name": "  Jean-Luc ", "last_name": "O'Neil", "dob": "1990-02-28",
        "address": "12 Main St., Apt #4", "postcode": "75001", "city": "Paris",
        "country": "fra", "metadata": { "source": "web", "tier": 2 }
    })
}

async fn profile_row(app: &TestApp, email: &str) -> Option<barong::storage::profiles::Profile> {
    let user = app.user(email).await;
    barong::storage::profiles::find_for_user(app.services.db.conn(), user.id)
        .await
        .unwrap()
}

async fn private_label(app: &TestApp, email: &str, key: &str) -> Option<String> {
    let user = app.user(email).await;
    barong::storage::labels::find(app.services.db.conn(), user.id, key, "private")
        .await
        .unwrap()
        .map(|l| l.value)
}

#[tokio::test]
async fn submit_then_read_the_profile() {
    for app in TestApp::each_backend().await {
        let email = "kyc@barong.test";
        let token = member(&app, email).await;
        let r = app
            .resource(Method::GET, "/profiles/me", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (404, keys(&["resource.profile.not_exist"])),
            "[{}]",
            app.label
        );

        let r = app
            .resource(Method::POST, "/profiles", &token)
            .json(&valid())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let created: Value = r.json().await.unwrap();
        let fields: Vec<&String> = created.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "first_name",
                "last_name",
                "dob",
                "address",
                "postcode",
                "city",
                "country",
                "metadata"
            ]
        );
        assert_eq!(
            created,
            json!({
                "first_name": "Jean-Luc", "last_name": "O'Neil", "dob": "1990-02-28",
                "address": "12 Main St., Apt #4", "postcode": "75001", "city": "Paris",
                "country": "FRA", "metadata": { "source": "web", "tier": 2 }
            })
        );

        let r = app
            .resource(Method::GET, "/profiles/me", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap(), created);
        let row = profile_row(&app, email).await.unwrap();
        assert_eq!(row.country.as_deref(), Some("FRA"));
        assert_eq!(
            private_label(&app, email, "profile").await.as_deref(),
            Some("verified")
        );
        // The label is visible to the user, and read-only.
        let r = app
            .resource(Method::GET, "/labels/profile", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["scope"], "private");
        let r = app
            .resource(Method::DELETE, "/labels/profile", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (400, keys(&["resource.labels.private"])));

        // One profile per user.
        let r = app
            .resource(Method::POST, "/profiles", &token)
            .json(&json!({ "first_name": "Other", "last_name": "Name", "dob": "1980-01-01",
                           "address": "1 Road", "postcode": "12345", "city": "Kyiv", "country": "UA" }))
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (409, keys(&["resource.profile.exist"])));
        let row = profile_row(&app, email).await.unwrap();
        assert_eq!(row.first_name.as_deref(), Some("Jean-Luc"), "unchanged");
    }
}

#[tokio::test]
async fn submitting_a_profile_recomputes_the_level() {
    for app in TestApp::each_backend().await {
        let email = "ladder@barong.test";
        let token = member(&app, email).await;
        let conn = app.services.db.conn();
        // An operator's ladder with a fourth rung for the profile.
        barong::storage::levels::insert_if_missing(
            conn,
            "profile",
            "verified",
            "Profile filled in",
        )
        .await
        .unwrap();
        let user = app.user(email).await;
        for key in ["phone", "document"] {
            barong::services::levels::set_private_label(conn, user.id, key, "verified")
                .await
                .unwrap();
        }
        assert_eq!(app.user(email).await.level, 3, "[{}]", app.label);

        let r = app
            .resource(Method::POST, "/profiles", &token)
            .json(&valid())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        let r = app
            .resource(Method::GET, "/users/me", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["level"], 4);
    }
}

#[tokio::test]
async fn an_admins_profile_label_is_kept() {
    for app in TestApp::each_backend().await {
        let email = "flagged@barong.test";
        let token = member(&app, email).await;
        let user = app.user(email).await;
        barong::services::levels::set_private_label(
            app.services.db.conn(),
            user.id,
            "profile",
            "rejected",
        )
        .await
        .unwrap();
        let r = app
            .resource(Method::POST, "/profiles", &token)
            .json(&valid())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(
            private_label(&app, email, "profile").await.as_deref(),
            Some("rejected")
        );
    }
}

#[tokio::test]
async fn a_form_body_with_metadata_as_json_text() {
    for app in TestApp::each_backend().await {
        let email = "form@barong.test";
        let token = member(&app, email).await;
        let r = app
            .resource(Method::POST, "/profiles", &token)
            .form(&[
                ("first_name", "Олена"),
                ("last_name", "Шевченко"),
                ("dob", "1985-07-01"),
                ("address", "вул. Хрещатик, 1"),
                ("postcode", "01001"),
                ("city", "Київ"),
                ("country", "UA"),
                ("metadata", r#"{"referrer":"friend"}"#),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "[{}] {:?}", app.label, r.text().await);
        let r = app
            .resource(Method::GET, "/profiles/me", &token)
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["city"], "Київ");
        assert_eq!(body["metadata"], json!({ "referrer": "friend" }));
    }
}

#[tokio::test]
async fn every_validation_error_is_a_422_and_nothing_is_written() {
    for app in TestApp::each_backend().await {
        let email = "invalid@barong.test";
        let token = member(&app, email).await;
        let with = |patch: Value| {
            let mut body = valid();
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let big = "x".repeat(16 * 1024);
        let cases: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({}),
                vec![
                    "resource.profile.missing_first_name",
                    "resource.profile.missing_last_name",
                    "resource.profile.missing_dob",
                    "resource.profile.missing_address",
                    "resource.profile.missing_postcode",
                    "resource.profile.missing_city",
                    "resource.profile.missing_country",
                ],
            ),
            (
                json!({ "first_name": " ", "last_name": "", "dob": "", "address": " ",
                        "postcode": "", "city": "\t", "country": "" }),
                vec![
                    "first_name.blank",
                    "last_name.blank",
                    "dob.blank",
                    "address.blank",
                    "postcode.blank",
                    "city.blank",
                    "country.blank",
                ],
            ),
            (
                with(
                    json!({ "first_name": "Bob, Jr", "last_name": "x".repeat(256),
                             "address": "1 <script>", "postcode": "1", "city": "Paris!",
                             "country": "Ukraine" }),
                ),
                vec![
                    "first_name.invalid",
                    "last_name.too_long",
                    "address.invalid",
                    "postcode.too_short",
                    "city.invalid",
                    "country.must have alpha2 or alpha3 format",
                ],
            ),
            (
                with(json!({ "dob": "1990-02-30" })),
                vec!["resource.profile.invalid_dob"],
            ),
            (
                with(json!({ "dob": "28.02.1990" })),
                vec!["resource.profile.invalid_dob"],
            ),
            (with(json!({ "dob": "2999-01-01" })), vec!["dob.invalid"]),
            (with(json!({ "dob": "1850-01-01" })), vec!["dob.invalid"]),
            (
                with(json!({ "country": "XX" })),
                vec!["country.must have alpha2 or alpha3 format"],
            ),
            (
                with(json!({ "metadata": "not json" })),
                vec!["resource.profile.invalid_metadata"],
            ),
            (
                with(json!({ "metadata": [1, 2] })),
                vec!["resource.profile.invalid_metadata"],
            ),
            (
                with(json!({ "metadata": { "blob": big } })),
                vec!["metadata.too_long"],
            ),
            (
                with(json!({ "first_name": { "a": 1 } })),
                vec!["resource.profile.invalid_first_name"],
            ),
        ];
        for (body, expected) in cases {
            let r = app
                .resource(Method::POST, "/profiles", &token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let (status, got) = errors(r).await;
            let shown = body.to_string().chars().take(120).collect::<String>();
            assert_eq!(
                (status, got),
                (422, keys(&expected)),
                "[{}] {shown}",
                app.label
            );
        }
        assert!(profile_row(&app, email).await.is_none());
        assert_eq!(private_label(&app, email, "profile").await, None);
        assert_eq!(app.user(email).await.level, 1);
        let r = app
            .resource(Method::GET, "/profiles/me", "Bearer not-a-jwt")
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (401, keys(&["jwt.decode_and_verify"])));
        let r = app
            .resource(Method::POST, "/profiles", "Bearer not-a-jwt")
            .json(&valid())
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (401, keys(&["jwt.decode_and_verify"])));
    }
}

#[tokio::test]
async fn two_racing_submissions_make_one_profile() {
    for app in TestApp::each_backend().await {
        let email = "race@barong.test";
        let token = member(&app, email).await;
        let send = || {
            app.resource(Method::POST, "/profiles", &token)
                .json(&valid())
                .send()
        };
        let (a, b) = tokio::join!(send(), send());
        let mut statuses = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "[{}]", app.label);
        assert!(profile_row(&app, email).await.is_some());
        assert_eq!(
            private_label(&app, email, "profile").await.as_deref(),
            Some("verified")
        );
    }
}

#[tokio::test]
async fn profile_endpoints_are_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/v2/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v2/resource/profiles/me"]["get"].is_object());
    assert!(doc["paths"]["/api/v2/resource/profiles"]["post"].is_object());
}
