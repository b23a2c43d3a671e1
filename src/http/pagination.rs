//! Barong's pagination: `page` and `limit` parameters validated with each module's error
//! keys, and the api-pagination response headers (`Total`, `Per-Page`, `Page`, `Link`)
//! so clients written for Barong page through our lists unchanged.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;

/// The error keys and the largest `limit` of one family of endpoints.
#[derive(Debug, Clone, Copy)]
pub struct PageKeys {
    /// `page` is not an integer.
    pub non_integer_page: &'static str,
    /// `page` is below 1.
    pub non_positive_page: &'static str,
    /// `limit` is not an integer.
    pub non_integer_limit: &'static str,
    /// `limit` is outside `1..=max_limit`.
    pub invalid_limit: &'static str,
    /// Largest accepted `limit`.
    pub max_limit: u64,
    /// `limit` when none is sent.
    pub default_limit: u64,
}

/// Resource lists (`/resource/api_keys`, `/resource/users/activity`) and the admin
/// document and label lists: Grape's generic messages, limit 1..1000.
pub const GENERIC: PageKeys = PageKeys {
    non_integer_page: "invalid",
    non_positive_page: "zero.",
    non_integer_limit: "invalid",
    invalid_limit: "1..1000.",
    max_limit: 1000,
    default_limit: 100,
};

/// `GET /admin/users` and `GET /admin/permissions`: Barong's `admin.user.*` keys,
/// limit 1..100.
pub const ADMIN_USER: PageKeys = PageKeys {
    non_integer_page: "admin.user.non_integer_page",
    non_positive_page: "admin.user.non_positive_page",
    non_integer_limit: "admin.user.non_integer_limit",
    invalid_limit: "admin.user.invalid_limit",
    max_limit: 100,
    default_limit: 100,
};

/// `GET /admin/activities` and `GET /admin/activities/admin`: `admin.activity.*` keys,
/// limit 1..100.
pub const ADMIN_ACTIVITY: PageKeys = PageKeys {
    non_integer_page: "admin.activity.non_integer_page",
    non_positive_page: "admin.activity.non_positive_page",
    non_integer_limit: "admin.activity.non_integer_limit",
    invalid_limit: "admin.activity.invalid_limit",
    max_limit: 100,
    default_limit: 100,
};

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: u64,
    /// Rows per page.
    pub limit: u64,
}

impl PageRequest {
    /// Rows to skip, at most `i64::MAX` (the SQL drivers bind a signed 64-bit offset
    /// and panic beyond it; a page that far out is simply empty).
    pub fn offset(&self) -> u64 {
        (self.page - 1)
            .saturating_mul(self.limit)
            .min(i64::MAX.unsigned_abs())
    }
}

/// Parses `page` and `limit` (each absent: its default), pushing Barong's keys for
/// every failure into `errors`.
pub fn parse(
    page: Option<String>,
    limit: Option<String>,
    keys: &PageKeys,
    errors: &mut Vec<String>,
) -> PageRequest {
    let mut read =
        |value: Option<String>, default: u64, non_integer: &str, out_of_range: &str, max: u64| {
            let Some(text) = value else {
                return default;
            };
            match text.trim().parse::<i64>() {
                Ok(n) if n >= 1 && u64::try_from(n).is_ok_and(|n| n <= max) => {
                    u64::try_from(n).unwrap_or(default)
                }
                Ok(_) => {
                    errors.push(out_of_range.to_owned());
                    default
                }
                Err(_) => {
                    errors.push(non_integer.to_owned());
                    errors.push(out_of_range.to_owned());
                    default
                }
            }
        };
    let page = read(
        page,
        1,
        keys.non_integer_page,
        keys.non_positive_page,
        u64::MAX,
    );
    let limit = read(
        limit,
        keys.default_limit,
        keys.non_integer_limit,
        keys.invalid_limit,
        keys.max_limit,
    );
    PageRequest { page, limit }
}

/// A page of rows rendered as a JSON array with the pagination headers.
pub fn respond<T: Serialize>(
    uri: &Uri,
    request: PageRequest,
    total: u64,
    rows: Vec<T>,
) -> Response {
    let mut response = Json(rows).into_response();
    headers(response.headers_mut(), uri, request, total);
    response
}

fn headers(out: &mut HeaderMap, uri: &Uri, request: PageRequest, total: u64) {
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            out.insert(HeaderName::from_static(name), v);
        }
    };
    set("total", total.to_string());
    set("per-page", request.limit.to_string());
    set("page", request.page.to_string());
    let last = total.div_ceil(request.limit).max(1);
    let mut links = Vec::new();
    if request.page > 1 {
        links.push(link(uri, 1, "first"));
        links.push(link(uri, (request.page - 1).min(last), "prev"));
    }
    if request.page < last {
        links.push(link(uri, request.page + 1, "next"));
        links.push(link(uri, last, "last"));
    }
    if !links.is_empty() {
        set("link", links.join(", "));
    }
}

fn link(uri: &Uri, page: u64, rel: &str) -> String {
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "page");
    pairs.push(("page".to_owned(), page.to_string()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("<{}?{query}>; rel=\"{rel}\"", uri.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(page: Option<&str>, limit: Option<&str>) -> (PageRequest, Vec<String>) {
        let mut errors = Vec::new();
        let r = parse(
            page.map(str::to_owned),
            limit.map(str::to_owned),
            &GENERIC,
            &mut errors,
        );
        (r, errors)
    }

    #[test]
    fn defaults_and_barong_keys() {
        assert_eq!(
            run(None, None).0,
            PageRequest {
                page: 1,
                limit: 100
            }
        );
        assert_eq!(run(Some("abc"), None).1, vec!["invalid", "zero."]);
        assert_eq!(run(Some("0"), None).1, vec!["zero."]);
        assert_eq!(run(None, Some("1001")).1, vec!["1..1000."]);
        assert_eq!(run(Some("3"), Some("20")).0.offset(), 40);
        let far = run(Some("9223372036854775807"), Some("1000")).0;
        assert_eq!(
            far.offset(),
            i64::MAX.unsigned_abs(),
            "no overflow past i64"
        );
    }

    #[test]
    fn link_header_names_neighbours() {
        let uri: Uri = "/api/v2/resource/api_keys?limit=2&page=2".parse().unwrap();
        let mut h = HeaderMap::new();
        headers(&mut h, &uri, PageRequest { page: 2, limit: 2 }, 5);
        assert_eq!(h["total"], "5");
        let link = h["link"].to_str().unwrap();
        assert!(
            link.contains(
                "<.../api_keys?limit=2&page=1>; rel=\"first\""
                    .replace(".../", "/api/v2/resource/")
                    .as_str()
            )
        );
        assert!(link.contains("page=3>; rel=\"next\""));
        assert!(link.contains("page=3>; rel=\"last\""));
        let mut h = HeaderMap::new();
        headers(&mut h, &uri, PageRequest { page: 3, limit: 2 }, 5);
        assert!(!h["link"].to_str().unwrap().contains("next"));
    }
}
