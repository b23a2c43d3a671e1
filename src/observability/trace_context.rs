//! W3C trace context: the span of an HTTP request or an edge Check joins the trace of
//! the gateway that sent it (Envoy forwards `traceparent` in the CheckRequest headers,
//! nginx with `proxy_set_header traceparent`). Without an exporter this does nothing.

use opentelemetry::propagation::Extractor;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Header lookup by lower-case name, whatever map the front end has.
pub trait HeaderSource {
    /// The value of `name` (lower case), if present.
    fn header(&self, name: &str) -> Option<&str>;
}

struct Adapter<'a, H: ?Sized>(&'a H);

impl<H: HeaderSource + ?Sized> Extractor for Adapter<'_, H> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.header(&key.to_ascii_lowercase())
    }

    fn keys(&self) -> Vec<&str> {
        vec!["traceparent", "tracestate"]
    }
}

/// Makes `span` a child of the trace named by the request's `traceparent`, if any.
pub fn adopt_parent(span: &tracing::Span, headers: &(impl HeaderSource + ?Sized)) {
    if headers.header("traceparent").is_none() {
        return;
    }
    let parent = opentelemetry::global::get_text_map_propagator(|p| p.extract(&Adapter(headers)));
    // Fails only when no OpenTelemetry layer is installed: then there is nothing to join.
    let _ = span.set_parent(parent);
}

impl HeaderSource for std::collections::HashMap<String, String> {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}
