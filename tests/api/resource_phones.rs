//! `/resource/phones`: adding a number texts a code (read here from the Log sender's
//! files in `<data dir>/sms/`, or captured by a stand-in for Twilio's API), verifying it
//! sets `validated_at`, the private label `phone: verified` and the level; every error
//! key: bad numbers, duplicates, a number verified elsewhere (also at the unique
//! index), wrong, expired and burnt codes, and the resend throttle.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Db, TestApp, errors, keys};

const NUMBER: &str = "+44 07418084106";
const DIGITS: &str = "447418084106";
const OTHER: &str = "+1 415 555 2671";

/// The SMS rate limits (tested in `rate_limits.rs`) off, so these tests can send codes
/// back to back.
const NO_SMS_LIMITS: [(&str, &str); 2] = [
    ("BARONG_SMS_MIN_INTERVAL", "0"),
    ("BARONG_SMS_MAX_PER_HOUR", "0"),
];

/// Every backend, each app with the extra settings and no SMS rate limits.
async fn each_backend_with(extra: &[(&str, &str)]) -> Vec<TestApp> {
    let env: Vec<(&str, &str)> = NO_SMS_LIMITS.iter().chain(extra).copied().collect();
    let env = env.as_slice();
    let mut apps = vec![TestApp::spawn_with(env).await];
    let redis = std::env::var("BARONG_TEST_REDIS_URL").ok();
    if let Some(r) = &redis {
        apps.push(TestApp::spawn_on(Db::Sqlite, Some(r.clone()), env).await);
    }
    if let Ok(pg) = std::env::var("BARONG_TEST_POSTGRES_URL") {
        apps.push(TestApp::spawn_on(Db::Postgres(pg), redis, env).await);
    }
    if let Ok(my) = std::env::var("BARONG_TEST_MYSQL_URL") {
        apps.push(TestApp::spawn_on(Db::Mysql(my), None, env).await);
    }
    apps
}

/// A confirmed user and a resource token.
async fn user(app: &TestApp, email: &str) -> String {
    app.register_confirmed(email).await;
    app.bearer(email).await
}

async fn call(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.resource(Method::POST, path, token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn add(app: &TestApp, token: &str, number: &str) -> reqwest::Response {
    call(app, token, "/phones", json!({ "phone_number": number })).await
}

async fn resend(app: &TestApp, token: &str, number: &str) -> reqwest::Response {
    call(
        app,
        token,
        "/phones/send_code",
        json!({ "phone_number": number }),
    )
    .await
}

async fn verify(app: &TestApp, token: &str, number: &str, code: &str) -> reqwest::Response {
    call(
        app,
        token,
        "/phones/verify",
        json!({ "phone_number": number, "verification_code": code }),
    )
    .await
}

async fn list(app: &TestApp, token: &str) -> Value {
    let r = app
        .resource(Method::GET, "/phones", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "[{}]", app.label);
    r.json().await.unwrap()
}

/// Texts the Log sender wrote to `+<digits>`, oldest first.
fn texts_to(app: &TestApp, digits: &str) -> Vec<String> {
    let dir = app.data_dir.path().join("sms");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "sms"));
    files.sort();
    let header = format!("To: +{digits}\n\n");
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| text.strip_prefix(&header).map(|b| b.trim().to_owned()))
        .collect()
}

/// The code in the last text to `+<digits>`.
fn last_code(app: &TestApp, digits: &str) -> String {
    let texts = texts_to(app, digits);
    let body = texts
        .last()
        .unwrap_or_else(|| panic!("[{}] no SMS to +{digits}", app.label));
    body.rsplit(' ').next().unwrap().to_owned()
}

/// A well-formed code that is not `code`.
fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:05}", (n + 1) % 100_000)
}

async fn expect(r: reqwest::Response, status: u16, key: &[&str], label: &str) {
    assert_eq!(errors(r).await, (status, keys(key)), "[{label}]");
}

async fn expect_message(r: reqwest::Response, status: u16, message: &str, label: &str) {
    assert_eq!(r.status(), status, "[{label}]");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({ "message": message }), "[{label}]");
}

#[tokio::test]
async fn add_list_and_verify_sets_validated_at_label_and_level() {
    for app in each_backend_with(&[]).await {
        let l = app.label.clone();
        let token = user(&app, "phone@barong.test").await;
        assert_eq!(list(&app, &token).await, json!([]));
        expect_message(
            add(&app, &token, NUMBER).await,
            201,
            "Code was sent successfully",
            &l,
        )
        .await;

        let texts = texts_to(&app, DIGITS);
        assert_eq!(texts.len(), 1, "[{l}] one SMS");
        let code = last_code(&app, DIGITS);
        assert_eq!(
            texts[0],
            format!("Your verification code for Barong: {code}")
        );
        assert!(code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()));

        let phones = list(&app, &token).await;
        assert_eq!(
            phones,
            json!([{ "country": "GB", "number": DIGITS, "validated_at": null }]),
            "[{l}]"
        );
        // The code is stored sealed, never in clear.
        let owner = app.user("phone@barong.test").await;
        let row = barong::storage::phones::find_for_user(app.services.db.conn(), owner.id, DIGITS)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.code, None);
        let sealed = row.code_sealed.unwrap();
        assert!(!sealed.contains(&code), "[{l}] code in clear");
        assert_eq!(owner.level, 1, "[{l}] email verified only");

        expect_message(
            verify(&app, &token, DIGITS, &code).await,
            201,
            "Phone was verified successfully",
            &l,
        )
        .await;
        let phones = list(&app, &token).await;
        let validated = phones[0]["validated_at"].as_str().unwrap().to_owned();
        assert!(
            validated.len() == 24 && validated.ends_with('Z') && validated.as_bytes()[19] == b'.',
            "[{l}] millisecond timestamp: {validated}"
        );
        let at = chrono::DateTime::parse_from_rfc3339(&validated).unwrap();
        assert!((chrono::Utc::now() - at.to_utc()).num_seconds().abs() < 10);

        let owner = app.user("phone@barong.test").await;
        assert_eq!(owner.level, 2, "[{l}] phone verified raises the level");
        let labels =
            barong::storage::labels::list_by_scope(app.services.db.conn(), owner.id, "private")
                .await
                .unwrap();
        assert!(
            labels
                .iter()
                .any(|x| x.key == "phone" && x.value == "verified"),
            "[{l}] {labels:?}"
        );
        let me: Value = app
            .resource(Method::GET, "/users/me", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["level"], 2, "[{l}]");
        // The code is spent: using it again says the number is taken.
        expect(
            verify(&app, &token, DIGITS, &code).await,
            400,
            &["resource.phone.number_exist"],
            &l,
        )
        .await;
    }
}

#[tokio::test]
async fn bad_input_gets_barong_keys() {
    let app = TestApp::spawn_with(&NO_SMS_LIMITS).await;
    let l = app.label.clone();
    let token = user(&app, "bad@barong.test").await;
    expect(
        call(&app, &token, "/phones", json!({})).await,
        422,
        &[
            "resource.phone.missing_phone_number",
            "resource.phone.empty_phone_number",
        ],
        &l,
    )
    .await;
    expect(
        add(&app, &token, "  ").await,
        422,
        &["resource.phone.empty_phone_number"],
        &l,
    )
    .await;
    // Without its country code a number is not a valid international number.
    for bad in [
        "07418084106",
        "+44 12",
        "not a number",
        "+1 000 000 0000",
        "99999999999999999999999",
    ] {
        expect(
            add(&app, &token, bad).await,
            400,
            &["resource.phone.invalid_num"],
            &format!("{l} {bad}"),
        )
        .await;
        expect(
            resend(&app, &token, bad).await,
            400,
            &["resource.phone.invalid_num"],
            &l,
        )
        .await;
        expect(
            verify(&app, &token, bad, "12345").await,
            400,
            &["resource.phone.invalid_num"],
            &l,
        )
        .await;
    }
    expect(
        call(
            &app,
            &token,
            "/phones/verify",
            json!({ "phone_number": NUMBER }),
        )
        .await,
        422,
        &[
            "resource.phone.missing_verification_code",
            "resource.phone.empty_verification_code",
        ],
        &l,
    )
    .await;
    expect(
        call(
            &app,
            &token,
            "/phones/verify",
            json!({ "phone_number": NUMBER, "verification_code": "" }),
        )
        .await,
        422,
        &["resource.phone.empty_verification_code"],
        &l,
    )
    .await;
    // Unknown numbers: resend says not found, verify says the verification is invalid.
    expect(
        resend(&app, &token, NUMBER).await,
        404,
        &["record.not_found"],
        &l,
    )
    .await;
    expect(
        verify(&app, &token, NUMBER, "12345").await,
        404,
        &["resource.phone.verification_invalid"],
        &l,
    )
    .await;
    assert!(texts_to(&app, DIGITS).is_empty(), "nothing was sent");
    assert_eq!(list(&app, &token).await, json!([]));
    // Without a token.
    let r = reqwest::Client::new()
        .get(app.url("/api/v2/resource/phones"))
        .send()
        .await
        .unwrap();
    expect(r, 401, &["jwt.decode_and_verify"], &l).await;
    // Documented.
    let doc: Value = app.get("/api/v2/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v2/resource/phones",
        "/api/v2/resource/phones/send_code",
        "/api/v2/resource/phones/verify",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
}

#[tokio::test]
async fn duplicates_and_numbers_verified_by_another_user() {
    for app in each_backend_with(&[]).await {
        let l = app.label.clone();
        let alice = user(&app, "alice@barong.test").await;
        let bob = user(&app, "bob@barong.test").await;
        assert_eq!(add(&app, &alice, NUMBER).await.status(), 201, "[{l}]");
        // The same number written differently is the same number.
        expect(
            add(&app, &alice, DIGITS).await,
            400,
            &["resource.phone.exists"],
            &l,
        )
        .await;
        // Not verified yet: another user may add it too.
        assert_eq!(add(&app, &bob, NUMBER).await.status(), 201, "[{l}]");
        let codes = texts_to(&app, DIGITS);
        assert_eq!(codes.len(), 2, "[{l}]");
        let code_of = |i: usize| codes[i].rsplit(' ').next().unwrap().to_owned();
        assert_eq!(
            verify(&app, &alice, NUMBER, &code_of(0)).await.status(),
            201,
            "[{l}]"
        );

        let taken = ["resource.phone.number_exist"];
        expect(
            verify(&app, &bob, NUMBER, &code_of(1)).await,
            400,
            &taken,
            &l,
        )
        .await;
        expect(resend(&app, &bob, NUMBER).await, 400, &taken, &l).await;
        expect(add(&app, &alice, NUMBER).await, 400, &taken, &l).await;
        let carol = user(&app, "carol@barong.test").await;
        expect(add(&app, &carol, NUMBER).await, 400, &taken, &l).await;
        assert_eq!(
            list(&app, &bob).await[0]["validated_at"],
            Value::Null,
            "[{l}]"
        );
        assert_eq!(app.user("bob@barong.test").await.level, 1, "[{l}]");

        // Even a request that slipped past the check is stopped by the unique index.
        let bob_id = app.user("bob@barong.test").await.id;
        let conn = app.services.db.conn();
        let row = barong::storage::phones::find_for_user(conn, bob_id, DIGITS)
            .await
            .unwrap()
            .unwrap();
        let sealed = row.code_sealed.clone().unwrap();
        let raced = barong::storage::phones::mark_verified(conn, &row, &sealed).await;
        assert!(
            matches!(raced, Err(barong::storage::StorageError::Conflict(k)) if k == barong::storage::NUMBER_TAKEN),
            "[{l}] {raced:?}"
        );
    }
}

#[tokio::test]
async fn wrong_codes_count_and_burn_the_code_after_five() {
    for app in each_backend_with(&[("BARONG_PHONE_CODE_RESEND_SECS", "3")]).await {
        let l = app.label.clone();
        let token = user(&app, "guess@barong.test").await;
        let invalid = ["resource.phone.verification_invalid"];

        // Four wrong codes (and malformed ones, which do not count) leave the code usable.
        assert_eq!(add(&app, &token, OTHER).await.status(), 201, "[{l}]");
        let code = last_code(&app, "14155552671");
        for junk in ["12", "abcde", "123456"] {
            expect(verify(&app, &token, OTHER, junk).await, 404, &invalid, &l).await;
        }
        for _ in 0..4 {
            expect(
                verify(&app, &token, OTHER, &wrong(&code)).await,
                404,
                &invalid,
                &l,
            )
            .await;
        }
        assert_eq!(
            verify(&app, &token, OTHER, &code).await.status(),
            201,
            "[{l}]"
        );

        // Five wrong codes burn it: even the right one is refused until a new code.
        assert_eq!(add(&app, &token, NUMBER).await.status(), 201, "[{l}]");
        let code = last_code(&app, DIGITS);
        for _ in 0..5 {
            expect(
                verify(&app, &token, NUMBER, &wrong(&code)).await,
                404,
                &invalid,
                &l,
            )
            .await;
        }
        let burnt = ["resource.phone.attempts_exceeded"];
        expect(verify(&app, &token, NUMBER, &code).await, 400, &burnt, &l).await;
        expect(
            verify(&app, &token, NUMBER, &wrong(&code)).await,
            400,
            &burnt,
            &l,
        )
        .await;
        // Burning does not restart the resend window: no new code at once, or five
        // guesses per code would cost an attacker nothing.
        let throttled = ["resource.phone.code_throttled"];
        expect(resend(&app, &token, NUMBER).await, 429, &throttled, &l).await;
        tokio::time::sleep(Duration::from_millis(3100)).await;
        assert_eq!(resend(&app, &token, NUMBER).await.status(), 201, "[{l}]");
        let fresh = last_code(&app, DIGITS);
        assert_eq!(texts_to(&app, DIGITS).len(), 2, "[{l}]");
        assert_eq!(
            verify(&app, &token, NUMBER, &fresh).await.status(),
            201,
            "[{l}]"
        );
        let phones = list(&app, &token).await;
        assert!(
            phones
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["validated_at"].is_string()),
            "[{l}]"
        );
    }
}

#[tokio::test]
async fn codes_expire() {
    let env = [
        ("BARONG_PHONE_CODE_TTL", "1"),
        ("BARONG_PHONE_CODE_RESEND_SECS", "1"),
    ];
    for app in each_backend_with(&env).await {
        let l = app.label.clone();
        let token = user(&app, "slow@barong.test").await;
        assert_eq!(add(&app, &token, NUMBER).await.status(), 201, "[{l}]");
        let code = last_code(&app, DIGITS);
        tokio::time::sleep(Duration::from_millis(2100)).await;
        expect(
            verify(&app, &token, NUMBER, &code).await,
            400,
            &["resource.phone.code_expired"],
            &l,
        )
        .await;
        assert_eq!(
            list(&app, &token).await[0]["validated_at"],
            Value::Null,
            "[{l}]"
        );
        // A new code works while fresh.
        assert_eq!(resend(&app, &token, NUMBER).await.status(), 201, "[{l}]");
        let fresh = last_code(&app, DIGITS);
        assert_eq!(
            verify(&app, &token, NUMBER, &fresh).await.status(),
            201,
            "[{l}]"
        );
    }
}

#[tokio::test]
async fn resend_is_throttled_then_allowed_and_replaces_the_code() {
    for app in each_backend_with(&[("BARONG_PHONE_CODE_RESEND_SECS", "2")]).await {
        let l = app.label.clone();
        let token = user(&app, "again@barong.test").await;
        assert_eq!(add(&app, &token, NUMBER).await.status(), 201, "[{l}]");
        let first = last_code(&app, DIGITS);
        expect(
            resend(&app, &token, NUMBER).await,
            429,
            &["resource.phone.code_throttled"],
            &l,
        )
        .await;
        assert_eq!(
            texts_to(&app, DIGITS).len(),
            1,
            "[{l}] throttled resend sent nothing"
        );
        tokio::time::sleep(Duration::from_millis(3100)).await;
        expect_message(
            resend(&app, &token, NUMBER).await,
            201,
            "Code was sent successfully",
            &l,
        )
        .await;
        assert_eq!(texts_to(&app, DIGITS).len(), 2, "[{l}]");
        let second = last_code(&app, DIGITS);
        if second != first {
            expect(
                verify(&app, &token, NUMBER, &first).await,
                404,
                &["resource.phone.verification_invalid"],
                &l,
            )
            .await;
        }
        assert_eq!(
            verify(&app, &token, NUMBER, &second).await.status(),
            201,
            "[{l}]"
        );
    }
}

/// What the stand-in for Twilio received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    authorization: String,
    form: Vec<(String, String)>,
}

#[derive(Clone, Default)]
struct FakeTwilio {
    received: Arc<Mutex<Vec<Received>>>,
    failing: Arc<Mutex<bool>>,
}

impl FakeTwilio {
    /// Serves Twilio's message endpoint on a local port; answers 201 like Twilio, or
    /// Twilio's 400 error body while `failing` is set.
    async fn start() -> (Self, String) {
        use axum::extract::{Path, State};
        use axum::http::{HeaderMap, StatusCode};
        let fake = Self::default();
        async fn messages(
            State(fake): State<FakeTwilio>,
            Path(sid): Path<String>,
            headers: HeaderMap,
            body: String,
        ) -> (StatusCode, axum::Json<Value>) {
            fake.received.lock().unwrap().push(Received {
                path: format!("/2010-04-01/Accounts/{sid}"),
                authorization: headers["authorization"].to_str().unwrap().to_owned(),
                form: serde_urlencoded::from_str(&body).unwrap(),
            });
            if *fake.failing.lock().unwrap() {
                let err =
                    json!({ "code": 21211, "message": "Invalid 'To' Phone Number", "status": 400 });
                return (StatusCode::BAD_REQUEST, axum::Json(err));
            }
            (
                StatusCode::CREATED,
                axum::Json(json!({ "sid": "SM123", "status": "queued" })),
            )
        }
        let app = axum::Router::new()
            .route(
                "/2010-04-01/Accounts/{sid}/Messages.json",
                axum::routing::post(messages),
            )
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, url)
    }

    fn last(&self) -> Received {
        self.received.lock().unwrap().last().cloned().unwrap()
    }

    fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    fn fail(&self, on: bool) {
        *self.failing.lock().unwrap() = on;
    }
}

fn form_value(r: &Received, name: &str) -> String {
    r.form
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {name} in {r:?}"))
}

#[tokio::test]
async fn twilio_gets_a_form_with_basic_auth_and_failures_write_nothing() {
    use base64::Engine;
    let (twilio, url) = FakeTwilio::start().await;
    let app = TestApp::spawn_with(&[
        ("BARONG_SMS_PROVIDER", "twilio"),
        ("BARONG_TWILIO_API_URL", url.as_str()),
        ("BARONG_TWILIO_ACCOUNT_SID", "AC0123"),
        ("BARONG_TWILIO_AUTH_TOKEN", "tok3n"),
        ("BARONG_TWILIO_PHONE_NUMBER", "+15005550006"),
        ("BARONG_PHONE_CODE_RESEND_SECS", "0"),
        NO_SMS_LIMITS[0],
        NO_SMS_LIMITS[1],
    ])
    .await;
    let l = app.label.clone();
    let token = user(&app, "sms@barong.test").await;

    assert_eq!(add(&app, &token, NUMBER).await.status(), 201);
    let sent = twilio.last();
    assert_eq!(sent.path, "/2010-04-01/Accounts/AC0123");
    let expected = base64::engine::general_purpose::STANDARD.encode("AC0123:tok3n");
    assert_eq!(sent.authorization, format!("Basic {expected}"));
    assert_eq!(form_value(&sent, "To"), "+447418084106");
    assert_eq!(form_value(&sent, "From"), "+15005550006");
    let body = form_value(&sent, "Body");
    let code = body
        .strip_prefix("Your verification code for Barong: ")
        .unwrap()
        .to_owned();
    assert!(
        texts_to(&app, DIGITS).is_empty(),
        "the log sender is not used"
    );

    // Twilio refuses: 503 with Barong's key, and the phone is not kept.
    twilio.fail(true);
    expect(
        add(&app, &token, OTHER).await,
        503,
        &["resource.phone.twillio"],
        &l,
    )
    .await;
    assert_eq!(twilio.count(), 2);
    assert_eq!(list(&app, &token).await.as_array().unwrap().len(), 1);
    // A failed resend keeps the previous code valid.
    expect(
        resend(&app, &token, NUMBER).await,
        503,
        &["resource.phone.twillio"],
        &l,
    )
    .await;
    twilio.fail(false);
    // Once Twilio answers again, the same number can be added.
    assert_eq!(add(&app, &token, OTHER).await.status(), 201);
    assert_eq!(form_value(&twilio.last(), "To"), "+14155552671");
    assert_eq!(verify(&app, &token, NUMBER, &code).await.status(), 201);
}

#[tokio::test]
async fn at_most_three_unverified_numbers_a_day() {
    for app in each_backend_with(&[]).await {
        let l = app.label.clone();
        let token = user(&app, "pump@barong.test").await;
        for number in [NUMBER, OTHER, "+33 6 12 34 56 78"] {
            assert_eq!(
                add(&app, &token, number).await.status(),
                201,
                "[{l}] {number}"
            );
        }
        let too_many = ["resource.phone.too_many_unverified"];
        expect(
            add(&app, &token, "+49 151 23456789").await,
            400,
            &too_many,
            &l,
        )
        .await;
        assert_eq!(
            list(&app, &token).await.as_array().unwrap().len(),
            3,
            "[{l}] nothing stored"
        );
        // A day later the window has moved on.
        let user_id = app.user("pump@barong.test").await.id;
        let day_ago = chrono::Utc::now().naive_utc() - chrono::TimeDelta::hours(25);
        {
            use barong::storage::entities::phones;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
            phones::Entity::update_many()
                .col_expr(phones::Column::CreatedAt, Expr::value(day_ago))
                .filter(phones::Column::UserId.eq(user_id))
                .exec(app.services.db.conn())
                .await
                .unwrap();
        }
        assert_eq!(
            add(&app, &token, "+49 151 23456789").await.status(),
            201,
            "[{l}]"
        );
    }
}
