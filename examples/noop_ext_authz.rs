//! A no-op edge check, the baseline of `scripts/bench.sh`: the same two front ends as
//! barong (Envoy ext_authz v3 `Check` over gRPC, and an nginx-style HTTP check on any
//! path) that allow everything without looking at the request, answering with one
//! `authorization: Bearer x` header. What remains is the cost of the transport
//! (tonic/hyper, axum) on this machine, to which barong's numbers are compared.
//!
//! ```sh
//! cargo run --release --example noop_ext_authz -- [GRPC_ADDR] [HTTP_ADDR]
//! ```
//!
//! Addresses: the arguments, else `NOOP_GRPC_ADDR` / `NOOP_HTTP_ADDR`, else
//! `127.0.0.1:9101` / `127.0.0.1:8101`. Port 0 picks a free port; the bound addresses
//! are printed on stdout as `noop grpc listening on ADDR` and `noop http listening on ADDR`.
//!
//! Accepted connections get `TCP_NODELAY`, as tonic's own `serve(addr)` does
//! (`NOOP_TCP_NODELAY=0` leaves Nagle on, like a `serve_with_incoming` on a plain
//! listener). `NOOP_BEARER` replaces the `Bearer x` value, e.g. by a JWT-sized one.

use std::net::SocketAddr;

use anyhow::Context;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use envoy_types::ext_authz::v3::pb::{
    Authorization, AuthorizationServer, CheckRequest, CheckResponse, HeaderAppendAction,
};
use envoy_types::ext_authz::v3::{CheckResponseExt, OkHttpResponseBuilder};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Status};

/// The ext_authz service that allows every request.
#[derive(Debug, Clone)]
struct Noop {
    /// Value of the `authorization` header set.
    bearer: String,
}

#[tonic::async_trait]
impl Authorization for Noop {
    async fn check(
        &self,
        _request: Request<CheckRequest>,
    ) -> Result<tonic::Response<CheckResponse>, Status> {
        // Same shape as barong's allow: drop the client's Authorization, set ours.
        let mut ok = OkHttpResponseBuilder::new();
        ok.remove_header("authorization");
        ok.add_header(
            "authorization",
            self.bearer.clone(),
            Some(HeaderAppendAction::OverwriteIfExistsOrAdd),
            false,
        );
        let mut response = CheckResponse::with_status(Status::ok(""));
        response.set_http_response(ok);
        Ok(tonic::Response::new(response))
    }
}

/// The HTTP check: 200, empty body, `Authorization: Bearer x` (or `NOOP_BEARER`),
/// whatever the request.
async fn allow(State(bearer): State<HeaderValue>) -> Response {
    let mut response = StatusCode::OK.into_response();
    response.headers_mut().insert(header::AUTHORIZATION, bearer);
    response
}

/// The address from argument `index`, else the variable `var`, else `default`.
fn address(index: usize, var: &str, default: &str) -> anyhow::Result<SocketAddr> {
    let raw = std::env::args()
        .nth(index)
        .or_else(|| std::env::var(var).ok())
        .unwrap_or_else(|| default.to_owned());
    raw.parse()
        .with_context(|| format!("{var} (argument {index}) must be HOST:PORT, got '{raw}'"))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let grpc_addr = address(1, "NOOP_GRPC_ADDR", "127.0.0.1:9101")?;
    let http_addr = address(2, "NOOP_HTTP_ADDR", "127.0.0.1:8101")?;
    let bearer = std::env::var("NOOP_BEARER").unwrap_or_else(|_| "Bearer x".to_owned());
    let header_value = HeaderValue::try_from(bearer.as_str()).context("NOOP_BEARER")?;
    let nodelay = !matches!(
        std::env::var("NOOP_TCP_NODELAY").as_deref(),
        Ok("0" | "false" | "no")
    );

    let grpc_listener = TcpListener::bind(grpc_addr)
        .await
        .with_context(|| format!("cannot listen on {grpc_addr}"))?;
    let http_listener = TcpListener::bind(http_addr)
        .await
        .with_context(|| format!("cannot listen on {http_addr}"))?;
    println!("noop grpc listening on {}", grpc_listener.local_addr()?);
    println!("noop http listening on {}", http_listener.local_addr()?);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown().await;
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };

    let incoming = TcpIncoming::from(grpc_listener).with_nodelay(Some(nodelay));
    let grpc = tonic::transport::Server::builder()
        .add_service(AuthorizationServer::new(Noop { bearer }))
        .serve_with_incoming_shutdown(incoming, stopped(stop_rx.clone()));
    let router = axum::Router::new().fallback(allow).with_state(header_value);
    let http_listener = http_listener.tap_io(move |tcp| {
        let _ = tcp.set_nodelay(nodelay);
    });
    let http = axum::serve(http_listener, router).with_graceful_shutdown(stopped(stop_rx));
    let (grpc_result, http_result) = tokio::join!(grpc, http.into_future());
    grpc_result.context("grpc server")?;
    http_result.context("http server")?;
    Ok(())
}
