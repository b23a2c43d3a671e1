//! Domain: newtypes with rules and pure functions over them (no I/O, no frameworks).
//! A handler never sees an unchecked email, uid or state: it gets one of these types
//! from a parsing function. Imports: nothing of ours.

pub mod activity;
pub mod api_key_limits;
pub mod client;
pub mod client_ip;
pub mod document;
pub mod email;
pub mod email_format;
pub mod event;
pub mod label;
pub mod lang;
pub mod level;
pub mod password_rules;
pub mod permission;
pub mod phone;
pub mod profile;
pub mod time_format;
pub mod uid;
pub mod user_state;

pub use client::ClientInfo;
pub use email::Email;
pub use lang::Lang;
pub use uid::Uid;
pub use user_state::UserState;
