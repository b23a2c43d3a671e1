//! Load-test inputs for `scripts/bench.sh`, against a running barong.
//!
//! Reads the same configuration as barong (`BARONG_*` variables, `BARONG_CONFIG`), opens
//! its database, keys and secret box, and:
//!
//! 1. creates an active user with a known password (`--email`, `--password`), logs it in
//!    over HTTP (`POST /api/v2/identity/sessions` on `BARONG_HTTP_ADDR`) and keeps the
//!    session cookie;
//! 2. creates a second active user with 2FA on, and an active HS256 API key of it;
//! 3. checks through both front ends that barong allows the session and the key;
//! 4. writes into `--out`:
//!    - `cookie.txt`: `name=value` of the session cookie;
//!    - `grpc_session.bin`: one gRPC frame (0, 4-byte big-endian length, protobuf
//!      `envoy.service.auth.v3.CheckRequest`) for `GET --path` with that cookie, as
//!      tonic encodes it, for `h2load -d`;
//!    - `kid.txt`: the API key id;
//!    - `apikey_lines.txt`: `--lines` lines `nonce signature`, nonces being distinct
//!      millisecond timestamps centred on now (`now - lines/2 .. now + lines/2`),
//!      signature the lowercase hex HMAC-SHA256 of `nonce + kid` (for
//!      `scripts/bench_apikey.lua`);
//!    - `apikey_probe.txt`: a few more signed lines with nonces after that range, for
//!      one-off sanity requests.
//!
//! Nonces are single-use and must be within `BARONG_APIKEY_NONCE_WINDOW_MS` of the
//! server's clock, so the server must run with a window well above `lines / 2` ms (the
//! fixture refuses otherwise): e.g. `BARONG_APIKEY_NONCE_WINDOW_MS=900000` with 500 000
//! lines leaves about 650 s to use them.
//!
//! ```sh
//! BARONG_DATA_DIR=... BARONG_HTTP_ADDR=... BARONG_GRPC_ADDR=... \
//! BARONG_APIKEY_NONCE_WINDOW_MS=900000 \
//!   cargo run --release --example bench_fixture -- --out DIR [--lines 500000]
//! ```

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use anyhow::{Context, anyhow, bail, ensure};
use axum::body::{Body, Bytes};
use barong::authz::api_key;
use barong::config::Config;
use barong::services::Services;
use barong::storage;
use clap::Parser;
use envoy_types::pb::envoy::service::auth::v3::attribute_context::{HttpRequest, Request};
use envoy_types::pb::envoy::service::auth::v3::authorization_client::AuthorizationClient;
use envoy_types::pb::envoy::service::auth::v3::check_response::HttpResponse;
use envoy_types::pb::envoy::service::auth::v3::{AttributeContext, CheckRequest};

/// Command line.
#[derive(Debug, Parser)]
#[command(about = "Prepares load-test inputs against a running barong")]
struct Args {
    /// Output directory (created).
    #[arg(long)]
    out: PathBuf,
    /// Number of pre-signed API-key lines.
    #[arg(long, default_value_t = 500_000)]
    lines: i64,
    /// Protected path the requests target.
    #[arg(long, default_value = "/api/v2/barong/resource/users/me")]
    path: String,
    /// Email of the session user.
    #[arg(long, default_value = "bench@barong.test")]
    email: String,
    /// Email of the API-key owner.
    #[arg(long, default_value = "bench-bot@barong.test")]
    key_email: String,
    /// Password of both users.
    #[arg(long, default_value = "Tecohvi0!Qw")]
    password: String,
}

/// Extra signed lines written to `apikey_probe.txt`.
const PROBE_LINES: i64 = 8;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    ensure!(args.lines > 0, "--lines must be positive");
    let config = Config::load(None).context("barong configuration")?;
    let half_span = args.lines / 2 + PROBE_LINES;
    ensure!(
        config.apikey_nonce_window_ms > half_span + 60_000,
        "BARONG_APIKEY_NONCE_WINDOW_MS is {} ms: with {} lines the nonces span ±{} ms around \
         now, so start barong with a window of at least {} ms (e.g. 900000) and pass the same \
         value to this fixture",
        config.apikey_nonce_window_ms,
        args.lines,
        half_span,
        half_span + 60_000
    );
    if config.session_bind_user_agent {
        eprintln!(
            "warning: BARONG_SESSION_BIND_USER_AGENT is on; the session is bound to this \
             fixture's user agent and load tools will be denied"
        );
    }
    let services = barong::app::build_services(&config).await?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;

    // Session user.
    active_user(&services, &args.email, &args.password, false).await?;
    let http_base = format!("http://{}", config.http_addr);
    let cookie = login(&http_base, &args.email, &args.password).await?;
    ensure!(
        cookie.starts_with(&format!("{}=", config.session_cookie_name)),
        "login set an unexpected cookie: {cookie}"
    );

    // API-key user (2FA on) and key.
    let owner = active_user(&services, &args.key_email, &args.password, true).await?;
    let kid = barong::crypto::random::hex_token(8);
    let secret = barong::crypto::random::hex_token(16);
    let sealed = services
        .secrets
        .seal(secret.as_bytes())
        .map_err(|e| anyhow!("cannot seal the API-key secret: {e}"))?;
    storage::apikeys::insert(
        services.db.conn(),
        storage::apikeys::NewApiKey {
            user_id: owner.id,
            kid: kid.clone(),
            algorithm: "HS256".to_owned(),
            scope: "[]".to_owned(),
            secret_encrypted: sealed,
            allowed_ips: None,
            expires_at: None,
        },
    )
    .await?;

    // The gRPC frame, exactly as tonic (prost) encodes the request.
    let frame = grpc_frame(check_request(&args.path, &[("cookie", &cookie)])).await?;

    // Pre-signed API-key lines and probes.
    let now_ms = chrono::Utc::now().timestamp_millis();
    let first = now_ms - args.lines / 2;
    let lines_file = args.out.join("apikey_lines.txt");
    write_signed(&lines_file, &secret, &kid, first..first + args.lines)?;
    let probe_first = first + args.lines;
    let probe_file = args.out.join("apikey_probe.txt");
    write_signed(
        &probe_file,
        &secret,
        &kid,
        probe_first..probe_first + PROBE_LINES,
    )?;

    // Sanity: barong allows the session through both front ends, and the key over HTTP
    // (spending the first probe line).
    let url = format!("{http_base}/api/v2/auth{}", args.path);
    let auth = http_check(&url, &[("cookie", cookie.as_str())]).await?;
    println!(
        "http check (session): 200, authorization {}",
        preview(&auth)
    );
    let grpc_base = format!("http://{}", config.grpc_addr);
    let auth = grpc_check(
        &grpc_base,
        check_request(&args.path, &[("cookie", &cookie)]),
    )
    .await?;
    println!("grpc check (session): OK, authorization {}", preview(&auth));
    let probe_nonce = probe_first.to_string();
    let signature = sign(&secret, &probe_nonce, &kid)?;
    let auth = http_check(
        &url,
        &[
            ("x-auth-apikey", kid.as_str()),
            ("x-auth-nonce", probe_nonce.as_str()),
            ("x-auth-signature", signature.as_str()),
        ],
    )
    .await?;
    println!(
        "http check (api key): 200, authorization {}",
        preview(&auth)
    );

    write(
        &args.out.join("cookie.txt"),
        format!("{cookie}\n").as_bytes(),
    )?;
    write(&args.out.join("kid.txt"), format!("{kid}\n").as_bytes())?;
    write(&args.out.join("grpc_session.bin"), &frame)?;
    // The probe spent above is dropped so the file holds only unused lines.
    let probes = std::fs::read_to_string(&probe_file)?;
    let unused: String = probes.lines().skip(1).map(|l| format!("{l}\n")).collect();
    write(&probe_file, unused.as_bytes())?;

    let usable_s = (config.apikey_nonce_window_ms - half_span) / 1000;
    println!(
        "wrote {out}: cookie.txt, grpc_session.bin ({len} bytes), kid.txt ({kid}), \
         apikey_lines.txt ({lines} lines), apikey_probe.txt ({probes} lines)",
        out = args.out.display(),
        len = frame.len(),
        lines = args.lines,
        probes = PROBE_LINES - 1,
    );
    println!(
        "API-key nonces span {first}..{end} ms; with BARONG_APIKEY_NONCE_WINDOW_MS={window} \
         they are accepted for about {usable_s} s from now, each once",
        end = probe_first + PROBE_LINES - 1,
        window = config.apikey_nonce_window_ms,
    );
    services.db.close().await;
    Ok(())
}

/// The user with `email`, created (active, known password) if missing; with 2FA on
/// when `otp` is set.
async fn active_user(
    services: &Services,
    email: &str,
    password: &str,
    otp: bool,
) -> anyhow::Result<storage::users::User> {
    let conn = services.db.conn();
    let user = match storage::users::find_by_email(conn, email).await? {
        Some(user) => user,
        None => {
            let digest = barong::crypto::password::hash(password)
                .await
                .map_err(|e| anyhow!("cannot hash the password: {e}"))?;
            let user = storage::users::insert(
                conn,
                storage::users::NewUser {
                    uid: barong::domain::uid::Uid::generate().as_str().to_owned(),
                    email: email.to_owned(),
                    password_digest: digest,
                    role: "member".to_owned(),
                    state: "pending".to_owned(),
                    referral_id: None,
                },
            )
            .await?;
            println!("created user {email} ({})", user.uid);
            user
        }
    };
    storage::users::set_state(conn, user.id, "active").await?;
    if otp && !user.otp {
        // A fixed secret, as the tests do: the benchmark never asks for a code.
        let sealed = services
            .secrets
            .seal(b"0123456789abcdefghij")
            .map_err(|e| anyhow!("cannot seal the TOTP secret: {e}"))?;
        storage::users::enable_otp(conn, user.id, &sealed).await?;
    }
    storage::users::find_by_id(conn, user.id)
        .await?
        .ok_or_else(|| anyhow!("user {email} vanished"))
}

/// Logs in; returns the session cookie as `name=value`.
async fn login(base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v2/identity/sessions"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .with_context(|| format!("login request to {base}"))?;
    let status = response.status();
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    match cookie {
        Some(cookie) if status.as_u16() == 201 => Ok(cookie),
        _ => bail!(
            "login of {email} answered {status}: {}",
            response.text().await.unwrap_or_default()
        ),
    }
}

/// The HTTP edge check; the `authorization` header barong injected.
async fn http_check(url: &str, headers: &[(&str, &str)]) -> anyhow::Result<String> {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let auth = response
        .headers()
        .get(reqwest::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match auth {
        Some(auth) if status.as_u16() == 200 => Ok(auth),
        _ => bail!(
            "GET {url} was not allowed: {status} {}",
            response.text().await.unwrap_or_default()
        ),
    }
}

/// An Envoy `CheckRequest` for `GET path` with these (lower-case) headers.
fn check_request(path: &str, headers: &[(&str, &str)]) -> CheckRequest {
    let headers: HashMap<String, String> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    CheckRequest {
        attributes: Some(AttributeContext {
            request: Some(Request {
                http: Some(HttpRequest {
                    method: "GET".to_owned(),
                    path: path.to_owned(),
                    headers,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// The gRPC `Check`; the `authorization` header of an OK answer.
async fn grpc_check(base: &str, request: CheckRequest) -> anyhow::Result<String> {
    let mut client = AuthorizationClient::connect(base.to_owned())
        .await
        .with_context(|| format!("gRPC connect {base}"))?;
    let response = client.check(request).await?.into_inner();
    let code = response.status.as_ref().map_or(-1, |s| s.code);
    match response.http_response {
        Some(HttpResponse::OkResponse(ok)) if code == 0 => ok
            .headers
            .iter()
            .filter_map(|h| h.header.as_ref())
            .find(|h| h.key == "authorization")
            .map(|h| h.value.clone())
            .ok_or_else(|| anyhow!("gRPC OK without an authorization header")),
        Some(HttpResponse::DeniedResponse(denied)) => {
            bail!("gRPC check denied (code {code}): {}", denied.body)
        }
        other => bail!("gRPC check answered code {code}: {other:?}"),
    }
}

/// A tower service standing in for the network: it keeps the request body tonic sends
/// (the length-prefixed, prost-encoded message) and fails the call.
#[derive(Clone, Default)]
struct Capture(Arc<tokio::sync::Mutex<Option<Bytes>>>);

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl tower::Service<axum::http::Request<tonic::body::Body>> for Capture {
    type Response = axum::http::Response<Body>;
    type Error = anyhow::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _cx: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: axum::http::Request<tonic::body::Body>) -> Self::Future {
        let slot = self.0.clone();
        Box::pin(async move {
            let body = axum::body::to_bytes(Body::new(request.into_body()), 1 << 20).await?;
            *slot.lock().await = Some(body);
            Err(anyhow!("captured"))
        })
    }
}

/// The gRPC frame tonic would send for `request`.
async fn grpc_frame(request: CheckRequest) -> anyhow::Result<Vec<u8>> {
    let capture = Capture::default();
    let mut client = AuthorizationClient::new(capture.clone());
    // The capture fails the call on purpose, after the body has been read.
    let _ = client.check(request).await;
    let frame = capture
        .0
        .lock()
        .await
        .take()
        .ok_or_else(|| anyhow!("tonic sent no request body"))?;
    ensure!(frame.len() >= 5, "gRPC frame too short");
    let len = u32::from_be_bytes([frame[1], frame[2], frame[3], frame[4]]);
    ensure!(
        frame[0] == 0 && usize::try_from(len).ok() == Some(frame.len() - 5),
        "unexpected gRPC framing (compressed flag {}, length {len}, {} bytes)",
        frame[0],
        frame.len()
    );
    Ok(frame.to_vec())
}

fn sign(secret: &str, nonce: &str, kid: &str) -> anyhow::Result<String> {
    api_key::sign("HS256", secret, nonce, kid).ok_or_else(|| anyhow!("HS256 signing failed"))
}

/// Writes `nonce signature` lines for every nonce in `nonces`.
fn write_signed(
    path: &Path,
    secret: &str,
    kid: &str,
    nonces: std::ops::Range<i64>,
) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for nonce in nonces {
        let nonce = nonce.to_string();
        let signature = sign(secret, &nonce, kid)?;
        writeln!(out, "{nonce} {signature}")?;
    }
    out.flush()?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn preview(value: &str) -> String {
    let head: String = value.chars().take(24).collect();
    format!("{head}… ({} chars)", value.len())
}
