//! Repository behaviour that must hold on SQLite, PostgreSQL and MariaDB alike.

use barong::storage::{self, StorageError, users::NewUser};

use crate::helpers::TestApp;

fn new_user(uid: &str, email: &str) -> NewUser {
    NewUser {
        uid: uid.into(),
        email: email.into(),
        password_digest: "x".into(),
        role: "member".into(),
        state: "pending".into(),
        referral_id: None,
    }
}

#[tokio::test]
async fn unique_violations_become_barong_keys() {
    for app in TestApp::each_backend().await {
        let conn = app.services.db.conn();
        let user = storage::users::insert(conn, new_user("ID00000000A1", "u@barong.test"))
            .await
            .unwrap();
        let dup_email =
            storage::users::insert(conn, new_user("ID00000000A2", "u@barong.test")).await;
        assert!(
            matches!(dup_email, Err(StorageError::Conflict("email.taken"))),
            "[{}] {dup_email:?}",
            app.label
        );
        let dup_uid = storage::users::insert(conn, new_user("ID00000000A1", "v@barong.test")).await;
        assert!(
            matches!(dup_uid, Err(StorageError::Conflict("uid.taken"))),
            "[{}] {dup_uid:?}",
            app.label
        );
        storage::labels::upsert(conn, user.id, "tier", "gold", "public")
            .await
            .unwrap();
        storage::labels::upsert(conn, user.id, "tier", "platinum", "public")
            .await
            .unwrap();
        storage::labels::upsert(conn, user.id, "tier", "hidden", "private")
            .await
            .unwrap();
        let public = storage::labels::list_by_scope(conn, user.id, "public")
            .await
            .unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].value, "platinum");
    }
}

#[tokio::test]
async fn otp_steps_and_tokens_are_claimed_once() {
    for app in TestApp::each_backend().await {
        let conn = app.services.db.conn();
        let user = storage::users::insert(conn, new_user("ID00000000B1", "w@barong.test"))
            .await
            .unwrap();
        assert!(
            storage::users::claim_otp_step(conn, user.id, 100)
                .await
                .unwrap()
        );
        assert!(
            !storage::users::claim_otp_step(conn, user.id, 100)
                .await
                .unwrap(),
            "[{}]",
            app.label
        );
        assert!(
            !storage::users::claim_otp_step(conn, user.id, 99)
                .await
                .unwrap()
        );
        assert!(
            storage::users::claim_otp_step(conn, user.id, 101)
                .await
                .unwrap()
        );
        let expires = chrono::Utc::now().naive_utc() + chrono::Duration::hours(1);
        assert!(
            storage::utilized_tokens::spend(conn, "jti-1", expires)
                .await
                .unwrap()
        );
        assert!(
            !storage::utilized_tokens::spend(conn, "jti-1", expires)
                .await
                .unwrap(),
            "[{}]",
            app.label
        );
        assert!(
            storage::utilized_tokens::is_spent(conn, "jti-1")
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn seeding_is_idempotent() {
    for app in TestApp::each_backend().await {
        let seeds =
            barong::services::seed::Seeds::parse(barong::services::seed::DEFAULT_SEEDS).unwrap();
        let admin = barong::services::seed::SeedUser {
            email: "admin@barong.test".into(),
            password: Some(crate::helpers::PASSWORD.into()),
            role: "admin".into(),
            state: "active".into(),
            level: 3,
        };
        let first = app
            .services
            .seed(&seeds, Some(admin.clone()))
            .await
            .unwrap();
        assert_eq!(
            (first.levels_added, first.permissions_added),
            (0, 0),
            "serve seeded the defaults"
        );
        assert_eq!(first.users_created.len(), 1);
        let second = app.services.seed(&seeds, Some(admin)).await.unwrap();
        assert!(second.users_created.is_empty());
        let user = app.user("admin@barong.test").await;
        assert_eq!(
            (user.role.as_str(), user.state.as_str(), user.level),
            ("admin", "active", 3),
            "[{}]",
            app.label
        );
        assert_eq!(app.login("admin@barong.test").await.status(), 201);
    }
}

#[tokio::test]
async fn housekeeping_prunes_only_expired_spent_tokens() {
    for app in TestApp::each_backend().await {
        let conn = app.services.db.conn();
        let hour = chrono::Duration::hours(1);
        let now = chrono::Utc::now().naive_utc();
        assert!(
            storage::utilized_tokens::spend(conn, "old", now - hour)
                .await
                .unwrap()
        );
        assert!(
            storage::utilized_tokens::spend(conn, "live", now + hour)
                .await
                .unwrap()
        );
        let pruned = storage::utilized_tokens::prune_expired(conn).await.unwrap();
        assert_eq!(pruned, 1, "[{}]", app.label);
        assert!(
            !storage::utilized_tokens::is_spent(conn, "old")
                .await
                .unwrap()
        );
        assert!(
            storage::utilized_tokens::is_spent(conn, "live")
                .await
                .unwrap(),
            "[{}] a token that can still verify stays spent",
            app.label
        );
    }
}
