//! The Event API: events are written in the outbox with their change, the relay
//! publishes them to RabbitMQ in order once the broker confirms, and the envelope
//! verifies with the event public key. The RabbitMQ tests run when
//! `BARONG_TEST_AMQP_URL` is set (CI sets it); the outbox tests always run.

use std::time::Duration;

use barong::storage::entities::outbox;
use base64::Engine;
use futures_util::StreamExt;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, ExchangeDeclareOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{Connection, ConnectionProperties, Consumer, ExchangeKind};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, jwt_key_file};

fn amqp_url() -> Option<String> {
    let url = std::env::var("BARONG_TEST_AMQP_URL").ok();
    if url.is_none() {
        eprintln!("BARONG_TEST_AMQP_URL unset: RabbitMQ test skipped");
    }
    url
}

/// An exclusive queue bound to the given `(exchange, routing key)` pairs.
async fn listen(url: &str, bindings: &[(&str, &str)]) -> (Connection, Consumer) {
    let conn = Connection::connect(url, ConnectionProperties::default())
        .await
        .unwrap();
    let channel = conn.create_channel().await.unwrap();
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .unwrap();
    for (exchange, key) in bindings {
        channel
            .exchange_declare(
                (*exchange).into(),
                ExchangeKind::Direct,
                ExchangeDeclareOptions {
                    durable: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await
            .unwrap();
        channel
            .queue_bind(
                queue.name().clone(),
                (*exchange).into(),
                (*key).into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .unwrap();
    }
    let consumer = channel
        .basic_consume(
            queue.name().clone(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    (conn, consumer)
}

/// The claims of a Barong event envelope, after verifying its signature with the event
/// public key (the test apps' shared key file).
fn verify_envelope(body: &[u8]) -> Value {
    let envelope: Value = serde_json::from_slice(body).unwrap();
    let sig = &envelope["signatures"][0];
    assert_eq!(sig["header"]["kid"], "barong");
    let protected = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig["protected"].as_str().unwrap())
        .unwrap();
    assert_eq!(protected, br#"{"alg":"RS256"}"#);
    let compact = format!(
        "{}.{}.{}",
        sig["protected"].as_str().unwrap(),
        envelope["payload"].as_str().unwrap(),
        sig["signature"].as_str().unwrap()
    );
    let pem = std::fs::read_to_string(jwt_key_file()).unwrap();
    let private = rsa::RsaPrivateKey::from_pkcs8_pem_any(&pem);
    let public_pem = private.to_public_pem();
    let key = DecodingKey::from_rsa_pem(public_pem.as_bytes()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_required_spec_claims(&["exp", "iss"]);
    validation.set_issuer(&["barong"]);
    jsonwebtoken::decode::<Value>(&compact, &key, &validation)
        .unwrap()
        .claims
}

/// Small helpers over the rsa crate's traits.
trait PemKey {
    fn from_pkcs8_pem_any(pem: &str) -> Self;
    fn to_public_pem(&self) -> String;
}

impl PemKey for rsa::RsaPrivateKey {
    fn from_pkcs8_pem_any(pem: &str) -> Self {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_pem(pem))
            .unwrap()
    }

    fn to_public_pem(&self) -> String {
        use rsa::pkcs8::EncodePublicKey;
        self.to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
    }
}

/// Next delivery within `secs`, acked, with its AMQP message id and verified claims.
async fn next_event(consumer: &mut Consumer, secs: u64) -> (String, Value) {
    let delivery = tokio::time::timeout(Duration::from_secs(secs), consumer.next())
        .await
        .expect("an event within the time limit")
        .unwrap()
        .unwrap();
    delivery.ack(BasicAckOptions::default()).await.unwrap();
    let id = delivery
        .properties
        .message_id()
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_default();
    (id, verify_envelope(&delivery.data))
}

async fn sign_up(app: &TestApp, email: &str) {
    let r = app
        .post(
            "/api/v2/identity/users",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 201, "sign-up of {email}");
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(app.services.db.conn())
        .await
        .unwrap()
}

/// Payloads of the outbox events named `name`, oldest first.
pub async fn outbox_events(app: &TestApp, name: &str) -> Vec<Value> {
    outbox_rows(app)
        .await
        .into_iter()
        .filter(|r| r.name == name)
        .map(|r| serde_json::from_str(&r.payload).unwrap())
        .collect()
}

async fn outbox_names(app: &TestApp) -> Vec<(String, Option<chrono::NaiveDateTime>)> {
    outbox_rows(app)
        .await
        .into_iter()
        .map(|r| (r.name, r.published_at))
        .collect()
}

#[tokio::test]
async fn every_change_writes_its_events_in_the_outbox_on_every_backend() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("out@barong.test").await;
        let names: Vec<String> = outbox_names(&app)
            .await
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let expected = [
            "model.user.created",
            "system.user.email.confirmation.token",
            "model.user.updated",
            "system.user.email.confirmed",
        ];
        for name in expected {
            assert!(
                names.iter().any(|n| n == name),
                "[{}] {name} in {names:?}",
                app.label
            );
        }
        // Confirmation changes level and state: one `model.user.updated` carries both
        // old values (Barong 2.2 dropped it, W20).
        let rows = outbox_rows(&app).await;
        let row = rows
            .iter()
            .rev()
            .find(|r| r.name == "model.user.updated")
            .unwrap();
        let payload: Value = serde_json::from_str(&row.payload).unwrap();
        assert_eq!(payload["record"]["state"], "active", "[{}]", app.label);
        assert_eq!(payload["changes"]["state"], "pending", "[{}]", app.label);
    }
}

#[tokio::test]
async fn rabbitmq_gets_signup_events_in_a_verifiable_envelope() {
    let Some(url) = amqp_url() else { return };
    let (_conn, mut consumer) = listen(
        &url,
        &[
            ("barong.events.model", "user.created"),
            ("barong.events.system", "user.email.confirmation.token"),
        ],
    )
    .await;
    let app = TestApp::spawn_with(&[("BARONG_AMQP_URL", &url)]).await;
    let email = format!(
        "rabbit-{}@barong.test",
        barong::crypto::random::hex_token(4)
    );
    sign_up(&app, &email).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let (id, claims) = next_event(&mut consumer, 30).await;
        let event = &claims["event"];
        let of_ours =
            event["record"]["email"] == email.as_str() || event["user"]["email"] == email.as_str();
        if !of_ours {
            continue; // another test's sign-up on the shared broker
        }
        assert_eq!(claims["iss"], "barong");
        assert_eq!(claims["jti"], id.as_str(), "jti is the AMQP message id");
        assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
        seen.push(event.clone());
    }
    let created = seen
        .iter()
        .find(|e| e["name"] == "model.user.created")
        .unwrap();
    assert_eq!(created["record"]["state"], "pending");
    assert_eq!(created["record"]["role"], "member");
    let token = seen
        .iter()
        .find(|e| e["name"] == "system.user.email.confirmation.token")
        .unwrap();
    assert_eq!(token["language"], "EN");
    assert_eq!(token["domain"], "barong.local");
    // The token in the event confirms the account.
    let r = app
        .post(
            "/api/v2/identity/users/email/confirm_code",
            json!({ "token": token["token"] }),
        )
        .await;
    assert_eq!(r.status(), 201);
}

/// Forwards connections on `listener` to RabbitMQ, as if the broker came back.
fn broker_comes_back(listener: tokio::net::TcpListener, upstream: String) {
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
}

#[tokio::test]
async fn a_broker_outage_delays_events_and_loses_none() {
    let Some(url) = amqp_url() else { return };
    let (_conn, mut consumer) = listen(&url, &[("barong.events.model", "user.created")]).await;
    // A port where nothing listens yet: the broker is "down".
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dead = format!("amqp://guest:guest@127.0.0.1:{port}/%2f");
    let app = TestApp::spawn_with(&[("BARONG_AMQP_URL", &dead)]).await;
    let tag = barong::crypto::random::hex_token(4);
    let emails: Vec<String> = (0..5)
        .map(|i| format!("down{i}-{tag}@barong.test"))
        .collect();
    for email in &emails {
        sign_up(&app, email).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let waiting = outbox_names(&app).await;
    assert_eq!(waiting.len(), 10, "{waiting:?}");
    assert!(waiting.iter().all(|(_, published)| published.is_none()));
    // The broker is back (at the address barong was configured with).
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let upstream = url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("127.0.0.1:5672")
        .to_owned();
    broker_comes_back(listener, upstream);
    let mut got = Vec::new();
    while got.len() < emails.len() {
        let (_, claims) = next_event(&mut consumer, 60).await;
        let email = claims["event"]["record"]["email"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if email.contains(&tag) {
            got.push(email);
        }
    }
    assert_eq!(got, emails, "every event, in order");
    // The rows are marked once the broker confirmed the batch.
    for _ in 0..50 {
        if outbox_names(&app).await.iter().all(|(_, p)| p.is_some()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "outbox rows not marked published: {:?}",
        outbox_names(&app).await
    );
}

async fn login_with_agent(app: &TestApp, email: &str, agent: &str) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v2/identity/sessions"))
        .header("User-Agent", agent)
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn a_login_from_a_new_device_is_mailed_once_per_device() {
    let app = TestApp::spawn().await;
    let email = "device@barong.test";
    app.register_confirmed(email).await;
    login_with_agent(&app, email, "Firefox/1").await;
    login_with_agent(&app, email, "Firefox/1").await;
    login_with_agent(&app, email, "Bot/2").await;
    // Confirmation mail, then one notice per new user agent.
    let mails = app.wait_for_mails(email, 3).await;
    let notices: Vec<&(String, String)> = mails
        .iter()
        .filter(|(subject, _)| subject.contains("new login"))
        .collect();
    assert_eq!(notices.len(), 2, "{mails:?}");
    assert!(notices.iter().any(|(_, body)| body.contains("Bot/2")));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.mails_to(email).len(),
        3,
        "a known device is not mailed again"
    );
    let created = outbox_events(&app, "system.session.created").await;
    let new: Vec<bool> = created
        .iter()
        .map(|e| e["new_device"].as_bool().unwrap())
        .collect();
    assert_eq!(new, [true, false, true]);
    assert_eq!(created[2]["user_agent"], "Bot/2");
}

#[tokio::test]
async fn one_relay_holds_the_lease_at_a_time_on_every_backend() {
    use barong::storage::outbox::{lease, release};
    use chrono::TimeDelta;
    for app in TestApp::each_backend().await {
        let conn = app.services.db.conn();
        let l = &app.label;
        let ttl = TimeDelta::seconds(15);
        // The app's own relay holds "relay"; a test lease name keeps out of its way.
        assert!(
            lease(conn, "test", "a", ttl).await.unwrap(),
            "[{l}] a takes it"
        );
        assert!(
            !lease(conn, "test", "b", ttl).await.unwrap(),
            "[{l}] b must wait"
        );
        assert!(
            lease(conn, "test", "a", ttl).await.unwrap(),
            "[{l}] a renews"
        );
        release(conn, "test", "a").await.unwrap();
        assert!(
            lease(conn, "test", "b", ttl).await.unwrap(),
            "[{l}] b after release"
        );
        assert!(
            !lease(conn, "test", "a", ttl).await.unwrap(),
            "[{l}] a now waits"
        );
        // A lapsed lease is taken over.
        assert!(
            lease(conn, "lapsed", "a", TimeDelta::seconds(-1))
                .await
                .unwrap()
        );
        assert!(
            lease(conn, "lapsed", "b", ttl).await.unwrap(),
            "[{l}] taken over"
        );
    }
}
