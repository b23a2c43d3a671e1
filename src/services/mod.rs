//! Use cases: validate, load, decide, write, notify. Framework-free (no axum, no
//! SeaORM query building); the HTTP layer calls these and renders their errors.
//! Imports: `storage`, `sessions`, `events`, `crypto`, `config`, `domain`.

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod captcha;
mod context;
pub mod documents;
mod error;
pub mod identity;
pub mod labels;
pub mod levels;
pub mod one_time_token;
pub mod otp;
pub mod phones;
pub mod profiles;
pub mod record;
pub mod seed;
pub mod session_inventory;
pub mod throttle;
pub mod totp_check;

pub use context::{Services, Settings};
pub use error::{ErrorKind, ServiceError};
