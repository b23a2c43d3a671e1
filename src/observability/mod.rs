//! Observability: logging (tracing with an env-filter, human lines or JSON), traces
//! exported over OTLP when a collector is configured, and the Prometheus registry.
//! Field names are dotted (`user.uid`); secrets (passwords, codes, session ids, tokens)
//! are never recorded as fields. Imports: `config`.

pub mod metrics;
pub mod trace_context;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{Config, LogFormat};

pub use metrics::Metrics;

/// Flushes exported spans when dropped (at the end of `main`).
#[must_use = "dropping the guard flushes and stops the trace exporter"]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(e) = provider.shutdown()
        {
            eprintln!("trace exporter shutdown: {e}");
        }
    }
}

/// Installs the global subscriber; call once, inside the Tokio runtime (the OTLP
/// exporter's gRPC client needs it). Traces go to `otlp_endpoint` when it is set;
/// nothing is started otherwise.
pub fn init(config: &Config) -> TelemetryGuard {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt::layer().with_target(false);
    let fmt = match config.log_format {
        LogFormat::Json => fmt.json().flatten_event(true).boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let (provider, otel_error) = match config.otlp_endpoint.as_deref() {
        Some(endpoint) => match tracer_provider(endpoint, &config.otlp_service_name) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e)),
        },
        None => (None, None),
    };
    let otel = provider.as_ref().map(|p| {
        opentelemetry::global::set_text_map_propagator(
            opentelemetry_sdk::propagation::TraceContextPropagator::new(),
        );
        tracing_opentelemetry::layer().with_tracer(p.tracer("barong"))
    });
    let result = tracing_subscriber::registry()
        .with(otel)
        .with(fmt)
        .with(filter)
        .try_init();
    if let Err(e) = result {
        eprintln!("logging already initialised: {e}");
    }
    if let Some(e) = otel_error {
        tracing::error!(error = %e, "trace exporter not started");
    } else if let Some(endpoint) = &config.otlp_endpoint {
        tracing::info!(otlp.endpoint = %endpoint, "exporting traces over OTLP/gRPC");
    }
    TelemetryGuard { provider }
}

fn tracer_provider(endpoint: &str, service: &str) -> Result<SdkTracerProvider, String> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_tonic()
        .with_endpoint(endpoint)
        .build()
        .map_err(|e| e.to_string())?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service.to_owned())
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}
