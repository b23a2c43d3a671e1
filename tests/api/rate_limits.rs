//! Rate limits and the login softlock (issue 8), in memory and on the real Redis: the
//! 31st identity request from one IP within a minute, the 6th failure for one account
//! (the right password refused during the delay, accepted after it; 2FA codes count),
//! API keys over their rate at both edge adapters, anonymous checks per IP, SMS codes
//! per user and per number, and two instances sharing Redis sharing the counters.

use std::time::Duration;

use axum::Router;
use axum::routing::post;
use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_support::{admin, staff};
use crate::authz_parity::{Outcome, Probe, api_key, nonce, signed, via_grpc, via_http};
use crate::helpers::{Db, PASSWORD, TestApp, errors, keys};
use crate::totp_ref::{RefTotp, steady_now};

const SESSIONS: &str = "/api/v2/identity/sessions";

/// A log-in attempt as if from `ip` (the tests' loopback peer is a trusted proxy).
async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(SESSIONS))
        .header("X-Forwarded-For", ip)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_31st_identity_request_from_one_ip_within_a_minute_is_refused() {
    for app in TestApp::each_backend().await {
        let l = &app.label;
        for i in 0..30 {
            let r = login_from(&app, "203.0.113.9", &format!("nobody{i}@barong.test"), "x").await;
            assert_eq!(r.status(), 401, "[{l}] attempt {i}");
        }
        let r = login_from(&app, "203.0.113.9", "nobody@barong.test", "x").await;
        assert_eq!(r.status(), 429, "[{l}]");
        let wait = retry_after(&r);
        assert!((1..=60).contains(&wait), "[{l}] {wait}");
        assert_eq!(errors(r).await, (429, keys(&["rate_limit.exceeded"])));
        // Sign-up from the same address is an identity request too.
        let r = reqwest::Client::new()
            .post(app.url("/api/v2/identity/users"))
            .header("X-Forwarded-For", "203.0.113.9")
            .json(&json!({ "email": "new@barong.test", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429, "[{l}]");
        // Another address is counted apart.
        let r = login_from(&app, "203.0.113.10", "nobody@barong.test", "x").await;
        assert_eq!(r.status(), 401, "[{l}]");
    }
}

#[tokio::test]
async fn two_instances_sharing_redis_share_the_counters() {
    let Ok(redis) = std::env::var("BARONG_TEST_REDIS_URL") else {
        eprintln!("BARONG_TEST_REDIS_URL not set; skipping");
        return;
    };
    let first = TestApp::spawn_on(Db::Sqlite, Some(redis), &[]).await;
    let second = first.twin().await;
    for i in 0..30 {
        let app = if i % 2 == 0 { &first } else { &second };
        let r = login_from(app, "198.51.100.4", &format!("n{i}@barong.test"), "x").await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    for app in [&first, &second] {
        let r = login_from(app, "198.51.100.4", "n@barong.test", "x").await;
        assert_eq!(r.status(), 429);
    }
}

#[tokio::test]
async fn the_sixth_failure_delays_the_account_even_with_the_right_password() {
    for app in TestApp::each_backend().await {
        let l = &app.label;
        let email = "victim@barong.test";
        app.register_confirmed(email).await;
        for i in 0..5 {
            let r = login_from(&app, "192.0.2.1", email, "wrong-password").await;
            assert_eq!(r.status(), 401, "[{l}] failure {i}");
        }
        // From another address, with the right password: still delayed (1 s).
        let r = login_from(&app, "192.0.2.2", email, PASSWORD).await;
        assert_eq!(r.status(), 429, "[{l}]");
        assert_eq!(retry_after(&r), 1, "[{l}]");
        assert_eq!(
            errors(r).await,
            (429, keys(&["identity.session.too_many_attempts"]))
        );
        // An address that was never registered behaves the same (no enumeration).
        for _ in 0..5 {
            login_from(&app, "192.0.2.3", "ghost@barong.test", "x").await;
        }
        let r = login_from(&app, "192.0.2.3", "ghost@barong.test", "x").await;
        assert_eq!(r.status(), 429, "[{l}] unknown account");
        // After the delay the right password works and clears the count.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let r = login_from(&app, "192.0.2.2", email, PASSWORD).await;
        assert_eq!(r.status(), 201, "[{l}]");
        for i in 0..4 {
            let r = login_from(&app, "192.0.2.1", email, "wrong-password").await;
            assert_eq!(r.status(), 401, "[{l}] counting again {i}");
        }
        let r = login_from(&app, "192.0.2.2", email, PASSWORD).await;
        assert_eq!(r.status(), 201, "[{l}] four failures do not delay");
        let activities = app.activities(email).await;
        assert!(
            activities
                .iter()
                .any(|(_, _, result, data)| result == "failed"
                    && data
                        .as_deref()
                        .is_some_and(|d| d.contains("Too many failed attempts"))),
            "[{l}] the lock is a user activity: {activities:?}"
        );
        let locked = crate::events::outbox_events(&app, "system.user.login.locked").await;
        assert_eq!(locked.len(), 1, "[{l}] the lock is an event");
        assert_eq!(locked[0]["user"]["email"], email, "[{l}]");
        assert_eq!(locked[0]["retry_after"], 1, "[{l}]");
        assert_eq!(locked[0]["user_ip"], "192.0.2.1", "[{l}]");
    }
}

#[tokio::test]
async fn wrong_2fa_codes_count_and_a_solved_captcha_gets_through_the_delay() {
    let app = TestApp::spawn().await;
    let email = "otp@barong.test";
    app.register_confirmed(email).await;
    app.enable_2fa(email).await;
    // The right code, computed first (waiting for a steady TOTP period could outlast
    // the 1 s delay).
    let totp = RefTotp::new(b"0123456789abcdefghij".to_vec());
    let code = totp.code(steady_now().await, 0);
    for i in 0..5 {
        let r = app
            .post(
                SESSIONS,
                json!({ "email": email, "password": PASSWORD, "otp_code": "000000" }),
            )
            .await;
        assert_eq!(r.status(), 403, "wrong code {i}");
    }
    let r = app
        .post(
            SESSIONS,
            json!({ "email": email, "password": PASSWORD, "otp_code": code }),
        )
        .await;
    assert_eq!(
        errors(r).await,
        (429, keys(&["identity.session.too_many_attempts"]))
    );

    // With a captcha provider, a solved captcha is let through a delay.
    let google = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route(
            "/siteverify",
            post(|body: String| async move {
                axum::Json(json!({ "success": body.contains("response=good") }))
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/siteverify")
    };
    let app = TestApp::spawn_with(&[
        ("BARONG_CAPTCHA_PROVIDER", "recaptcha"),
        ("BARONG_RECAPTCHA_SECRET_KEY", "s3cret"),
        ("BARONG_RECAPTCHA_VERIFY_URL", &google),
    ])
    .await;
    let email = "cap@barong.test";
    let r = app
        .post(
            "/api/v2/identity/users",
            json!({ "email": email, "password": PASSWORD, "captcha_response": "good" }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let token = app.mailed_token(email, "confirmation_token").await;
    let r = app
        .post(
            "/api/v2/identity/users/email/confirm_code",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(r.status(), 201);
    for _ in 0..6 {
        let r = app
            .post(
                SESSIONS,
                json!({ "email": email, "password": "wrong", "captcha_response": "good" }),
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .post(
            SESSIONS,
            json!({ "email": email, "password": PASSWORD, "captcha_response": "good" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
}

#[tokio::test]
async fn an_api_key_over_its_rate_is_refused_at_both_adapters() {
    let app = TestApp::spawn_with(&[("BARONG_RATE_LIMIT_APIKEY_PER_SEC", "2")]).await;
    app.register_confirmed("bot@barong.test").await;
    app.enable_2fa("bot@barong.test").await;
    let key = api_key(&app, "bot@barong.test", "ra7e0000000000k1", "active").await;
    let other = api_key(&app, "bot@barong.test", "ra7e0000000000k2", "active").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let path = "/api/v2/peatio/market/orders";
    let probe = |k: &(String, String)| signed(Probe::new("GET", path), k, &nonce());
    // A burst of twice the rate (4) is allowed, through either adapter.
    for i in 0..4 {
        let out = if i % 2 == 0 {
            via_http(&app, &probe(&key)).await
        } else {
            via_grpc(&app, &probe(&key)).await
        };
        assert!(matches!(out, Outcome::Allow(Some(_))), "hit {i}: {out:?}");
    }
    let limited = Outcome::Deny(429, "rate_limit.exceeded".into());
    assert_eq!(via_http(&app, &probe(&key)).await, limited);
    assert_eq!(via_grpc(&app, &probe(&key)).await, limited);
    let r = reqwest::Client::new()
        .get(app.url(&format!("/api/v2/auth{path}")))
        .headers(
            probe(&key)
                .headers
                .iter()
                .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
                .collect(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!((1..=2).contains(&retry_after(&r)));
    // Another key of the same owner has its own allowance.
    assert!(matches!(
        via_grpc(&app, &probe(&other)).await,
        Outcome::Allow(Some(_))
    ));
    // After the window the key works again.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(matches!(
        via_http(&app, &probe(&key)).await,
        Outcome::Allow(Some(_))
    ));
}

#[tokio::test]
async fn anonymous_checks_are_limited_per_client_ip() {
    let app = TestApp::spawn_with(&[("BARONG_RATE_LIMIT_ANON_PER_SEC", "3")]).await;
    let public =
        |ip: &str| Probe::new("GET", "/api/v2/peatio/public/markets").header("X-Forwarded-For", ip);
    for _ in 0..3 {
        assert_eq!(
            via_http(&app, &public("203.0.113.50")).await,
            Outcome::Allow(None)
        );
    }
    assert_eq!(
        via_http(&app, &public("203.0.113.50")).await,
        Outcome::Deny(429, "rate_limit.exceeded".into())
    );
    assert_eq!(
        via_http(&app, &public("203.0.113.51")).await,
        Outcome::Allow(None)
    );
    // Made-up credentials count like none (no way around the limit).
    let fake = |ip: &str| {
        Probe::new("GET", "/api/v2/barong/resource/users/me")
            .header("X-Forwarded-For", ip)
            .header("Cookie", "_barong_session=made-up")
    };
    for _ in 0..3 {
        assert_eq!(
            via_grpc(&app, &fake("203.0.113.52")).await,
            Outcome::Deny(401, "authz.invalid_session".into())
        );
    }
    assert_eq!(
        via_grpc(&app, &fake("203.0.113.52")).await,
        Outcome::Deny(429, "rate_limit.exceeded".into())
    );
    // A logged-in browser is not an anonymous client.
    app.register_confirmed("web@barong.test").await;
    let cookie = app.login_cookie("web@barong.test", None).await;
    for _ in 0..5 {
        let p = Probe::new("GET", "/api/v2/barong/resource/users/me")
            .header("X-Forwarded-For", "203.0.113.50")
            .header("Cookie", &cookie);
        assert!(matches!(via_http(&app, &p).await, Outcome::Allow(Some(_))));
    }
}

#[tokio::test]
async fn sms_codes_are_limited_per_user_and_per_number() {
    for app in TestApp::each_backend().await {
        let l = &app.label;
        app.register_confirmed("a@barong.test").await;
        app.register_confirmed("b@barong.test").await;
        let a = app.bearer("a@barong.test").await;
        let b = app.bearer("b@barong.test").await;
        let add = |token: &str, number: &str| {
            app.resource(Method::POST, "/phones", token)
                .json(&json!({ "phone_number": number }))
                .send()
        };
        assert_eq!(
            add(&a, "+44 07418084106").await.unwrap().status(),
            201,
            "[{l}]"
        );
        // The same user, another number, within the minute: refused.
        let r = add(&a, "+1 415 555 2671").await.unwrap();
        assert_eq!(r.status(), 429, "[{l}]");
        assert!((1..=60).contains(&retry_after(&r)));
        assert_eq!(errors(r).await, (429, keys(&["rate_limit.exceeded"])));
        // Another user, the same number, within the minute: refused too.
        let r = add(&b, "+44 07418084106").await.unwrap();
        assert_eq!(r.status(), 429, "[{l}] per number");
        // Nothing was written for the refused numbers.
        let listed: Vec<Value> = app
            .resource(Method::GET, "/phones", &a)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "[{l}]");
    }
    // The hourly count, with the interval off.
    let app = TestApp::spawn_with(&[
        ("BARONG_SMS_MIN_INTERVAL", "0"),
        ("BARONG_SMS_MAX_PER_HOUR", "2"),
        ("BARONG_PHONE_CODE_RESEND_SECS", "0"),
    ])
    .await;
    app.register_confirmed("c@barong.test").await;
    let c = app.bearer("c@barong.test").await;
    let send = |path: &str| {
        app.resource(Method::POST, path, &c)
            .json(&json!({ "phone_number": "+44 07418084106" }))
            .send()
    };
    assert_eq!(send("/phones").await.unwrap().status(), 201);
    assert_eq!(send("/phones/send_code").await.unwrap().status(), 201);
    let r = send("/phones/send_code").await.unwrap();
    assert_eq!(errors(r).await, (429, keys(&["rate_limit.exceeded"])));
}

#[tokio::test]
async fn an_admin_sets_one_keys_rate() {
    let app = TestApp::spawn_with(&[("BARONG_RATE_LIMIT_APIKEY_PER_SEC", "1")]).await;
    let boss = staff(&app, "boss@barong.test", "admin").await;
    app.register_confirmed("mm@barong.test").await;
    let member = app.bearer("mm@barong.test").await;
    app.enable_2fa("mm@barong.test").await;
    let key = api_key(&app, "mm@barong.test", "ra7e00000000mm01", "active").await;
    let put = |token: &str, body: Value| {
        admin(&app, Method::PUT, "/api_keys", token)
            .json(&body)
            .send()
    };
    let r = put(&member, json!({"kid": key.0, "rate_limit_per_sec": 5}))
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a member is not staff");
    let r = put(&boss, json!({"kid": "nope", "rate_limit_per_sec": 5}))
        .await
        .unwrap();
    assert_eq!(errors(r).await, (404, keys(&["admin.apikey.doesnt_exist"])));
    let r = put(&boss, json!({"kid": key.0, "rate_limit_per_sec": -1}))
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["admin.apikey.invalid_rate_limit_per_sec"]))
    );
    let r = put(&boss, json!({"kid": key.0})).await.unwrap();
    assert_eq!(
        errors(r).await,
        (422, keys(&["admin.apikey.missing_rate_limit_per_sec"]))
    );
    let r = put(&boss, json!({"kid": key.0, "rate_limit_per_sec": 5}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let uid = app.user("mm@barong.test").await.uid;
    assert_eq!(
        body,
        json!({"kid": key.0, "uid": uid, "state": "active", "rate_limit_per_sec": 5})
    );
    // The edge follows within a second: ten checks in two seconds instead of two.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let probe = || {
        signed(
            Probe::new("GET", "/api/v2/peatio/market/orders"),
            &key,
            &nonce(),
        )
    };
    for i in 0..10 {
        assert!(
            matches!(via_grpc(&app, &probe()).await, Outcome::Allow(Some(_))),
            "hit {i}"
        );
    }
    assert_eq!(
        via_http(&app, &probe()).await,
        Outcome::Deny(429, "rate_limit.exceeded".into())
    );
    // Audited in the admin log.
    let r = admin(&app, Method::GET, "/activities/admin", &boss)
        .send()
        .await
        .unwrap();
    let log: Value = r.json().await.unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|a| a["topic"] == "api_keys" && a["action"] == "update"),
        "{log}"
    );
    // An empty value goes back to the default.
    let r = put(&boss, json!({"kid": key.0, "rate_limit_per_sec": ""}))
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["rate_limit_per_sec"],
        Value::Null
    );
}
