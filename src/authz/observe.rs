//! One observation per edge decision: the Check runs inside a span that joins the
//! gateway's trace (`traceparent` from the forwarded headers), and its outcome becomes
//! one typed `AuthzDecision` that feeds the Prometheus counters, the latency histogram
//! and a log line (debug for answers, error when a dependency failed), so the three
//! never disagree.

use std::time::Instant;

use tracing::Instrument;

use super::deny::UNAVAILABLE_KEY;
use super::{Authorizer, CheckRequest, Decision, Unavailable};
use crate::observability::metrics::{AuthzDecision, DecisionLabels};
use crate::observability::trace_context;

impl Authorizer {
    /// Decides `req` for the front end named `frontend` (`grpc` or `http`) and records
    /// the decision.
    pub async fn decide(
        &self,
        req: &CheckRequest,
        frontend: &'static str,
    ) -> Result<Decision, Unavailable> {
        // A span costs about as much as the check itself, so it exists only when
        // traces are exported.
        let span = if self.inner.settings.trace_checks {
            tracing::info_span!(
                "authz.check",
                otel.kind = "server",
                authz.frontend = frontend,
                http.request.method = %req.method,
                authz.outcome = tracing::field::Empty,
                authz.reason = tracing::field::Empty,
            )
        } else {
            tracing::Span::none()
        };
        trace_context::adopt_parent(&span, &req.headers);
        let started = Instant::now();
        let result = self.check(req).instrument(span.clone()).await;
        let (outcome, reason) = match &result {
            Ok(Decision::Allow { .. }) => ("allow", ""),
            Ok(Decision::Deny(reason)) => ("deny", reason.key()),
            Err(_) => ("error", UNAVAILABLE_KEY),
        };
        span.record("authz.outcome", outcome);
        span.record("authz.reason", reason);
        let decision = AuthzDecision {
            labels: DecisionLabels {
                frontend,
                outcome,
                reason,
            },
            elapsed: started.elapsed(),
        };
        self.inner.metrics.decision(&decision);
        let _entered = span.enter();
        match &result {
            Ok(Decision::Allow { .. }) => tracing::debug!(
                authz.frontend = frontend,
                authz.elapsed_us = decision.elapsed.as_micros() as u64,
                "edge check allowed"
            ),
            Ok(Decision::Deny(_)) => tracing::debug!(
                authz.frontend = frontend,
                authz.reason = reason,
                client.ip = %req.client_ip,
                "edge check denied"
            ),
            Err(e) => tracing::error!(
                authz.frontend = frontend,
                error = %e,
                "edge check failed closed"
            ),
        }
        result
    }
}
