//! Proofs for weak points of Barong 2.2 that no feature suite covers on its own:
//! a session whose user was deleted (W19) and a token without `exp` (W37).

use std::time::Duration;

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestApp, errors, keys, now};

#[tokio::test]
async fn a_session_whose_user_was_deleted_is_a_401_not_a_500() {
    for app in TestApp::each_backend().await {
        app.register_confirmed("gone@barong.test").await;
        let cookie = app.login_cookie("gone@barong.test", None).await;
        assert!(app.edge_check(&cookie).await.is_ok());
        use barong::storage::{entities::users, invalidations};
        let uid = app.user("gone@barong.test").await.uid;
        let conn = app.services.db.conn();
        users::Entity::delete_many()
            .filter(users::Column::Email.eq("gone@barong.test"))
            .exec(conn)
            .await
            .unwrap();
        // Every writer in barong appends a change notice; an operator deleting the row
        // by hand must do the same (or wait out the 300 s cache), as the README says.
        invalidations::publish(conn, invalidations::USER, &uid)
            .await
            .unwrap();
        let mut last = app.edge_check(&cookie).await;
        for _ in 0..40 {
            if last.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            last = app.edge_check(&cookie).await;
        }
        let (status, body) = last.expect_err("a deleted user's session must be refused");
        assert_eq!(status, 401, "[{}] {body}", app.label);
        assert!(
            body.contains("authz.invalid_session"),
            "[{}] {body}",
            app.label
        );
    }
}

#[tokio::test]
async fn a_token_without_exp_is_refused() {
    let app = TestApp::spawn().await;
    app.register_confirmed("w37@barong.test").await;
    let user = app.user("w37@barong.test").await;
    let claims = json!({
        "iat": now(), "sub": "session", "iss": "barong", "aud": ["peatio", "barong"],
        "jti": "no-exp", "uid": user.uid, "email": user.email, "role": user.role,
        "level": user.level, "state": user.state, "referral_id": null,
    });
    let token = app.services.jwt.sign(&claims).unwrap();
    let r = app
        .resource(Method::GET, "/users/me", &format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (401, keys(&["jwt.decode_and_verify"])));
    // The same claims with `exp` are accepted: the refusal is about `exp` alone.
    let mut with_exp = claims.clone();
    with_exp["exp"] = json!(now() + 60);
    let token = app.services.jwt.sign(&with_exp).unwrap();
    let r = app
        .resource(Method::GET, "/users/me", &format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
