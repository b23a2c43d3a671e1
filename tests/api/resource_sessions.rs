//! `/resource/sessions` (beyond Barong): listing one's sessions and revoking them; a
//! revoked session is denied at the edge at once.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, errors, keys};

#[tokio::test]
async fn list_and_revoke_sessions() {
    for app in TestApp::each_backend().await {
        let email = "devices@barong.test";
        app.register_confirmed(email).await;
        let laptop = app.login_cookie(email, None).await;
        let phone = app.login_cookie(email, None).await;
        let tablet = app.login_cookie(email, None).await;
        let token = app.edge_check(&laptop).await.unwrap();

        let r = app
            .resource(Method::GET, "/sessions", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}]", app.label);
        let text = r.text().await.unwrap();
        for cookie in [&laptop, &phone, &tablet] {
            let value = cookie.split('=').nth(1).unwrap();
            assert!(
                !text.contains(value),
                "a cookie value never leaves its browser"
            );
        }
        let list: Value = serde_json::from_str(&text).unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 3);
        let fields: Vec<&String> = list[0].as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "id",
                "created_at",
                "last_seen_at",
                "user_ip",
                "user_agent",
                "current"
            ]
        );
        assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
        assert_eq!(list[0]["user_ip"], "127.0.0.1");
        let others: Vec<String> = list
            .iter()
            .filter(|s| s["current"] == false)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();

        // Revoke one other session: exactly one of phone/tablet is now denied.
        let r = app
            .resource(Method::DELETE, &format!("/sessions/{}", others[0]), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let denied = [&phone, &tablet].len()
            - [
                app.edge_check(&phone).await.is_ok(),
                app.edge_check(&tablet).await.is_ok(),
            ]
            .iter()
            .filter(|ok| **ok)
            .count();
        assert_eq!(denied, 1, "[{}]", app.label);
        let r = app
            .resource(Method::DELETE, &format!("/sessions/{}", others[0]), &token)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));

        // Revoke all but the current one.
        let r = app
            .resource(Method::DELETE, "/sessions", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert!(app.edge_check(&laptop).await.is_ok());
        assert_eq!(app.edge_check(&phone).await.unwrap_err().0, 401);
        assert_eq!(app.edge_check(&tablet).await.unwrap_err().0, 401);
        let r = app
            .resource(Method::GET, "/sessions", &token)
            .send()
            .await
            .unwrap();
        let list: Value = r.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["current"], true);

        // Another user's session id is not found.
        app.register_confirmed("stranger@barong.test").await;
        let stranger = app.bearer("stranger@barong.test").await;
        let own_id = list[0]["id"].as_str().unwrap();
        let r = app
            .resource(Method::DELETE, &format!("/sessions/{own_id}"), &stranger)
            .send()
            .await
            .unwrap();
        assert_eq!(errors(r).await, (404, keys(&["record.not_found"])));
        assert!(app.edge_check(&laptop).await.is_ok());
    }
}
