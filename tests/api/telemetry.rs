//! Operators' view: `/metrics` counts edge decisions by front end, outcome and key; a
//! served instance exports a span per Check to an OTLP collector, parented to the
//! gateway's `traceparent`; JSON logs carry no secret.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::trace::v1::Span;
use serde_json::json;

use crate::authz_parity::{Outcome, Probe, via_grpc, via_http};
use crate::helpers::{PASSWORD, TestApp, jwt_key_file};

const ME: &str = "/api/v2/barong/resource/users/me";

#[tokio::test]
async fn metrics_count_checks_by_frontend_outcome_and_key() {
    let app = TestApp::spawn().await;
    app.register_confirmed("metrics@barong.test").await;
    let cookie = app.login_cookie("metrics@barong.test", None).await;
    let allowed = Probe::new("GET", ME).header("Cookie", &cookie);
    assert!(matches!(via_http(&app, &allowed).await, Outcome::Allow(_)));
    assert!(matches!(via_grpc(&app, &allowed).await, Outcome::Allow(_)));
    let anonymous = Probe::new("GET", ME);
    assert!(matches!(
        via_grpc(&app, &anonymous).await,
        Outcome::Deny(401, _)
    ));
    assert!(matches!(
        via_grpc(&app, &anonymous).await,
        Outcome::Deny(401, _)
    ));

    let r = app.get("/metrics").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = r.text().await.unwrap();
    for line in [
        r#"barong_authz_decisions_total{frontend="http",outcome="allow",reason=""} 1"#,
        r#"barong_authz_decisions_total{frontend="grpc",outcome="allow",reason=""} 1"#,
        r#"barong_authz_decisions_total{frontend="grpc",outcome="deny",reason="authz.invalid_session"} 2"#,
        r#"barong_authz_decision_duration_seconds_count{frontend="grpc"} 3"#,
        r#"barong_cache_requests_total{cache="users",result="hit"} 1"#,
        r#"barong_cache_requests_total{cache="users",result="miss"} 1"#,
        r#"barong_cache_requests_total{cache="upstream_jwt",result="miss"} 1"#,
        r#"barong_cache_requests_total{cache="upstream_jwt",result="hit"} 1"#,
        r#"barong_http_requests_total{method="POST",route="/api/v2/identity/sessions",status="201"} 1"#,
        r#"barong_sessions 1"#,
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
    for prefix in [
        r#"barong_outbox_depth{consumer="mail"}"#,
        r#"barong_outbox_depth{consumer="amqp"}"#,
        r#"barong_outbox_oldest_age_seconds{consumer="mail"}"#,
        r#"barong_pool_connections{pool="database",state="max"}"#,
        "barong_outbox_relay_leader 1",
    ] {
        assert!(text.contains(prefix), "missing {prefix} in\n{text}");
    }
    // Raw paths never become labels (one series per user id would explode).
    assert!(!text.contains("ID"), "{text}");
}

/// An OTLP/gRPC collector keeping every exported span.
#[derive(Default, Clone)]
struct Collector {
    spans: Arc<Mutex<Vec<Span>>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut spans = self.spans.lock().unwrap();
        for resource in request.into_inner().resource_spans {
            for scope in resource.scope_spans {
                spans.extend(scope.spans);
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_check_exports_a_span_in_the_gateways_trace_and_logs_json_without_secrets() {
    let collector = Collector::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let otlp = format!("http://{}", listener.local_addr().unwrap());
    let server = tonic::transport::Server::builder()
        .add_service(TraceServiceServer::new(collector.clone()))
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    tokio::spawn(server);

    let dir = tempfile::tempdir().unwrap();
    let (http_port, grpc_port) = (free_port(), free_port());
    let key = jwt_key_file();
    let mut child = Command::new(env!("CARGO_BIN_EXE_barong"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BARONG_DATA_DIR", dir.path())
        .env("BARONG_HTTP_ADDR", format!("127.0.0.1:{http_port}"))
        .env("BARONG_GRPC_ADDR", format!("127.0.0.1:{grpc_port}"))
        .env("BARONG_JWT_PRIVATE_KEY_FILE", &key)
        .env("BARONG_EVENT_PRIVATE_KEY_FILE", &key)
        .env("BARONG_OTLP_ENDPOINT", &otlp)
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .env("BARONG_LOG_FORMAT", "json")
        .env("BARONG_LOG_LEVEL", "info,barong=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{http_port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/health/live"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "barong serve did not come up");

    // A user, confirmed through the mailed link, logged in.
    let email = "traced@barong.test";
    let r = client
        .post(format!("{base}/api/v2/identity/users"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = wait_for_token(&dir.path().join("mail")).await;
    let r = client
        .post(format!("{base}/api/v2/identity/users/email/confirm_code"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = client
        .post(format!("{base}/api/v2/identity/sessions"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let session_value = cookie.split('=').nth(1).unwrap().to_owned();

    // Envoy forwards the trace context in the CheckRequest headers.
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let parent_id = "00f067aa0ba902b7";
    let app_view = GrpcTarget { grpc_port };
    let probe = Probe::new("GET", ME)
        .header("Cookie", &cookie)
        .header("traceparent", &format!("00-{trace_id}-{parent_id}-01"));
    let outcome = app_view.check(&probe).await;
    assert!(matches!(outcome, Outcome::Allow(_)), "{outcome:?}");

    let mut found = None;
    for _ in 0..100 {
        found = collector
            .spans
            .lock()
            .unwrap()
            .iter()
            .find(|s| s.name == "authz.check" && hex::encode(&s.trace_id) == trace_id)
            .cloned();
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let span = found.expect("a Check span in the gateway's trace reached the collector");
    assert_eq!(hex::encode(&span.parent_span_id), parent_id);

    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 3, "{stdout}");
    for line in &lines {
        let parsed: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        assert!(parsed.get("level").is_some(), "{line}");
        for secret in [PASSWORD, session_value.as_str(), token.as_str(), "eyJ"] {
            assert!(!line.contains(secret), "a secret in the log: {line}");
        }
    }
    assert!(
        lines.iter().any(|l| l.contains("edge check allowed")),
        "the decision is logged: {stdout}"
    );
}

/// The confirmation token from the first mail in `dir`.
async fn wait_for_token(dir: &std::path::Path) -> String {
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let raw = std::fs::read(entry.path()).unwrap_or_default();
                if let Some(msg) = mail_parser::MessageParser::default().parse(&raw)
                    && let Some(body) = msg.body_text(0)
                    && let Some(at) = body.find("confirmation_token=")
                {
                    return body[at + "confirmation_token=".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no confirmation mail in {}", dir.display());
}

/// `via_grpc` needs a `TestApp`; this points the same probe at a bare port.
struct GrpcTarget {
    grpc_port: u16,
}

impl GrpcTarget {
    async fn check(&self, probe: &Probe) -> Outcome {
        crate::authz_parity::via_grpc_at(&format!("127.0.0.1:{}", self.grpc_port), probe).await
    }
}

#[tokio::test]
async fn metrics_can_live_on_their_own_port() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let app = TestApp::spawn_with(&[("BARONG_METRICS_ADDR", &addr)]).await;
    let r = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("barong_sessions "));
    assert_eq!(
        app.get("/metrics").await.status(),
        404,
        "not on the API port"
    );
}
