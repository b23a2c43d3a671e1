//! gRPC front end (tonic): Envoy's `envoy.service.auth.v3.Authorization/Check` and the
//! standard gRPC health service. A thin translator around `authz`: the Envoy request
//! becomes a `CheckRequest`; `Allow` becomes OK with the JWT in `headers_to_set` and the
//! client's own `Authorization` removed (so a forged token never reaches upstream);
//! `Deny` becomes Barong's status and JSON body; `Unavailable` becomes a 503 denial
//! with gRPC `UNAVAILABLE` (fail closed). Imports: `authz`, `domain`.

use std::net::IpAddr;
use std::sync::Arc;

use envoy_types::ext_authz::v3::pb::{
    Authorization, AuthorizationServer, CheckRequest as EnvoyCheckRequest, CheckResponse,
    HeaderAppendAction, HttpStatusCode,
};
use envoy_types::ext_authz::v3::{
    CheckRequestExt, CheckResponseExt, DeniedHttpResponseBuilder, OkHttpResponseBuilder,
};
use ipnet::IpNet;
use tonic::{Request, Response, Status};

use crate::authz::deny::{UNAVAILABLE_KEY, grpc_code};
use crate::authz::{Authorizer, CheckRequest, Decision, ForwardedBody};

/// The ext_authz service.
#[derive(Clone)]
pub struct ExtAuthz {
    authz: Authorizer,
    trusted_proxies: Arc<Vec<IpNet>>,
}

impl ExtAuthz {
    /// Wraps the decision core.
    pub fn new(authz: Authorizer, trusted_proxies: Arc<Vec<IpNet>>) -> Self {
        Self {
            authz,
            trusted_proxies,
        }
    }

    fn to_check_request(&self, req: &EnvoyCheckRequest) -> CheckRequest {
        let http = req
            .attributes
            .as_ref()
            .and_then(|a| a.request.as_ref())
            .and_then(|r| r.http.as_ref());
        let headers = http.map(|h| h.headers.clone()).unwrap_or_default();
        let peer: IpAddr = req
            .get_client_address()
            .and_then(|a| a.parse().ok())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let xff = headers.get("x-forwarded-for").map(String::as_str);
        let client_ip = crate::domain::client_ip::resolve(peer, xff, &self.trusted_proxies);
        CheckRequest {
            method: http.map(|h| h.method.to_uppercase()).unwrap_or_default(),
            path: http.map(|h| h.path.clone()).unwrap_or_default(),
            host: http.map(|h| h.host.clone()).unwrap_or_default(),
            headers,
            client_ip: client_ip.to_string(),
            body: http.map(forwarded_body).unwrap_or_default(),
        }
    }
}

fn status(code: i32) -> Status {
    Status::new(tonic::Code::from(code), "")
}

fn denied(code: i32, http_status: u16, body: String, retry_after: Option<u64>) -> CheckResponse {
    let mut builder = DeniedHttpResponseBuilder::new();
    let http =
        HttpStatusCode::try_from(i32::from(http_status)).unwrap_or(HttpStatusCode::Forbidden);
    builder
        .set_http_status(http)
        .add_header(
            "content-type",
            "application/json",
            Some(HeaderAppendAction::OverwriteIfExistsOrAdd),
            false,
        )
        .set_body(body);
    if let Some(secs) = retry_after {
        builder.add_header(
            "retry-after",
            secs.to_string(),
            Some(HeaderAppendAction::OverwriteIfExistsOrAdd),
            false,
        );
    }
    let mut response = CheckResponse::with_status(status(code));
    response.set_http_response(builder);
    response
}

#[tonic::async_trait]
impl Authorization for ExtAuthz {
    async fn check(
        &self,
        request: Request<EnvoyCheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let check = self.to_check_request(request.get_ref());
        let response = match self.authz.decide(&check, "grpc").await {
            Ok(Decision::Allow { headers }) => {
                let mut ok = OkHttpResponseBuilder::new();
                ok.remove_header("authorization");
                for (name, value) in headers {
                    ok.add_header(
                        name,
                        value,
                        Some(HeaderAppendAction::OverwriteIfExistsOrAdd),
                        false,
                    );
                }
                let mut response = CheckResponse::with_status(status(grpc_code::OK));
                response.set_http_response(ok);
                response
            }
            Ok(Decision::Deny(reason)) => denied(
                reason.grpc_code(),
                reason.http_status(),
                reason.body(),
                reason.retry_after(),
            ),
            Err(_) => {
                // Logged and counted by `decide`.
                denied(
                    grpc_code::UNAVAILABLE,
                    503,
                    format!("{{\"errors\":[\"{UNAVAILABLE_KEY}\"]}}"),
                    None,
                )
            }
        };
        Ok(Response::new(response))
    }
}

/// Serves ext_authz and gRPC health on `listener` until `shutdown` resolves.
pub async fn serve(
    service: ExtAuthz,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<AuthorizationServer<ExtAuthz>>()
        .await;
    // Nagle's algorithm would hold small answers back for the peer's delayed ACK.
    let incoming = tokio_stream::StreamExt::map(
        tokio_stream::wrappers::TcpListenerStream::new(listener),
        |conn| {
            if let Ok(stream) = &conn {
                let _ = stream.set_nodelay(true);
            }
            conn
        },
    );
    tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(AuthorizationServer::new(service))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}

/// What Envoy forwarded of the body (`with_request_body`): an empty body counts as
/// forwarded only when the request announces none (else Envoy was not asked for it).
fn forwarded_body(
    http: &envoy_types::pb::envoy::service::auth::v3::attribute_context::HttpRequest,
) -> ForwardedBody {
    if http
        .headers
        .get("x-envoy-auth-partial-body")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return ForwardedBody::Partial;
    }
    if !http.raw_body.is_empty() {
        return ForwardedBody::Full(bytes::Bytes::from(http.raw_body.clone()));
    }
    if !http.body.is_empty() {
        return ForwardedBody::Full(bytes::Bytes::from(http.body.clone().into_bytes()));
    }
    let announced = http
        .headers
        .get("content-length")
        .is_some_and(|n| n.trim() != "0")
        || http.headers.contains_key("transfer-encoding")
        || http.size > 0;
    if announced {
        ForwardedBody::NotForwarded
    } else {
        ForwardedBody::Full(bytes::Bytes::new())
    }
}
