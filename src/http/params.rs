//! Request parameters the way Barong (Grape) reads them: query string and body (JSON or
//! form) merged into one map, body winning; then per-endpoint validation producing
//! Barong's `<module>.<resource>.missing_<param>` / `empty_<param>` keys. A body that
//! does not parse is a 400 `request.malformed_body`, never a 500.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde_json::{Map, Value};

use super::error::ApiError;

/// Merged parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Map<String, Value>);

fn malformed() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "request.malformed_body")
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut map = Map::new();
        if let Some(query) = req.uri().query() {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(query).map_err(|_| malformed())?;
            for (k, v) in pairs {
                map.insert(k, Value::String(v));
            }
        }
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| malformed())?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(map));
        }
        let looks_json = content_type.contains("json")
            || (content_type.is_empty() && body.first() == Some(&b'{'));
        if looks_json {
            let Value::Object(fields) =
                serde_json::from_slice::<Value>(&body).map_err(|_| malformed())?
            else {
                return Err(malformed());
            };
            map.extend(fields);
        } else if content_type.is_empty()
            || content_type.starts_with("application/x-www-form-urlencoded")
        {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).map_err(|_| malformed())?;
            for (k, v) in pairs {
                map.insert(k, Value::String(v));
            }
        } else {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "request.unsupported_media_type",
            ));
        }
        Ok(Self(map))
    }
}

/// A unix time in whole seconds, as the admin API's `from`/`to` take it.
pub(crate) fn unix_seconds(raw: &str) -> Option<chrono::NaiveDateTime> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.naive_utc())
}

/// Collects validation errors for one endpoint, in declaration order.
pub struct Validator<'a> {
    params: &'a Params,
    prefix: &'static str,
    errors: Vec<String>,
}

impl<'a> Validator<'a> {
    /// Validates `params` with keys prefixed `<module>.<resource>` (e.g. `identity.user`).
    pub fn new(params: &'a Params, prefix: &'static str) -> Self {
        Self {
            params,
            prefix,
            errors: Vec::new(),
        }
    }

    fn text(&mut self, name: &str) -> Option<Option<String>> {
        match self.params.0.get(name)? {
            Value::String(s) => Some(Some(s.clone())),
            Value::Number(n) => Some(Some(n.to_string())),
            Value::Bool(b) => Some(Some(b.to_string())),
            Value::Null => Some(None),
            Value::Array(_) | Value::Object(_) => {
                self.errors.push(format!("{}.invalid_{name}", self.prefix));
                Some(None)
            }
        }
    }

    /// Required and non-blank: absent gives `missing_` and `empty_`, blank gives `empty_`.
    pub fn required(&mut self, name: &str) -> String {
        let missing = format!("{}.missing_{name}", self.prefix);
        self.required_with(name, &missing)
    }

    /// Like [`Validator::required`] with an explicit key for the absent case.
    pub fn required_with(&mut self, name: &str, missing_key: &str) -> String {
        let empty = format!("{}.empty_{name}", self.prefix);
        match self.text(name) {
            None => {
                self.errors.push(missing_key.to_owned());
                self.errors.push(empty);
                String::new()
            }
            Some(value) => {
                let value = value.unwrap_or_default();
                if value.trim().is_empty() {
                    self.errors.push(empty);
                }
                value
            }
        }
    }

    /// Required but blank allowed (log-in's email and password).
    pub fn present(&mut self, name: &str) -> String {
        match self.text(name) {
            None => {
                self.errors.push(format!("{}.missing_{name}", self.prefix));
                String::new()
            }
            Some(value) => value.unwrap_or_default(),
        }
    }

    /// Optional; `Some("")` when sent empty.
    pub fn optional(&mut self, name: &str) -> Option<String> {
        self.text(name).map(Option::unwrap_or_default)
    }

    /// Optional, but non-blank when sent (`empty_<name>` otherwise).
    pub fn optional_non_blank(&mut self, name: &str) -> Option<String> {
        let value = self.optional(name)?;
        if value.trim().is_empty() {
            self.errors.push(format!("{}.empty_{name}", self.prefix));
        }
        Some(value)
    }

    /// Barong's `page` and `limit` with the given family of keys.
    pub fn page(&mut self, keys: &super::pagination::PageKeys) -> super::pagination::PageRequest {
        let page = self.optional("page");
        let limit = self.optional("limit");
        super::pagination::parse(page, limit, keys, &mut self.errors)
    }

    /// A captcha answer: a string or an object; any other type is `invalid_key`.
    pub fn captcha(&mut self, name: &str, invalid_key: &str) -> Option<Value> {
        match self.params.0.get(name)? {
            v @ (Value::String(_) | Value::Object(_) | Value::Null) => Some(v.clone()),
            _ => {
                self.errors.push(invalid_key.to_owned());
                None
            }
        }
    }

    /// Adds a key found by a check the validator does not make itself.
    pub fn push_error(&mut self, key: &str) {
        self.errors.push(key.to_owned());
    }

    /// Optional search filter: trimmed; absent or blank is `None` (filters nothing).
    pub fn filter(&mut self, name: &str) -> Option<String> {
        self.optional(name)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    /// Optional unix time in seconds; not an integer: `key`.
    pub fn unix_time(&mut self, name: &str, key: &str) -> Option<chrono::NaiveDateTime> {
        let raw = self.optional(name)?;
        let parsed = unix_seconds(&raw);
        if parsed.is_none() {
            self.errors.push(key.to_owned());
        }
        parsed
    }

    /// Optional boolean (`true`/`false`, JSON or text); anything else: `key`.
    pub fn boolean(&mut self, name: &str, key: &str) -> Option<bool> {
        let value = match self.params.0.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if value.is_none() {
            self.errors.push(key.to_owned());
        }
        value
    }

    /// All errors as one 422, or nothing.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::unprocessable(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, Value)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn missing_and_blank_give_barong_keys_in_order() {
        let p = params(&[("password", Value::String("  ".into()))]);
        let mut v = Validator::new(&p, "identity.user");
        v.required("email");
        v.required("password");
        assert_eq!(
            v.finish().unwrap_err().keys,
            vec![
                "identity.user.missing_email",
                "identity.user.empty_email",
                "identity.user.empty_password"
            ]
        );
    }

    #[test]
    fn present_allows_blank_and_numbers_become_text() {
        let p = params(&[
            ("email", Value::String(String::new())),
            ("code", serde_json::json!(123456)),
        ]);
        let mut v = Validator::new(&p, "identity.session");
        assert_eq!(v.present("email"), "");
        assert_eq!(v.optional("code").as_deref(), Some("123456"));
        v.present("password");
        assert_eq!(
            v.finish().unwrap_err().keys,
            vec!["identity.session.missing_password"]
        );
    }
}
