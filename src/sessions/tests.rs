//! One suite, run against the memory store always and against Redis when
//! `BARONG_TEST_REDIS_URL` is set (random key prefix, keys deleted afterwards).

use super::*;

fn client() -> ClientInfo {
    ClientInfo {
        ip: "10.0.0.1".into(),
        user_agent: "curl/8".into(),
    }
}

async fn stores() -> Vec<(SessionStore, Option<(String, String)>)> {
    let ttl = Duration::from_secs(60);
    let mut stores = vec![(SessionStore::Memory(MemoryStore::new(ttl)), None)];
    if let Ok(url) = std::env::var("BARONG_TEST_REDIS_URL") {
        let prefix = format!("barong-test-{}:", crypto::random::hex_token(6));
        let store = SessionStore::from_config(Some(&url), &prefix, ttl)
            .await
            .unwrap();
        stores.push((store, Some((url, prefix))));
    }
    stores
}

async fn cleanup(redis: Option<(String, String)>) {
    if let Some((url, prefix)) = redis {
        let client = redis::Client::open(url.as_str()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{prefix}*"))
            .query_async(&mut conn)
            .await
            .unwrap();
        for key in keys {
            let _: () = redis::cmd("DEL")
                .arg(key)
                .query_async(&mut conn)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn create_get_delete() {
    for (store, redis) in stores().await {
        let (id, created) = store.create("ID0000000001", &client()).await.unwrap();
        assert_eq!(id.len(), 43, "256-bit id in base64url");
        let got = store.get(&id).await.unwrap().unwrap();
        assert_eq!(*got, created);
        assert_eq!(got.csrf_token.len(), 32);
        assert!(store.get("not-a-session").await.unwrap().is_none());
        store.delete(&id).await.unwrap();
        assert!(store.get(&id).await.unwrap().is_none());
        cleanup(redis).await;
    }
}

#[tokio::test]
async fn ending_every_session_of_a_user_spares_others() {
    for (store, redis) in stores().await {
        let (a1, _) = store.create("ID00000000AA", &client()).await.unwrap();
        let (a2, _) = store.create("ID00000000AA", &client()).await.unwrap();
        let (b1, _) = store.create("ID00000000BB", &client()).await.unwrap();
        let listed = store.list_for_user("ID00000000AA").await.unwrap();
        assert_eq!(listed.len(), 2);
        assert!(
            listed.iter().all(|l| l.key != a1 && l.key != a2),
            "list never shows cookie values"
        );
        assert_eq!(store.delete_all_for_user("ID00000000AA").await.unwrap(), 2);
        assert!(store.get(&a1).await.unwrap().is_none());
        assert!(store.get(&a2).await.unwrap().is_none());
        assert!(store.get(&b1).await.unwrap().is_some());
        cleanup(redis).await;
    }
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let store = SessionStore::Memory(MemoryStore::new(Duration::from_millis(1500)));
    let (id, _) = store.create("ID00000000CC", &client()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert!(
        store.get(&id).await.unwrap().is_some(),
        "use renews the idle timeout"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert!(
        store.get(&id).await.unwrap().is_some(),
        "1.8 s after log-in, 0.9 s idle"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(store.get(&id).await.unwrap().is_none());
}

#[tokio::test]
async fn a_nonce_is_admitted_once_and_only_admitted_hits_count() {
    for (store, redis) in stores().await {
        let nonces = NonceGuard::new(&store, Duration::from_secs(10));
        let limiter = RateLimiter::new(&store);
        let limit = Limit::new(2, Duration::from_secs(60));
        let admit = |kid: &'static str, nonce: &'static str, limit: Limit| {
            let (nonces, limiter) = (nonces.clone(), limiter.clone());
            async move {
                let key = format!("apikey:{kid}");
                let ttl = Duration::from_secs(10);
                nonces
                    .admit(kid, nonce, ttl, &limiter, &key, limit)
                    .await
                    .unwrap()
            }
        };
        let allowed = Admission::Judged(Verdict::Allowed);
        assert_eq!(admit("kid1", "1", limit).await, allowed);
        // A replay is refused and not counted: the next new nonce is still allowed.
        assert_eq!(admit("kid1", "1", limit).await, Admission::Replayed);
        assert_eq!(admit("kid1", "2", limit).await, allowed);
        match admit("kid1", "3", limit).await {
            Admission::Judged(Verdict::Limited { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs));
            }
            other => panic!("third hit within the window: {other:?}"),
        }
        // A limited request spent its nonce too.
        assert_eq!(admit("kid1", "3", limit).await, Admission::Replayed);
        // A switched-off limit only guards the nonce.
        let off = Limit::new(0, Duration::from_secs(1));
        assert_eq!(admit("kid2", "9", off).await, allowed);
        assert_eq!(admit("kid2", "9", off).await, Admission::Replayed);
        cleanup(redis).await;
    }
}
