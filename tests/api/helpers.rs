//! `TestApp`: a real barong on port 0 with its own database (a SQLite temp file, or a
//! fresh PostgreSQL / MariaDB database when `BARONG_TEST_POSTGRES_URL` /
//! `BARONG_TEST_MYSQL_URL` are set, dropped afterwards), the memory session store or a
//! random Redis key prefix (`BARONG_TEST_REDIS_URL`), the Dir mailer in a temp folder,
//! and a cookie-keeping HTTP client. `TestApp::each_backend()` yields one app per
//! configured backend so every identity test runs on all of them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use barong::app::App;
use barong::config::Config;
use barong::services::Services;
use reqwest::Response;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Which database and session store an app runs on.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite,
    Postgres(String),
    Mysql(String),
}

/// One running app.
pub struct TestApp {
    pub addr: SocketAddr,
    pub grpc_addr: SocketAddr,
    pub client: reqwest::Client,
    pub services: Services,
    pub data_dir: tempfile::TempDir,
    pub label: String,
    /// The settings it was started with (a twin starts with the same ones).
    env: Vec<(String, String)>,
    cleanup: Cleanup,
}

struct Cleanup {
    database: Option<(String, String)>,
    redis: Option<(String, String)>,
}

/// A strong password accepted by Barong's rules.
pub const PASSWORD: &str = "Tecohvi0!Qw";

/// The RSA key every test app signs JWTs and event envelopes with.
pub fn jwt_key_file() -> PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("barong-test-jwt-{}.pem", std::process::id()));
        let pem = barong::crypto::jwt::generate_pem().unwrap();
        std::fs::write(&path, pem).unwrap();
        path
    })
    .clone()
}

fn random_name() -> String {
    format!("barong_test_{}", barong::crypto::random::hex_token(6))
}

/// Replaces the database name (the URL path) of a server URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn admin_exec(server_url: &str, sql: &str) {
    let conn = sea_orm::Database::connect(server_url)
        .await
        .expect("test database server");
    conn.execute_unprepared(sql).await.expect(sql);
    let _ = conn.close().await;
}

impl TestApp {
    /// SQLite with in-memory sessions.
    pub async fn spawn() -> Self {
        Self::spawn_on(Db::Sqlite, None, &[]).await
    }

    /// SQLite and memory sessions, with extra `BARONG_*` settings.
    pub async fn spawn_with(env: &[(&str, &str)]) -> Self {
        Self::spawn_on(Db::Sqlite, None, env).await
    }

    /// Every configured backend combination: SQLite + memory always; SQLite + Redis,
    /// PostgreSQL + Redis (or memory) and MariaDB + memory when the variables are set.
    pub async fn each_backend() -> Vec<Self> {
        let redis = std::env::var("BARONG_TEST_REDIS_URL").ok();
        let mut apps = vec![Self::spawn().await];
        if let Some(r) = &redis {
            apps.push(Self::spawn_on(Db::Sqlite, Some(r.clone()), &[]).await);
        }
        if let Ok(pg) = std::env::var("BARONG_TEST_POSTGRES_URL") {
            apps.push(Self::spawn_on(Db::Postgres(pg), redis.clone(), &[]).await);
        }
        if let Ok(my) = std::env::var("BARONG_TEST_MYSQL_URL") {
            apps.push(Self::spawn_on(Db::Mysql(my), None, &[]).await);
        }
        apps
    }

    /// Starts an app on the given database and session store.
    pub async fn spawn_on(db: Db, redis: Option<String>, extra: &[(&str, &str)]) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let (database_url, database, label) = match &db {
            Db::Sqlite => (
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.path().join("barong.sqlite").display()
                ),
                None,
                "sqlite".to_owned(),
            ),
            Db::Postgres(server) | Db::Mysql(server) => {
                let name = random_name();
                admin_exec(server, &format!("CREATE DATABASE {name}")).await;
                (
                    with_database(server, &name),
                    Some((server.clone(), name)),
                    format!("{db:?}")
                        .split('(')
                        .next()
                        .unwrap_or_default()
                        .to_lowercase(),
                )
            }
        };
        let prefix = format!("{}:", random_name());
        let mut env: Vec<(String, String)> = vec![
            (
                "BARONG_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
            ("BARONG_HTTP_ADDR".into(), "127.0.0.1:0".into()),
            ("BARONG_GRPC_ADDR".into(), "127.0.0.1:0".into()),
            ("BARONG_DATABASE_URL".into(), database_url),
            (
                "BARONG_JWT_PRIVATE_KEY_FILE".into(),
                jwt_key_file().display().to_string(),
            ),
            // The event key too: one shared RSA key instead of a key generation per app.
            (
                "BARONG_EVENT_PRIVATE_KEY_FILE".into(),
                jwt_key_file().display().to_string(),
            ),
            ("BARONG_REDIS_KEY_PREFIX".into(), prefix.clone()),
            ("BARONG_FRONTEND_URL".into(), "https://exchange.test".into()),
        ];
        if let Some(r) = &redis {
            env.push(("BARONG_REDIS_URL".into(), r.clone()));
        }
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let config = Config::from_sources(None, env.clone()).unwrap();
        let app = App::build(&config).await.unwrap();
        let addr = app.http_addr().unwrap();
        let grpc_addr = app.grpc_addr().unwrap();
        let services = app.services();
        tokio::spawn(app.run(std::future::pending()));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let label = format!(
            "{label}+{}",
            if redis.is_some() { "redis" } else { "memory" }
        );
        Self {
            addr,
            grpc_addr,
            client,
            services,
            data_dir,
            label,
            env,
            cleanup: Cleanup {
                database,
                redis: redis.map(|r| (r, prefix)),
            },
        }
    }

    /// A second instance on the same database, session store (same Redis prefix) and
    /// data folder (same keys), as an operator scales out; the first app cleans up.
    pub async fn twin(&self) -> Self {
        let env = self.env.clone();
        let config = Config::from_sources(None, env.clone()).unwrap();
        let app = App::build(&config).await.unwrap();
        let addr = app.http_addr().unwrap();
        let grpc_addr = app.grpc_addr().unwrap();
        let services = app.services();
        tokio::spawn(app.run(std::future::pending()));
        Self {
            addr,
            grpc_addr,
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            services,
            // Unused: the twin writes into the first app's data folder.
            data_dir: tempfile::tempdir().unwrap(),
            label: format!("{} twin", self.label),
            env,
            cleanup: Cleanup {
                database: None,
                redis: None,
            },
        }
    }

    /// Absolute URL of an API path such as `/api/v2/identity/ping`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(self.url(path)).send().await.unwrap()
    }

    /// Signs up (expects 201).
    pub async fn register(&self, email: &str) {
        let r = self
            .post(
                "/api/v2/identity/users",
                json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            r.status(),
            201,
            "[{}] sign-up of {email}: {:?}",
            self.label,
            r.text().await
        );
    }

    /// Signs up and confirms through the mailed link; the account is then active.
    pub async fn register_confirmed(&self, email: &str) {
        self.register(email).await;
        let token = self.mailed_token(email, "confirmation_token").await;
        let r = self
            .post(
                "/api/v2/identity/users/email/confirm_code",
                json!({ "token": token }),
            )
            .await;
        assert_eq!(
            r.status(),
            201,
            "[{}] confirm: {:?}",
            self.label,
            r.text().await
        );
    }

    /// Logs in with the default password.
    pub async fn login(&self, email: &str) -> Response {
        self.post(
            "/api/v2/identity/sessions",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await
    }

    /// Logs `email` in (default password, `otp_code` when given) on a fresh client and
    /// returns the session cookie (`name=value`) a browser would then send.
    pub async fn login_cookie(&self, email: &str, otp_code: Option<&str>) -> String {
        let mut body = json!({ "email": email, "password": PASSWORD });
        if let Some(code) = otp_code {
            body["otp_code"] = json!(code);
        }
        let r = reqwest::Client::new()
            .post(self.url("/api/v2/identity/sessions"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            201,
            "[{}] log-in of {email}: {:?}",
            self.label,
            r.text().await
        );
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Asks the edge check, as nginx would for a GET of the resource API, about a
    /// session cookie: `Ok(Authorization header value)` or `Err((status, body))`.
    pub async fn edge_check(&self, cookie: &str) -> Result<String, (u16, String)> {
        let r = reqwest::Client::new()
            .get(self.url("/api/v2/auth"))
            .header("X-Original-URI", "/api/v2/barong/resource/users/me")
            .header("X-Original-Method", "GET")
            .header("Cookie", cookie)
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            Ok(r.headers()["authorization"].to_str().unwrap().to_owned())
        } else {
            Err((r.status().as_u16(), r.text().await.unwrap_or_default()))
        }
    }

    /// Asks the edge check about a request signed with an API key (`algorithm` HS256,
    /// HS384 or HS512), as a trading bot sends it: `Ok(Authorization)` or
    /// `Err((status, body))`.
    pub async fn api_key_check(
        &self,
        kid: &str,
        secret: &str,
        algorithm: &str,
    ) -> Result<String, (u16, String)> {
        let nonce = crate::authz_parity::nonce();
        let signature = barong::authz::api_key::sign(algorithm, secret, &nonce, kid).unwrap();
        let r = reqwest::Client::new()
            .get(self.url("/api/v2/auth"))
            .header("X-Original-URI", "/api/v2/barong/resource/users/me")
            .header("X-Original-Method", "GET")
            .header("X-Auth-Apikey", kid)
            .header("X-Auth-Nonce", nonce)
            .header("X-Auth-Signature", signature)
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            Ok(r.headers()["authorization"].to_str().unwrap().to_owned())
        } else {
            Err((r.status().as_u16(), r.text().await.unwrap_or_default()))
        }
    }

    /// Logs in and returns the JWT an upstream receives for that session
    /// (`Bearer ...`), for the resource and admin APIs.
    pub async fn bearer_with_otp(&self, email: &str, otp_code: Option<&str>) -> String {
        let cookie = self.login_cookie(email, otp_code).await;
        self.edge_check(&cookie)
            .await
            .unwrap_or_else(|e| panic!("[{}] edge check of {email}: {e:?}", self.label))
    }

    /// [`TestApp::bearer_with_otp`] for a user without 2FA.
    pub async fn bearer(&self, email: &str) -> String {
        self.bearer_with_otp(email, None).await
    }

    /// A request to `/api/v2/resource<path>` carrying `token` (from [`TestApp::bearer`]).
    pub fn resource(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .request(method, self.url(&format!("/api/v2/resource{path}")))
            .header("Authorization", token)
    }

    /// Mails sent to `to`, oldest first, as (subject, body).
    pub fn mails_to(&self, to: &str) -> Vec<(String, String)> {
        let dir = self.data_dir.path().join("mail");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
            .iter()
            .filter_map(|p| {
                let raw = std::fs::read(p).ok()?;
                let msg = mail_parser::MessageParser::default().parse(&raw)?;
                let addr = msg.to()?.first()?.address()?.to_owned();
                (addr == to).then(|| {
                    (
                        msg.subject().unwrap_or_default().to_owned(),
                        msg.body_text(0).unwrap_or_default().into_owned(),
                    )
                })
            })
            .collect()
    }

    /// Waits for the `count`-th mail to `to`.
    pub async fn wait_for_mails(&self, to: &str, count: usize) -> Vec<(String, String)> {
        for _ in 0..100 {
            let mails = self.mails_to(to);
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "[{}] expected {count} mail(s) to {to}, got {:?}",
            self.label,
            self.mails_to(to)
        );
    }

    /// The token of the last link `<param>=<token>` mailed to `to`.
    pub async fn mailed_token(&self, to: &str, param: &str) -> String {
        let needle = format!("{param}=");
        for _ in 0..100 {
            let found = self.mails_to(to).iter().rev().find_map(|(_, body)| {
                let start = body.find(&needle)? + needle.len();
                Some(body[start..].split_whitespace().next()?.to_owned())
            });
            if let Some(token) = found {
                return token;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("[{}] no {param} mailed to {to}", self.label);
    }

    /// The stored user row.
    pub async fn user(&self, email: &str) -> barong::storage::users::User {
        barong::storage::users::find_by_email(self.services.db.conn(), email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("[{}] no user {email}", self.label))
    }

    /// The user's activities, newest first, as (topic, action, result, data).
    pub async fn activities(&self, email: &str) -> Vec<(String, String, String, Option<String>)> {
        let user = self.user(email).await;
        barong::storage::activities::list_for_user(self.services.db.conn(), user.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.topic, a.action, a.result, a.data))
            .collect()
    }

    /// Turns 2FA on for a user with a known secret; returns a code generator.
    pub async fn enable_2fa(&self, email: &str) -> barong::crypto::totp::Totp {
        let secret = b"0123456789abcdefghij".to_vec();
        let sealed = self.services.secrets.seal(&secret).unwrap();
        let user = self.user(email).await;
        barong::storage::users::enable_otp(self.services.db.conn(), user.id, &sealed)
            .await
            .unwrap();
        barong::crypto::totp::Totp::new(secret, "Barong", email).unwrap()
    }
}

/// Current unix time.
pub fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

/// Owned error keys, for comparing with [`errors`].
pub fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Reads `{"errors":[...]}` and the status.
pub async fn errors(r: Response) -> (u16, Vec<String>) {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let keys = body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (status, keys)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let database = self.cleanup.database.take();
        let redis = self.cleanup.redis.take();
        if database.is_none() && redis.is_none() {
            return;
        }
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Some((server, name)) = database {
                    let force = if server.starts_with("postgres") {
                        " WITH (FORCE)"
                    } else {
                        ""
                    };
                    if let Ok(conn) = sea_orm::Database::connect(&server).await {
                        let _ = conn
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}{force}"))
                            .await;
                    }
                }
                if let Some((url, prefix)) = redis
                    && let Ok(client) = redis::Client::open(url.as_str())
                    && let Ok(mut conn) = client.get_multiplexed_async_connection().await
                {
                    let keys: Vec<String> = redis::cmd("KEYS")
                        .arg(format!("{prefix}*"))
                        .query_async(&mut conn)
                        .await
                        .unwrap_or_default();
                    for key in keys {
                        let _: Result<(), _> =
                            redis::cmd("DEL").arg(key).query_async(&mut conn).await;
                    }
                }
            });
        })
        .join();
    }
}
