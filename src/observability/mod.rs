//! Logging set-up: tracing with an env-filter, human lines or JSON. Field names are
//! dotted (`user.uid`); secrets (passwords, codes, session ids, tokens) are never
//! recorded as fields. Imports: `config`.

use crate::config::{Config, LogFormat};

/// Installs the global subscriber; call once from `main`.
pub fn init(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let result = match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
    if let Err(e) = result {
        eprintln!("logging already initialised: {e}");
    }
}
