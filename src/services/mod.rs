//! Use cases: validate, load, decide, write, notify. Framework-free (no axum, no
//! SeaORM query building); the HTTP layer calls these and renders their errors.
//! Imports: `storage`, `sessions`, `events`, `crypto`, `config`, `domain`. Events are
//! written to the storage outbox in the transaction of their change (`emit`).

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod captcha;
mod context;
pub mod documents;
mod emit;
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
mod telemetry;
pub mod throttle;
pub mod totp_check;

pub use context::{Services, Settings};
pub(crate) use emit::emit;
pub use error::{ErrorKind, ServiceError};
