#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

//! The API test suite: one binary, one module per feature. Every test talks to a real
//! barong over HTTP; identity and storage tests run once per configured backend
//! (SQLite + memory always; PostgreSQL, MariaDB and Redis when their
//! `BARONG_TEST_*_URL` variables are set, as `.ci/run` does).

mod admin_activities;
mod admin_directory;
mod admin_labels;
mod admin_permissions;
mod admin_support;
mod admin_users;
mod api_key_limits;
mod api_key_scopes;
mod authz_parity;
mod captcha;
mod cli;
mod events;
mod general;
mod helpers;
mod identity_email;
mod identity_password;
mod identity_sessions;
mod identity_signup;
mod mail_delivery;
mod nginx;
mod rate_limits;
mod redis_outage;
mod resource_account;
mod resource_api_keys;
mod resource_documents;
mod resource_labels;
mod resource_otp;
mod resource_phones;
mod resource_profiles;
mod resource_sessions;
mod storage_backends;
mod telemetry;
mod totp_ref;
mod two_factor_journey;
mod weak_points;
