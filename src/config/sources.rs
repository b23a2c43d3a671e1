//! Merging the three sources of configuration into one TOML table.
//!
//! Environment values are strings; each key's type is taken from its built-in default,
//! so `BARONG_SESSION_COOKIE_SECURE=false` really means false (Barong treated every
//! environment value as truthy, W25) and a non-number for a number is refused.

use toml::{Table, Value};

use super::ConfigError;

/// Keys that have no default, all strings; everything else is typed by `defaults.toml`.
const OPTIONAL_KEYS: &[&str] = &[
    "database_url",
    "redis_url",
    "jwt_private_key_file",
    "authz_rules_file",
    "smtp_url",
    "secret_key",
    "secret_keys_retired",
    "admin_password",
    "recaptcha_secret_key",
    "geetest_id",
    "geetest_key",
    "s3_access_key_id",
    "s3_secret_access_key",
    "twilio_account_sid",
    "twilio_auth_token",
    "amqp_url",
    "event_private_key_file",
    "metrics_addr",
    "otlp_endpoint",
];

/// Keys whose value may come from a file named by `BARONG_<KEY>_FILE`.
const SECRET_KEYS: &[&str] = &[
    "database_url",
    "redis_url",
    "smtp_url",
    "secret_key",
    "secret_keys_retired",
    "admin_password",
    "recaptcha_secret_key",
    "geetest_key",
    "s3_secret_access_key",
    "twilio_auth_token",
    "amqp_url",
];

/// Defaults, then the file, then the environment.
pub(super) fn merge<I, K, V>(
    defaults: &str,
    file: Option<&str>,
    env: I,
) -> Result<Table, ConfigError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut table: Table = defaults
        .parse()
        .map_err(|e: toml::de::Error| ConfigError::Invalid(format!("built-in defaults: {e}")))?;
    let defaults_snapshot = table.clone();
    if let Some(text) = file {
        let file_table: Table = text.parse().map_err(|e: toml::de::Error| {
            ConfigError::Invalid(format!("config file: {}", e.message()))
        })?;
        for (key, value) in file_table {
            table.insert(key, value);
        }
    }
    for (name, raw) in env {
        let (name, raw) = (name.as_ref(), raw.as_ref());
        let Some(suffix) = name.strip_prefix("BARONG_") else {
            continue;
        };
        let key = suffix.to_ascii_lowercase();
        if let Some(secret_key) = key
            .strip_suffix("_file")
            .filter(|k| SECRET_KEYS.contains(k))
        {
            let content = std::fs::read_to_string(raw)
                .map_err(|e| ConfigError::Invalid(format!("{name}: cannot read {raw}: {e}")))?;
            table.insert(
                secret_key.to_owned(),
                Value::String(content.trim().to_owned()),
            );
            continue;
        }
        if let Some(value) = typed_value(&defaults_snapshot, &key, name, raw)? {
            table.insert(key, value);
        }
    }
    Ok(table)
}

/// Converts one environment value to the type of its default; `None` for variables that
/// are not settings (`BARONG_CONFIG`, `BARONG_TEST_*`).
fn typed_value(
    defaults: &Table,
    key: &str,
    name: &str,
    raw: &str,
) -> Result<Option<Value>, ConfigError> {
    let value = match defaults.get(key) {
        Some(Value::Integer(_)) => Value::Integer(raw.trim().parse().map_err(|_| {
            ConfigError::Invalid(format!("{name} must be an integer, got '{raw}'"))
        })?),
        Some(Value::Boolean(_)) => Value::Boolean(parse_bool(raw).ok_or_else(|| {
            ConfigError::Invalid(format!("{name} must be true or false, got '{raw}'"))
        })?),
        Some(_) => Value::String(raw.to_owned()),
        None if OPTIONAL_KEYS.contains(&key) => {
            if raw.is_empty() {
                return Ok(None);
            }
            Value::String(raw.to_owned())
        }
        None => return Ok(None),
    };
    Ok(Some(value))
}

fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}
