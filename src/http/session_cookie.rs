//! Reading and writing the session cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`,
//! `Secure` when configured, no `Max-Age` (the server enforces the sliding idle
//! timeout; the browser drops the cookie when it closes).

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

use super::state::CookieSettings;

/// The session id sent by the browser, if any.
pub fn read(headers: &HeaderMap, settings: &CookieSettings) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == settings.name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for a new session.
pub fn set(id: &str, settings: &CookieSettings) -> Option<HeaderValue> {
    let cookie = Cookie::build((settings.name.clone(), id.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear(settings: &CookieSettings) -> Option<HeaderValue> {
    let cookie = Cookie::build((settings.name.clone(), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}
