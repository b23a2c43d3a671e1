//! Composition root: turns a validated `Config` into running listeners. Connects the
//! database (migrating it), the session store, keys, mail, captcha and the edge
//! decision core; binds the HTTP and gRPC listeners; serves until the shutdown future resolves, then drains in-flight requests.
//! May import every layer below.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::authz::rules::RulesHandle;
use crate::authz::{Authorizer, AuthzSettings};
use crate::config::{Config, StorageBackend};
use crate::crypto::jwt::JwtKeys;
use crate::crypto::secret_box::SecretBox;
use crate::events::{MailSettings, Mailer, Relay, SmsSender};
use crate::grpc;
use crate::http::{self, CookieSettings, HttpState, VersionInfo};
use crate::observability::Metrics;
use crate::services::captcha::CaptchaVerifier;
use crate::services::seed::{DEFAULT_SEEDS, Seeds};
use crate::services::{Services, Settings};
use crate::sessions::SessionStore;
use crate::storage::files::{FileStore, S3Settings};
use crate::storage::{self, Database};

/// A built application with bound listeners, ready to serve.
pub struct App {
    services: Services,
    http_listener: TcpListener,
    grpc_listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    http_state: HttpState,
    relay: Relay,
}

/// Connects every dependency and builds the use-case layer (shared by `serve` and the
/// one-shot CLI commands).
pub async fn build_services(config: &Config) -> anyhow::Result<Services> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let db = Database::connect(&config.database_url())
        .await
        .context("database")?;
    db.migrate().await.context("migrations")?;
    let sessions = SessionStore::from_config(
        config.redis_url.as_ref().map(|s| s.expose()),
        &config.redis_key_prefix,
        Duration::from_secs(config.session_expire),
    )
    .await
    .context("redis")?;
    let jwt = JwtKeys::load_or_generate(
        config.jwt_private_key_file.as_deref(),
        &config.data_dir,
        config.jwt_algorithm.to_jwt(),
    )?;
    let secrets = SecretBox::load_or_generate(
        config.secret_key.as_ref().map(|s| s.expose()),
        config.secret_keys_retired.as_ref().map(|s| s.expose()),
        &config.data_dir,
    )?;
    let settings = Settings {
        app_name: config.app_name.clone(),
        frontend_url: config.frontend_url.clone(),
        token_expire: config.token_expire,
        upload_max_bytes: config.upload_max_bytes,
        documents_limit: config.documents_limit,
        doc_types: config.doc_type_list(),
        required_docs_expire: config.required_docs_expire,
        phone_code_ttl: config.phone_code_ttl,
        phone_code_resend_secs: config.phone_code_resend_secs,
        phone_code_max_attempts: config.phone_code_max_attempts,
        admin_roles: config.admin_role_list(),
        identity_per_min: config.rate_limit_identity_per_min,
        sms_min_interval: config.sms_min_interval,
        sms_max_per_hour: config.sms_max_per_hour,
        login_max_failures: config.login_max_failures,
        domain: config.domain.clone(),
    };
    let services = Services::new(
        db,
        sessions,
        jwt,
        secrets,
        CaptchaVerifier::from_config(config),
        settings,
        SmsSender::from_config(config)?,
        file_store(config)?,
    )
    .await?;
    Ok(services)
}

/// The configured KYC file store: `<data dir>/uploads`, or an S3-compatible bucket.
fn file_store(config: &Config) -> anyhow::Result<FileStore> {
    let store = match config.storage_backend {
        StorageBackend::Local => FileStore::local(&config.data_dir.join("uploads")),
        StorageBackend::S3 => FileStore::s3(S3Settings {
            bucket: config.s3_bucket.clone(),
            region: config.s3_region.clone(),
            endpoint: Some(config.s3_endpoint.clone()).filter(|e| !e.trim().is_empty()),
            access_key_id: config.s3_access_key_id.clone(),
            secret_access_key: config
                .s3_secret_access_key
                .as_ref()
                .map(|s| s.expose().to_owned()),
            path_style: config.s3_path_style,
        }),
    };
    store.context("document storage")
}

impl App {
    /// Builds services, seeds a fresh database with Barong's default levels and
    /// permissions (so sign-up works on first start), and binds the HTTP listener.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let services = build_services(config).await?;
        if storage::permissions::count(services.db.conn()).await? == 0 {
            let seeds = Seeds::parse(DEFAULT_SEEDS)?;
            let report = services.seed_levels_and_permissions(&seeds).await?;
            tracing::info!(
                seed.levels = report.levels_added,
                seed.permissions = report.permissions_added,
                "empty database seeded with default levels and permissions"
            );
        }
        let http_listener = TcpListener::bind(config.http_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.http_addr))?;
        let grpc_listener = TcpListener::bind(config.grpc_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.grpc_addr))?;
        let metrics_listener = match config.metrics_socket()? {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr}"))?,
            ),
            None => None,
        };
        let metrics = Metrics::new();
        let authz = build_authorizer(config, &services, metrics.clone()).await?;
        let relay = build_relay(config, &services, metrics.clone())?;
        let http_state = HttpState {
            services: services.clone(),
            authz,
            cookie: Arc::new(CookieSettings {
                name: config.session_cookie_name.clone(),
                secure: config.session_cookie_secure,
            }),
            trusted_proxies: Arc::new(config.trusted_proxy_nets()?),
            version: Arc::new(version_info()),
            metrics,
            metrics_on_main_port: metrics_listener.is_none(),
        };
        Ok(Self {
            services,
            http_listener,
            grpc_listener,
            metrics_listener,
            http_state,
            relay,
        })
    }

    /// The bound HTTP address (port 0 in tests resolves here).
    pub fn http_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.http_listener.local_addr()?)
    }

    /// The bound gRPC address.
    pub fn grpc_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.grpc_listener.local_addr()?)
    }

    /// The use cases, for tests and CLI commands running beside the server.
    pub fn services(&self) -> Services {
        self.services.clone()
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (http_addr, grpc_addr) = (self.http_addr()?, self.grpc_addr()?);
        tracing::info!(http.addr = %http_addr, grpc.addr = %grpc_addr, "barong listening");
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let relay = self.relay.spawn(stop_rx.clone());
        let state = self.http_state;
        if let Some(listener) = self.metrics_listener {
            let metrics_app = http::metrics_router(state.clone());
            let stop = stopped(stop_rx.clone());
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, metrics_app)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    tracing::error!(error = %e, "metrics listener failed");
                }
            });
        }
        let ext_authz = grpc::ExtAuthz::new(state.authz.clone(), state.trusted_proxies.clone());
        let grpc_server = grpc::serve(ext_authz, self.grpc_listener, stopped(stop_rx.clone()));
        let service = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
        let http_server =
            axum::serve(self.http_listener, service).with_graceful_shutdown(stopped(stop_rx));
        let (http_result, grpc_result) = tokio::join!(http_server.into_future(), grpc_server);
        http_result?;
        grpc_result?;
        if let Err(e) = relay.await {
            tracing::error!(error = %e, "outbox relay ended abnormally");
        }
        self.services.db.close().await;
        tracing::info!("barong stopped");
        Ok(())
    }
}

/// The outbox relay: RabbitMQ (when configured) and the mailer, with the event key.
fn build_relay(config: &Config, services: &Services, metrics: Metrics) -> anyhow::Result<Relay> {
    let mailer = Mailer::from_config(
        config.smtp_url.as_ref().map(|s| s.expose()),
        config.mail_dir(),
        &config.mail_from,
    )?;
    let event_keys =
        JwtKeys::load_or_create_at(&config.event_key_path(), jsonwebtoken::Algorithm::RS256)
            .context("event key")?;
    Ok(Relay {
        db: services.db.clone(),
        mailer,
        mail: MailSettings {
            app_name: config.app_name.clone(),
            frontend_url: config.frontend_url.clone(),
        },
        event_keys,
        amqp_url: config.amqp_url.as_ref().map(|s| s.expose().to_owned()),
        retention: Duration::from_secs(config.outbox_retention),
        metrics,
    })
}

/// The edge decision core over the same database, sessions and keys.
pub async fn build_authorizer(
    config: &Config,
    services: &Services,
    metrics: Metrics,
) -> anyhow::Result<Authorizer> {
    let rules =
        RulesHandle::load(config.authz_rules_file.as_deref()).map_err(anyhow::Error::msg)?;
    let settings = AuthzSettings {
        cookie_name: config.session_cookie_name.clone(),
        csrf_protection: config.csrf_protection,
        bind_user_agent: config.session_bind_user_agent,
        nonce_window_ms: config.apikey_nonce_window_ms,
        apikey_require_scope: config.apikey_require_scope,
        apikey_min_version: config.apikey_min_version,
        apikey_per_sec: config.rate_limit_apikey_per_sec,
        anon_per_sec: config.rate_limit_anon_per_sec,
        jwt_expire_secs: config.jwt_expire,
        trace_checks: config.otlp_endpoint.is_some(),
    };
    Ok(Authorizer::new(
        settings,
        rules,
        services.sessions.clone(),
        services.db.clone(),
        services.jwt.clone(),
        services.secrets.clone(),
        metrics,
    )
    .await?)
}

/// Version, commit and build date embedded by `build.rs`.
pub fn version_info() -> VersionInfo {
    VersionInfo {
        git_tag: env!("BARONG_GIT_TAG").to_owned(),
        git_sha: env!("BARONG_GIT_SHA").to_owned(),
        build_date: env!("BARONG_BUILD_DATE").to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}
