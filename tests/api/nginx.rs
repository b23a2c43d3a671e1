//! The shipped nginx config (`deploy/nginx/barong.conf`) with a real nginx: a logged-in
//! browser and a signed bot reach the upstream with a JWT that verifies against the
//! JWKS; denied requests never reach it; a forged `Authorization` never passes.
//! Runs when nginx is installed (`.ci/run` installs it and sets `BARONG_TEST_NGINX=1`,
//! which turns a missing nginx into a failure).

use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::authz_parity::{api_key, nonce, verify_with_jwks};
use crate::helpers::{PASSWORD, TestApp};

const NGINX: &str = "/usr/sbin/nginx";

type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An upstream that records every request's path and `Authorization`.
async fn upstream() -> (u16, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let router = Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
        let record = record.clone();
        async move {
            let auth = headers
                .get("authorization")
                .map(|v| v.to_str().unwrap_or_default().to_owned());
            record.lock().unwrap().push((uri.path().to_owned(), auth));
            axum::Json(json!({ "upstream": "peatio" }))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (port, seen)
}

/// Verifies the token with PyJWT (a third-party verifier) against barong's JWKS, when
/// Debian's python3-jwt is installed; `.ci/run` installs it and sets
/// `BARONG_TEST_PYJWT=1`, which turns its absence into a failure. The JWKS is fetched
/// here and handed over as a file: the test's runtime also serves barong, so Python
/// must not call back into it while this thread waits.
async fn verify_with_pyjwt(app: &TestApp, authorization: &str) -> Option<Value> {
    let token = authorization.strip_prefix("Bearer ").expect("Bearer token");
    let jwks = app
        .get("/.well-known/jwks.json")
        .await
        .text()
        .await
        .unwrap();
    let jwks_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(jwks_file.path(), jwks).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/pyjwt_verify.py");
    let output = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(jwks_file.path())
        .arg(token)
        .output();
    let required = std::env::var("BARONG_TEST_PYJWT").is_ok_and(|v| v == "1");
    match output {
        Ok(out) if out.status.success() => Some(serde_json::from_slice(&out.stdout).unwrap()),
        Ok(out)
            if !required && String::from_utf8_lossy(&out.stderr).contains("No module named") =>
        {
            eprintln!("PyJWT not installed: third-party verification skipped");
            None
        }
        Err(e) if !required => {
            eprintln!("python3 not available ({e}): third-party verification skipped");
            None
        }
        Ok(out) => panic!(
            "PyJWT refused the token: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("python3: {e}"),
    }
}

/// The nginx process and its prefix folder (kept until nginx stops).
struct Nginx(Child, #[allow(dead_code)] tempfile::TempDir);

impl Drop for Nginx {
    /// SIGTERM lets the master stop its workers; SIGKILL would orphan them.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn start_nginx(listen: u16, barong: u16, peatio: u16) -> Nginx {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/nginx/barong.conf"
    ))
    .unwrap();
    let site = shipped
        .replace(
            "server 127.0.0.1:8001;",
            &format!("server 127.0.0.1:{barong};"),
        )
        .replace(
            "server 127.0.0.1:8080;",
            &format!("server 127.0.0.1:{peatio};"),
        )
        .replace(
            "listen 127.0.0.1:8000;",
            &format!("listen 127.0.0.1:{listen};"),
        );
    assert_ne!(
        site, shipped,
        "the shipped config still has the documented addresses"
    );
    std::fs::write(dir.path().join("barong.conf"), site).unwrap();
    let p = dir.path().display();
    let main = format!(
        "daemon off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n\
         fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n\
         include {p}/barong.conf;\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
    let child = Command::new(NGINX)
        .args(["-p", &p.to_string(), "-c", &format!("{p}/nginx.conf")])
        .spawn()
        .unwrap();
    Nginx(child, dir)
}

/// Whether nginx can run here (a missing nginx is a failure when CI asks for it).
fn nginx_available() -> bool {
    if std::path::Path::new(NGINX).exists() {
        return true;
    }
    assert!(
        std::env::var("BARONG_TEST_NGINX").is_err(),
        "BARONG_TEST_NGINX is set but nginx is missing"
    );
    eprintln!("nginx not installed; skipping");
    false
}

/// The shipped nginx in front of `app` and a recording upstream, answering.
async fn nginx_in_front(app: &TestApp) -> (Nginx, String, Seen) {
    let (peatio, seen) = upstream().await;
    let listen = free_port();
    let nginx = start_nginx(listen, app.addr.port(), peatio);
    let base = format!("http://127.0.0.1:{listen}");
    for _ in 0..100 {
        if reqwest::Client::new()
            .get(format!("{base}/api/v2/barong/identity/ping"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (nginx, base, seen)
}

#[tokio::test]
async fn through_a_real_nginx() {
    if !nginx_available() {
        return;
    }
    let app = TestApp::spawn().await;
    let (_nginx, base, seen) = nginx_in_front(&app).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();

    // A browser signs up, confirms and logs in, all through nginx (pass routes).
    let r = browser
        .post(format!("{base}/api/v2/barong/identity/users"))
        .json(&json!({ "email": "web@barong.test", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = app
        .mailed_token("web@barong.test", "confirmation_token")
        .await;
    let r = browser
        .post(format!(
            "{base}/api/v2/barong/identity/users/email/confirm_code"
        ))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = browser
        .post(format!("{base}/api/v2/barong/identity/sessions"))
        .json(&json!({ "email": "web@barong.test", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let login: Value = r.json().await.unwrap();
    let csrf = login["csrf_token"].as_str().unwrap().to_owned();

    // Its requests reach barong's resource API and the exchange with a verified JWT.
    let me: Value = browser
        .get(format!("{base}/api/v2/barong/resource/users/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "web@barong.test");
    let r = browser
        .get(format!("{base}/api/v2/peatio/account/balances"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (path, auth) = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(path, "/api/v2/peatio/account/balances");
    let claims = verify_with_jwks(&app, auth.as_deref().unwrap()).await;
    assert_eq!(claims["email"], "web@barong.test");
    if let Some(claims) = verify_with_pyjwt(&app, auth.as_deref().unwrap()).await {
        assert_eq!(claims["email"], "web@barong.test");
        assert_eq!(claims["sub"], "session");
    }

    // A KYC upload passes nginx's body limit; its download URL keeps the public
    // prefix and serves the same bytes through nginx.
    let scan = b"%PDF-1.4\n%%EOF\n".to_vec();
    let part = reqwest::multipart::Part::bytes(scan.clone()).file_name("scan.pdf");
    let form = reqwest::multipart::Form::new()
        .text("doc_type", "Passport")
        .text("doc_number", "X1")
        .text("doc_expire", "2999-01-01")
        .part("upload[]", part);
    let r = browser
        .post(format!("{base}/api/v2/barong/resource/documents"))
        .header("X-CSRF-Token", &csrf)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let docs: Value = browser
        .get(format!("{base}/api/v2/barong/resource/documents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = docs[0]["upload"]["url"].as_str().unwrap();
    assert!(
        url.starts_with("/api/v2/barong/resource/documents/"),
        "{url}"
    );
    let r = browser.get(format!("{base}{url}")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), scan);

    // A signed API-key request reaches it too.
    app.register_confirmed("bot@barong.test").await;
    app.enable_2fa("bot@barong.test").await;
    let (kid, secret) = api_key(&app, "bot@barong.test", "b0b0b0b0b0b0b0b0", "active").await;
    let n = nonce();
    let sig = barong::authz::api_key::sign("HS256", &secret, &n, &kid).unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v2/peatio/market/orders"))
        .header("X-Auth-Apikey", &kid)
        .header("X-Auth-Nonce", &n)
        .header("X-Auth-Signature", &sig)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, auth) = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        verify_with_jwks(&app, auth.as_deref().unwrap()).await["email"],
        "bot@barong.test"
    );
    if let Some(claims) = verify_with_pyjwt(&app, auth.as_deref().unwrap()).await {
        assert_eq!(claims["email"], "bot@barong.test");
    }

    // Denied requests never reach the upstream.
    let before = seen.lock().unwrap().len();
    let anonymous = reqwest::Client::new();
    let r = anonymous
        .get(format!("{base}/api/v2/peatio/account/balances"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = anonymous
        .get(format!("{base}/api/v2/peatio/account/balances"))
        .header("Authorization", "Bearer forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = anonymous
        .get(format!("{base}/api/v2/barong/management/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // A status nginx would turn into its own 500 keeps barong's status and key.
    let r = anonymous
        .get(format!("{base}/api/v2/peatio/account/balances"))
        .header("X-Auth-Apikey", "b0b0b0b0b0b0b0b0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"errors": ["authz.invalid_api_key_headers"]}));
    assert_eq!(
        seen.lock().unwrap().len(),
        before,
        "no denied request reached the upstream"
    );

    // A forged token on a pass route is stripped before the upstream sees it.
    let r = anonymous
        .get(format!("{base}/api/v2/peatio/public/markets"))
        .header("Authorization", "Bearer forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (path, auth) = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (path.as_str(), auth),
        ("/api/v2/peatio/public/markets", None)
    );
}

#[tokio::test]
async fn a_rate_limit_keeps_its_status_and_retry_after_through_nginx() {
    if !nginx_available() {
        return;
    }
    let app = TestApp::spawn_with(&[("BARONG_RATE_LIMIT_ANON_PER_SEC", "2")]).await;
    let (nginx, base, seen) = nginx_in_front(&app).await;
    let client = reqwest::Client::new();
    let markets = format!("{base}/api/v2/peatio/public/markets");
    // The readiness probe above may have used this second's allowance: start afresh.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for _ in 0..2 {
        assert_eq!(client.get(&markets).send().await.unwrap().status(), 200);
    }
    let before = seen.lock().unwrap().len();
    let r = client.get(&markets).send().await.unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(wait, 1, "a one-second window");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!({"errors": ["rate_limit.exceeded"]}));
    assert_eq!(seen.lock().unwrap().len(), before, "not forwarded");

    drop(nginx);
}
