//! Captcha providers, against stand-in reCAPTCHA and GeeTest servers on loopback.

use axum::Router;
use axum::routing::{get, post};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, errors, keys};

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn md5_hex(s: &str) -> String {
    use md5::Digest;
    hex::encode(md5::Md5::digest(s.as_bytes()))
}

#[tokio::test]
async fn recaptcha_guards_signup_and_login() {
    let google = serve(Router::new().route(
        "/siteverify",
        post(|body: String| async move {
            let ok = body.contains("secret=s3cret") && body.contains("response=good");
            axum::Json(json!({ "success": ok }))
        }),
    ))
    .await;
    let verify_url = format!("{google}/siteverify");
    let app = TestApp::spawn_with(&[
        ("BARONG_CAPTCHA_PROVIDER", "recaptcha"),
        ("BARONG_RECAPTCHA_SECRET_KEY", "s3cret"),
        ("BARONG_RECAPTCHA_VERIFY_URL", &verify_url),
    ])
    .await;
    let signup = "/api/v2/identity/users";
    let r = app
        .post(
            signup,
            json!({ "email": "cap@barong.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(errors(r).await, (400, keys(&["identity.captcha.required"])));
    let r = app
        .post(
            signup,
            json!({ "email": "cap@barong.test", "password": PASSWORD, "captcha_response": "bad" }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.captcha.verification_failed"]))
    );
    let r = app
        .post(
            signup,
            json!({ "email": "cap@barong.test", "password": PASSWORD, "captcha_response": 7 }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.user.invalid_captcha_format"]))
    );
    let r = app
        .post(
            signup,
            json!({ "email": "cap@barong.test", "password": PASSWORD, "captcha_response": "good" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    // Log-in requires it too once a provider is configured.
    let r = app.login("cap@barong.test").await;
    assert_eq!(errors(r).await, (400, keys(&["identity.captcha.required"])));
}

#[tokio::test]
async fn geetest_registration_and_validation() {
    let geetest = serve(
        Router::new()
            .route("/register.php", get(|| async { "challenge0123" }))
            .route(
                "/validate.php",
                post(|body: String| async move {
                    let seccode = body.trim_start_matches("seccode=").to_owned();
                    md5_hex(&seccode)
                }),
            ),
    )
    .await;
    let app = TestApp::spawn_with(&[
        ("BARONG_CAPTCHA_PROVIDER", "geetest"),
        ("BARONG_GEETEST_ID", "gt-id"),
        ("BARONG_GEETEST_KEY", "gt-key"),
        ("BARONG_GEETEST_API_URL", &geetest),
    ])
    .await;
    let r = app.get("/api/v2/identity/users/register_geetest").await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["gt"], "gt-id");
    assert_eq!(body["challenge"], md5_hex("challenge0123gt-key"));

    let signup = "/api/v2/identity/users";
    let r = app
        .post(signup, json!({ "email": "gee@barong.test", "password": PASSWORD, "captcha_response": { "geetest_challenge": "c" } }))
        .await;
    assert_eq!(
        errors(r).await,
        (400, keys(&["identity.captcha.mandatory_fields"]))
    );
    let wrong =
        json!({ "geetest_challenge": "c", "geetest_validate": "nope", "geetest_seccode": "s" });
    let r = app
        .post(
            signup,
            json!({ "email": "gee@barong.test", "password": PASSWORD, "captcha_response": wrong }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (422, keys(&["identity.captcha.verification_failed"]))
    );
    let right = json!({ "geetest_challenge": "c", "geetest_validate": md5_hex("gt-keygeetestc"), "geetest_seccode": "s" });
    let r = app
        .post(
            signup,
            json!({ "email": "gee@barong.test", "password": PASSWORD, "captcha_response": right }),
        )
        .await;
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn register_geetest_without_geetest_is_a_clear_error() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v2/identity/users/register_geetest").await;
    assert_eq!(
        errors(r).await,
        (400, keys(&["identity.captcha.geetest_not_configured"]))
    );
}
