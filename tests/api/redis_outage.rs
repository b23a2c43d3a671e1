//! Fail closed: with Redis stopped, edge checks that need it are denied with 503 /
//! gRPC UNAVAILABLE, never allowed; once Redis is back, checks succeed again within a
//! second. Uses a private redis-server on a free port, so the shared one is untouched.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::authz_parity::{Outcome, Probe, api_key, nonce, signed, via_grpc, via_http};
use crate::helpers::{Db, TestApp};

const REDIS: &str = "redis-server";

fn redis_available() -> bool {
    Command::new(REDIS)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn start_redis(port: u16) -> Child {
    Command::new(REDIS)
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_port(port: u16) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("redis did not start");
}

#[tokio::test]
async fn stopping_redis_denies_and_recovery_is_quick() {
    if !redis_available() {
        assert!(
            std::env::var("BARONG_TEST_REDIS_URL").is_err(),
            "redis-server missing"
        );
        eprintln!("redis-server not installed; skipping");
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut redis = start_redis(port);
    wait_port(port).await;
    let app = TestApp::spawn_on(Db::Sqlite, Some(format!("redis://127.0.0.1:{port}/")), &[]).await;
    app.register_confirmed("bot@barong.test").await;
    app.register_confirmed("web@barong.test").await;
    app.enable_2fa("bot@barong.test").await;
    let key = api_key(&app, "bot@barong.test", "c0c0c0c0c0c0c0c0", "active").await;
    let probe = || {
        signed(
            Probe::new("GET", "/api/v2/peatio/account/balances"),
            &key,
            &nonce(),
        )
    };
    assert!(matches!(
        via_http(&app, &probe()).await,
        Outcome::Allow(Some(_))
    ));

    redis.kill().unwrap();
    redis.wait().unwrap();
    assert_eq!(
        via_http(&app, &probe()).await,
        Outcome::Deny(503, "authz.unavailable".into())
    );
    assert_eq!(
        via_grpc(&app, &probe()).await,
        Outcome::Deny(503, "authz.unavailable".into())
    );
    let r = app.login("web@barong.test").await;
    assert_eq!(r.status(), 503, "log-in cannot count or store a session");
    // The rate limiters live in Redis too: a public route is not let through uncounted.
    let public = Probe::new("GET", "/api/v2/peatio/public/markets");
    let unavailable = Outcome::Deny(503, "authz.unavailable".into());
    assert_eq!(via_http(&app, &public).await, unavailable);
    assert_eq!(via_grpc(&app, &public).await, unavailable);

    let mut redis = start_redis(port);
    wait_port(port).await;
    let back = Instant::now();
    loop {
        if matches!(via_http(&app, &probe()).await, Outcome::Allow(Some(_))) {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(1),
            "checks did not recover within a second"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(matches!(
        via_grpc(&app, &probe()).await,
        Outcome::Allow(Some(_))
    ));
    let _ = redis.kill();
    let _ = redis.wait();
}
