//! Fuzzes the edge check's cookie and query-string parsing: `CheckRequest::cookie` and
//! `CheckRequest::query_param`, which read attacker-controlled `Cookie` headers and
//! request paths on every unauthenticated request before anything else is checked.
//!
//! Input: the request path, a `\n`, then the `Cookie` header value (bytes are read as
//! lossy UTF-8, as headers arrive as `String`s). Besides "does not panic" it checks what
//! the callers rely on: a cookie that is found is never empty and its name was in the
//! header; a query parameter is only found when the path has a `?`.
#![no_main]

use std::collections::HashMap;

use barong::authz::CheckRequest;
use libfuzzer_sys::fuzz_target;

const SESSION_COOKIE: &str = "_barong_session";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (path, cookie) = text.split_once('\n').unwrap_or((&text, ""));
    let mut headers = HashMap::new();
    headers.insert("cookie".to_owned(), cookie.to_owned());
    let req = CheckRequest {
        method: "GET".to_owned(),
        path: path.to_owned(),
        headers,
        ..CheckRequest::default()
    };

    if let Some(value) = req.cookie(SESSION_COOKIE) {
        assert!(!value.is_empty(), "an empty session cookie was returned");
        assert!(
            cookie.contains(SESSION_COOKIE),
            "cookie found although its name is not in the header"
        );
    }
    // No `cookie` header at all: never a session.
    let bare = CheckRequest {
        path: path.to_owned(),
        ..CheckRequest::default()
    };
    assert_eq!(bare.cookie(SESSION_COOKIE), None);

    let param = req.query_param("x");
    if !path.contains('?') {
        assert_eq!(param, None, "query parameter found in a path without '?'");
    }
});
