//! The edge decision core, transport-neutral: `CheckRequest` in, `Decision` out, with
//! infrastructure failures kept apart (`Unavailable`) so both adapters fail closed.
//! Order and error keys follow Barong (reference 4.2, 4.8); paths are normalised and
//! matched on segment boundaries; API-key signatures are compared in constant time with
//! fresh, single-use nonces. Hot path: with warm caches an allowed check does no SQL and
//! no RSA signature (tokens are reused); Redis round trips: one for a session (GETEX),
//! one for an API key (one script spends the nonce and counts the key's rate), one on a pass route
//! (the anonymous rate limit).
//! Every decision is observed once (`observe`): a span joined to the gateway's trace, a
//! log line and the Prometheus counters, all from one typed event.
//! Imports: `storage`, `sessions`, `crypto`, `config`, `domain`, `observability`.

pub mod api_key;
mod audit;
pub mod deny;
mod feed;
mod key_check;
mod observe;
pub mod path;
pub mod rbac;
mod request;
pub mod rules;
pub mod scopes;
pub mod signature_v2;
mod snapshot;
pub mod upstream_jwt;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use moka::future::Cache;

use crate::crypto::jwt::JwtKeys;
use crate::crypto::secret_box::SecretBox;
use crate::observability::Metrics;
use crate::sessions::{Limit, NonceGuard, RateLimiter, SessionStore, Verdict};
use crate::storage::{self, Database};

pub use deny::DenyReason;
pub use key_check::KeyUse;
pub use request::{CheckRequest, Decision, ForwardedBody, Unavailable};
pub use snapshot::{KeySnapshot, UserSnapshot};

use audit::AuditWriter;
use path::NormalPath;
use rbac::{PermissionTable, RbacOutcome};
use rules::{RuleVerdict, RulesHandle};
use upstream_jwt::UpstreamTokens;

/// Settings of the edge check.
#[derive(Debug, Clone)]
pub struct AuthzSettings {
    /// Session cookie name.
    pub cookie_name: String,
    /// Require `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_protection: bool,
    /// Deny a session used from another user agent than at login.
    pub bind_user_agent: bool,
    /// Accepted distance between an API-key nonce and now, in milliseconds.
    pub nonce_window_ms: i64,
    /// Deny API keys that carry no scope.
    pub apikey_require_scope: bool,
    /// Lowest accepted API-key signature version.
    pub apikey_min_version: u8,
    /// Checks per API key and second (0: off); bursts up to twice that.
    pub apikey_per_sec: u32,
    /// Checks without valid credentials per client IP and second (0: off).
    pub anon_per_sec: u32,
    /// Lifetime of upstream JWTs in seconds.
    pub jwt_expire_secs: u64,
    /// Open a span per check (only worth its cost when traces are exported).
    pub trace_checks: bool,
}

/// The decision core (cheap to clone).
#[derive(Clone)]
pub struct Authorizer {
    inner: Arc<Inner>,
}

struct Inner {
    settings: AuthzSettings,
    rules: RulesHandle,
    sessions: SessionStore,
    db: Database,
    secrets: Arc<SecretBox>,
    users: Cache<String, Arc<UserSnapshot>>,
    keys: Cache<String, Arc<KeySnapshot>>,
    permissions: RwLock<Arc<PermissionTable>>,
    nonces: NonceGuard,
    limiter: RateLimiter,
    tokens: UpstreamTokens,
    audit: AuditWriter,
    metrics: Metrics,
}

const CACHE_TTL: Duration = Duration::from_secs(300);
const WRITE_METHODS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

impl Authorizer {
    /// Builds the core, loads the permission table and starts the change-feed poller.
    pub async fn new(
        settings: AuthzSettings,
        rules: RulesHandle,
        sessions: SessionStore,
        db: Database,
        jwt: Arc<JwtKeys>,
        secrets: Arc<SecretBox>,
        metrics: Metrics,
    ) -> Result<Self, Unavailable> {
        let nonce_ttl =
            Duration::from_millis(u64::try_from(settings.nonce_window_ms * 2).unwrap_or(10_000));
        let inner = Inner {
            tokens: UpstreamTokens::new(jwt, settings.jwt_expire_secs, metrics.clone()),
            nonces: NonceGuard::new(&sessions, nonce_ttl),
            limiter: RateLimiter::new(&sessions),
            audit: AuditWriter::start(db.clone()),
            users: Cache::builder()
                .max_capacity(1_000_000)
                .time_to_live(CACHE_TTL)
                .build(),
            keys: Cache::builder()
                .max_capacity(1_000_000)
                .time_to_live(CACHE_TTL)
                .build(),
            permissions: RwLock::new(Arc::new(PermissionTable::default())),
            settings,
            rules,
            sessions,
            db,
            secrets,
            metrics,
        };
        let authz = Self {
            inner: Arc::new(inner),
        };
        let head = storage::invalidations::head(authz.inner.db.conn())
            .await
            .map_err(unavailable)?;
        authz.reload_permissions().await?;
        feed::spawn(authz.clone(), head);
        Ok(authz)
    }

    /// Decides one request.
    pub async fn check(&self, req: &CheckRequest) -> Result<Decision, Unavailable> {
        let Ok(path) = NormalPath::parse(&req.path) else {
            return Ok(Decision::Deny(DenyReason::InvalidPath));
        };
        match self.inner.rules.get().verdict(&path) {
            RuleVerdict::Block => return Ok(Decision::Deny(DenyReason::PermissionDenied)),
            RuleVerdict::Pass => {
                // Public routes take no credentials: every request counts for its IP.
                if let Some(denied) = self.over_anonymous_limit(req).await? {
                    return Ok(Decision::Deny(denied));
                }
                return Ok(Decision::Allow {
                    headers: Vec::new(),
                });
            }
            RuleVerdict::Check => {}
        }
        let api_key_mode = ["x-auth-apikey", "x-auth-nonce", "x-auth-signature"]
            .iter()
            .any(|h| req.headers.contains_key(*h));
        let caller = if api_key_mode {
            self.api_key_user(req, &path)
                .await?
                .map(|(user, key)| (user, None, Some(key)))
        } else {
            self.session_user(req)
                .await?
                .map(|(user, sid)| (user, sid, None))
        };
        let (user, sid, key) = match caller {
            Ok(found) => found,
            // Missing or wrong credentials count for the client IP like none at all
            // (so a made-up cookie or key does not escape the anonymous limit).
            Err(reason) if reason.is_unauthenticated() => {
                let limited = self.over_anonymous_limit(req).await?;
                return Ok(Decision::Deny(limited.unwrap_or(reason)));
            }
            Err(reason) => return Ok(Decision::Deny(reason)),
        };
        let table = self.permission_table();
        match table.evaluate(&user.role, &req.method, &path) {
            RbacOutcome::Deny => {
                let topic = rbac::audit_topic(None, &path);
                self.inner
                    .audit
                    .record(user.id, req, path.as_str(), topic, "denied")
                    .await;
                return Ok(Decision::Deny(DenyReason::InvalidPermission));
            }
            RbacOutcome::Allow { audit: Some(topic) } => {
                self.inner
                    .audit
                    .record(user.id, req, path.as_str(), topic, "succeed")
                    .await;
            }
            RbacOutcome::Allow { audit: None } => {}
        }
        let token = self
            .inner
            .tokens
            .token_for(&user, sid.as_deref(), key.as_ref())
            .await
            .map_err(unavailable)?;
        Ok(Decision::Allow {
            headers: vec![("authorization".to_owned(), format!("Bearer {token}"))],
        })
    }

    /// The session's user and the session's public handle.
    async fn session_user(
        &self,
        req: &CheckRequest,
    ) -> Result<Result<(Arc<UserSnapshot>, Option<String>), DenyReason>, Unavailable> {
        let settings = &self.inner.settings;
        let Some(cookie) = req.cookie(&settings.cookie_name) else {
            return Ok(Err(DenyReason::InvalidSession));
        };
        let Some(session) = self
            .inner
            .sessions
            .get(&cookie)
            .await
            .map_err(unavailable)?
        else {
            return Ok(Err(DenyReason::InvalidSession));
        };
        if settings.bind_user_agent
            && req.header("user-agent").unwrap_or_default() != session.user_agent
        {
            return Ok(Err(DenyReason::InvalidSession));
        }
        let Some(user) = self.user(&session.uid).await? else {
            return Ok(Err(DenyReason::InvalidSession));
        };
        if user.state != "active" {
            return Ok(Err(DenyReason::UserNotActive));
        }
        if settings.csrf_protection && WRITE_METHODS.contains(&req.method.as_str()) {
            let sent = req.header("x-csrf-token").unwrap_or_default();
            if !crate::crypto::constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Ok(Err(DenyReason::InvalidCsrfToken));
            }
        }
        Ok(Ok((user, Some(session.public_id.clone()))))
    }

    /// A user by uid, from the cache or the database; `None` if it does not exist.
    async fn user(&self, uid: &str) -> Result<Option<Arc<UserSnapshot>>, Unavailable> {
        if let Some(user) = self.inner.users.get(uid).await {
            self.inner.metrics.cache_lookup("users", true);
            return Ok(Some(user));
        }
        self.inner.metrics.cache_lookup("users", false);
        let Some(row) = storage::users::find_by_uid(self.inner.db.conn(), uid)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let user = Arc::new(UserSnapshot::from(row));
        self.inner.users.insert(uid.to_owned(), user.clone()).await;
        Ok(Some(user))
    }

    /// An API key by kid with its secret decrypted; `None` if unknown.
    async fn key(&self, kid: &str) -> Result<Option<Arc<KeySnapshot>>, Unavailable> {
        if let Some(key) = self.inner.keys.get(kid).await {
            self.inner.metrics.cache_lookup("api_keys", true);
            return Ok(Some(key));
        }
        self.inner.metrics.cache_lookup("api_keys", false);
        let conn = self.inner.db.conn();
        let Some(row) = storage::apikeys::find_by_kid(conn, kid)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let Some(owner) = storage::users::find_by_id(conn, row.user_id)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        let sealed = row.secret_encrypted.clone().unwrap_or_default();
        let secret = self
            .inner
            .secrets
            .open(&sealed)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| Unavailable(format!("secret of API key {kid} cannot be decrypted")))?;
        let key = Arc::new(KeySnapshot::new(row, secret, owner.uid));
        self.inner.keys.insert(kid.to_owned(), key.clone()).await;
        Ok(Some(key))
    }

    /// Counts a check without valid credentials for its client IP.
    async fn over_anonymous_limit(
        &self,
        req: &CheckRequest,
    ) -> Result<Option<DenyReason>, Unavailable> {
        let limit = Limit::new(self.inner.settings.anon_per_sec, Duration::from_secs(1));
        self.over_limit(&format!("anon:{}", req.client_ip), limit)
            .await
    }

    /// Counts a hit; the denial to give when it is over `limit`.
    async fn over_limit(&self, key: &str, limit: Limit) -> Result<Option<DenyReason>, Unavailable> {
        match self
            .inner
            .limiter
            .hit(key, limit)
            .await
            .map_err(unavailable)?
        {
            Verdict::Allowed => Ok(None),
            Verdict::Limited { retry_after_secs } => {
                Ok(Some(DenyReason::RateLimited(retry_after_secs)))
            }
        }
    }

    fn permission_table(&self) -> Arc<PermissionTable> {
        match self.inner.permissions.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reloads the permission table from the database.
    async fn reload_permissions(&self) -> Result<(), Unavailable> {
        let rows = storage::permissions::list_all(self.inner.db.conn())
            .await
            .map_err(unavailable)?;
        let table = PermissionTable::from_rows(
            rows.into_iter()
                .map(|p| (p.role, p.verb, p.path, p.action, p.topic)),
        );
        match self.inner.permissions.write() {
            Ok(mut guard) => *guard = Arc::new(table),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(table),
        }
        Ok(())
    }

    /// Drops everything cached about users and keys (the feed could not be read, so the
    /// caches can no longer be trusted: the next checks go to the database).
    async fn forget_all(&self) {
        self.inner.users.invalidate_all();
        self.inner.keys.invalidate_all();
    }
}

fn unavailable(e: impl std::fmt::Display) -> Unavailable {
    Unavailable(e.to_string())
}
