//! Shared by the admin suites: staff accounts and requests to `/api/v2/admin`.

use reqwest::Method;

use crate::helpers::TestApp;

/// Registers a confirmed user, takes the upstream JWT of their session, then gives them
/// `role` in the database (the admin guard reads the stored role, so the token works).
pub async fn staff(app: &TestApp, email: &str, role: &str) -> String {
    app.register_confirmed(email).await;
    let token = app.bearer(email).await;
    let user = app.user(email).await;
    barong::storage::users::set_role(app.services.db.conn(), user.id, role)
        .await
        .unwrap();
    token
}

/// A request to `/api/v2/admin<path>` carrying `token`.
pub fn admin(app: &TestApp, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, app.url(&format!("/api/v2/admin{path}")))
        .header("Authorization", token)
}
