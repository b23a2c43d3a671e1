//! State shared by every handler.

use std::sync::Arc;

use ipnet::IpNet;

use crate::authz::Authorizer;
use crate::observability::Metrics;
use crate::services::Services;

/// How the session cookie is written.
#[derive(Debug, Clone)]
pub struct CookieSettings {
    /// Cookie name.
    pub name: String,
    /// Whether to add `Secure`.
    pub secure: bool,
}

/// Build information for `/identity/version`.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    /// Release tag.
    pub git_tag: String,
    /// Commit.
    pub git_sha: String,
    /// Build time.
    pub build_date: String,
    /// Crate version.
    pub version: String,
}

/// Handler state: the use cases plus HTTP-only settings.
#[derive(Clone)]
pub struct HttpState {
    /// Use cases.
    pub services: Services,
    /// The edge decision core.
    pub authz: Authorizer,
    /// Session cookie settings.
    pub cookie: Arc<CookieSettings>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<IpNet>>,
    /// Build information.
    pub version: Arc<VersionInfo>,
    /// Prometheus registry.
    pub metrics: Metrics,
    /// Whether `/metrics` is served here (no separate `metrics_addr`).
    pub metrics_on_main_port: bool,
}
