//! ping, time, version, 404s, malformed bodies, health, OpenAPI.

use serde_json::Value;

use crate::helpers::{TestApp, errors};

#[tokio::test]
async fn ping_time_version() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v2/identity/ping").await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        serde_json::json!({"ping": "pong"})
    );

    let r = app.get("/api/v2/identity/time").await;
    let time = r.json::<Value>().await.unwrap()["time"].as_i64().unwrap();
    assert!((time - chrono::Utc::now().timestamp()).abs() < 5);

    let v: Value = app
        .get("/api/v2/identity/version")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    for field in ["git_tag", "git_sha", "build_date"] {
        assert!(
            v[field].as_str().is_some_and(|s| !s.is_empty()),
            "{field}: {v}"
        );
    }
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_barongs_404() {
    let app = TestApp::spawn().await;
    for r in [
        app.get("/api/v2/identity/nope").await,
        app.get("/api/v2/identity/users").await,
        app.delete("/api/v2/identity/ping").await,
        app.get("/elsewhere").await,
    ] {
        assert_eq!(r.status(), 404);
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            serde_json::json!({"error": "Route is not found"})
        );
    }
}

#[tokio::test]
async fn malformed_bodies_are_a_400_with_a_key() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .post(app.url("/api/v2/identity/users"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (400, vec!["request.malformed_body".to_owned()])
    );
    let r = app
        .client
        .post(app.url("/api/v2/identity/sessions"))
        .header("content-type", "application/json")
        .body("[1,2]")
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (400, vec!["request.malformed_body".to_owned()])
    );
}

#[tokio::test]
async fn form_bodies_and_query_strings_are_parameters_too() {
    let app = TestApp::spawn().await;
    let r = app
        .client
        .post(app.url("/api/v2/identity/users?email=form@barong.test"))
        .form(&[("password", crate::helpers::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(app.user("form@barong.test").await.state, "pending");
}

#[tokio::test]
async fn health_and_openapi() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health/live").await.status(), 200);
    let r = app.get("/health/ready").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["database"], "ok");
    let doc: Value = app.get("/api/v2/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v2/identity/users",
        "/api/v2/identity/sessions",
        "/api/v2/identity/ping",
        "/api/v2/resource/users/me",
        "/api/v2/resource/users/activity/{topic}",
        "/api/v2/resource/sessions/{id}",
        "/api/v2/resource/otp/enable",
        "/api/v2/resource/api_keys/{kid}",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
}

/// Found by schemathesis: a page whose offset passes `i64::MAX` made the SQL drivers
/// panic and the connection drop. It is an empty page, on every backend.
#[tokio::test]
async fn a_page_beyond_any_offset_is_empty_not_a_dropped_connection() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("far@barong.test").await;
        let token = app.bearer("far@barong.test").await;
        let r = app
            .resource(
                reqwest::Method::GET,
                "/users/activity/all?page=9223372036854775807&limit=100",
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        assert_eq!(r.json::<Value>().await.unwrap(), serde_json::json!([]));
    }
}
