//! Mail failures never fail the request, and delivery is retried.

use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn signup_succeeds_while_mail_fails_and_the_mail_arrives_on_retry() {
    let app = TestApp::spawn().await;
    let mail_dir = app.data_dir.path().join("mail");
    // A file where the mail folder should be: every delivery attempt fails.
    std::fs::write(&mail_dir, b"not a folder").unwrap();
    let r = app
        .post(
            "/api/v2/identity/users",
            json!({ "email": "late@barong.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(app.user("late@barong.test").await.state, "pending");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    std::fs::remove_file(&mail_dir).unwrap();
    let mails = app.wait_for_mails("late@barong.test", 1).await;
    assert!(mails[0].1.contains("confirmation_token="));
}

#[tokio::test]
async fn unreachable_smtp_does_not_fail_signup() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(&[("BARONG_SMTP_URL", &url)]).await;
    let r = app
        .post(
            "/api/v2/identity/users",
            json!({ "email": "smtp@barong.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(app.user("smtp@barong.test").await.email, "smtp@barong.test");
}
