//! SeaORM entities, one per table, mirroring the migrations. Only `storage` uses them
//! to build queries; services receive the `Model` structs as plain data.

pub mod activities;
pub mod apikeys;
pub mod cache_invalidations;
pub mod documents;
pub mod labels;
pub mod levels;
pub mod otp_recovery_codes;
pub mod outbox;
pub mod outbox_leases;
pub mod permissions;
pub mod phones;
pub mod profiles;
pub mod users;
pub mod utilized_tokens;
