//! In-process cost of one edge decision with warm caches, against a baseline measured
//! in the same run (a `pass`-rule check: path normalisation and rule lookup only).
//! `cargo bench --bench authz` prints a table; nothing here asserts a time. The
//! "observed" row is what the adapters run (`decide`: the check, the Prometheus counters
//! and the log line; the span only exists when traces are exported), the others the
//! bare decision.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;
use std::time::Instant;

use barong::authz::{CheckRequest, Decision, api_key};
use barong::config::Config;
use barong::domain::ClientInfo;

const ITERATIONS: u32 = 50_000;

fn request(method: &str, path: &str, headers: &[(&str, String)]) -> CheckRequest {
    CheckRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        host: "exchange.test".to_owned(),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<HashMap<_, _>>(),
        client_ip: "10.0.0.1".to_owned(),
        body: Default::default(),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // As served: an info-level subscriber (writing nowhere), so spans are real.
    tracing_subscriber::fmt()
        .with_env_filter("info")
        .with_writer(std::io::sink)
        .init();
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("BARONG_DATA_DIR", dir.path().display().to_string()),
        ("BARONG_LOG_LEVEL", "warn".to_owned()),
        // The limiters run (their cost is part of a check) but never refuse here.
        ("BARONG_RATE_LIMIT_ANON_PER_SEC", "100000000".to_owned()),
        ("BARONG_RATE_LIMIT_APIKEY_PER_SEC", "100000000".to_owned()),
        // The API-key nonces are made ahead of time, one millisecond apart: a wide
        // window keeps all of them fresh (as scripts/bench.sh does).
        ("BARONG_APIKEY_NONCE_WINDOW_MS", "900000".to_owned()),
    ];
    let config = Config::from_sources(None, env).unwrap();
    let app = barong::app::App::build(&config).await.unwrap();
    let services = app.services();
    let authz =
        barong::app::build_authorizer(&config, &services, barong::observability::Metrics::new())
            .await
            .unwrap();
    let conn = services.db.conn();

    let user = barong::storage::users::insert(
        conn,
        barong::storage::users::NewUser {
            uid: "IDBENCH00001".into(),
            email: "bench@barong.test".into(),
            password_digest: "x".into(),
            role: "member".into(),
            state: "active".into(),
            referral_id: None,
        },
    )
    .await
    .unwrap();
    let sealed_totp = services.secrets.seal(b"0123456789abcdefghij").unwrap();
    barong::storage::users::enable_otp(conn, user.id, &sealed_totp)
        .await
        .unwrap();
    let secret = "0123456789abcdef0123456789abcdef";
    let sealed = services.secrets.seal(secret.as_bytes()).unwrap();
    let kid = "benchbenchbench1";
    barong::storage::apikeys::insert(
        conn,
        barong::storage::apikeys::NewApiKey {
            user_id: user.id,
            kid: kid.into(),
            algorithm: "HS256".into(),
            scope: "[]".into(),
            secret_encrypted: sealed,
            allowed_ips: None,
            expires_at: None,
        },
    )
    .await
    .unwrap();
    let client = ClientInfo {
        ip: "10.0.0.1".into(),
        user_agent: "bench".into(),
    };
    let (session_id, _) = services.sessions.create(&user.uid, &client).await.unwrap();
    let cookie = format!("_barong_session={session_id}");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;

    let pass = request("GET", "/api/v2/barong/identity/ping", &[]);
    let session = request(
        "GET",
        "/api/v2/barong/resource/users/me",
        &[("cookie", cookie)],
    );
    let mut nonce = chrono::Utc::now().timestamp_millis() - 4_000;
    let mut api_key_request = || {
        nonce += 1;
        let n = nonce.to_string();
        let sig = api_key::sign("HS256", secret, &n, kid).unwrap();
        request(
            "GET",
            "/api/v2/peatio/account/balances",
            &[
                ("x-auth-apikey", kid.to_owned()),
                ("x-auth-nonce", n),
                ("x-auth-signature", sig),
            ],
        )
    };
    // Warm every cache once.
    for req in [&pass, &session, &api_key_request()] {
        assert!(matches!(
            authz.check(req).await.unwrap(),
            Decision::Allow { .. }
        ));
    }

    let mut rows = Vec::new();
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        std::hint::black_box(authz.check(&pass).await.unwrap());
    }
    let allowed = |d: Decision| assert!(matches!(d, Decision::Allow { .. }), "{d:?}");
    allowed(authz.check(&pass).await.unwrap());
    let baseline = start.elapsed() / ITERATIONS;
    rows.push(("pass rule (baseline)", baseline));
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        std::hint::black_box(authz.check(&session).await.unwrap());
    }
    rows.push(("cookie session, memory store", start.elapsed() / ITERATIONS));
    allowed(authz.check(&session).await.unwrap());
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        std::hint::black_box(authz.decide(&session, "grpc").await.unwrap());
    }
    rows.push((
        "cookie session, observed (metrics, log line; no exporter)",
        start.elapsed() / ITERATIONS,
    ));
    let prepared: Vec<CheckRequest> = (0..ITERATIONS).map(|_| api_key_request()).collect();
    let start = Instant::now();
    let mut denied = 0_u32;
    for req in &prepared {
        if !matches!(
            std::hint::black_box(authz.check(req).await.unwrap()),
            Decision::Allow { .. }
        ) {
            denied += 1;
        }
    }
    assert_eq!(denied, 0, "every prepared API-key request is allowed");
    rows.push((
        "API key (HMAC, nonce, rate limit), cached",
        start.elapsed() / ITERATIONS,
    ));
    allowed(authz.check(&api_key_request()).await.unwrap());

    println!("| decision (warm caches, {ITERATIONS} iterations) | time per check | x baseline |");
    println!("|---|---|---|");
    for (name, per) in rows {
        let ratio = per.as_secs_f64() / baseline.as_secs_f64();
        println!(
            "| {name} | {:.2} us | {ratio:.1} |",
            per.as_secs_f64() * 1e6
        );
    }
}
