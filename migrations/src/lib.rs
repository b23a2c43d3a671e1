//! Schema migrations for barong.
//!
//! The tables and column names are Barong 2.2.19's (`users`, `labels`, `levels`,
//! `permissions`, `phones`, `profiles`, `documents`, `apikeys`, `activities`) so that an
//! operator can import an existing Barong database; what we add on top (encrypted secret
//! columns, unique indexes that Barong only enforced in Ruby, single-use token ids) is
//! marked "ours" in each file. One migration per file; this crate never imports the
//! service's entities, so old migrations keep compiling whatever the entities become.
//! Every statement is built with sea-query so the same migration runs on SQLite,
//! PostgreSQL and MySQL/MariaDB.

pub use sea_orm_migration::prelude::*;

mod m20181101_000001_create_users;
mod m20181101_000002_create_labels;
mod m20181101_000003_create_levels;
mod m20181101_000004_create_permissions;
mod m20181101_000005_create_phones;
mod m20181101_000006_create_profiles;
mod m20181101_000007_create_documents;
mod m20181101_000008_create_apikeys;
mod m20181101_000009_create_activities;
mod m20261125_000001_create_utilized_tokens;
mod m20261125_000002_create_cache_invalidations;
mod m20261204_000001_create_otp_recovery_codes;
mod m20261205_000004_add_documents_file_name;
mod m20261205_000005_phone_codes;
mod m20261205_000900_admin_search_indexes;
mod m20261205_000910_apikey_limits;
mod m20261205_000920_apikey_rate_limit;
mod m20261207_000001_create_outbox;

/// The ordered list of migrations; `barong migrate` and `barong serve` apply it.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20181101_000001_create_users::Migration),
            Box::new(m20181101_000002_create_labels::Migration),
            Box::new(m20181101_000003_create_levels::Migration),
            Box::new(m20181101_000004_create_permissions::Migration),
            Box::new(m20181101_000005_create_phones::Migration),
            Box::new(m20181101_000006_create_profiles::Migration),
            Box::new(m20181101_000007_create_documents::Migration),
            Box::new(m20181101_000008_create_apikeys::Migration),
            Box::new(m20181101_000009_create_activities::Migration),
            Box::new(m20261125_000001_create_utilized_tokens::Migration),
            Box::new(m20261125_000002_create_cache_invalidations::Migration),
            Box::new(m20261204_000001_create_otp_recovery_codes::Migration),
            Box::new(m20261205_000004_add_documents_file_name::Migration),
            Box::new(m20261205_000005_phone_codes::Migration),
            Box::new(m20261205_000900_admin_search_indexes::Migration),
            Box::new(m20261205_000910_apikey_limits::Migration),
            Box::new(m20261205_000920_apikey_rate_limit::Migration),
            Box::new(m20261207_000001_create_outbox::Migration),
        ]
    }
}

/// Creates a non-unique index; a helper because every table needs a few.
fn index(table: impl IntoIden, name: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for col in cols {
        idx.col(Alias::new(*col));
    }
    idx.to_owned()
}

/// Creates a unique index, the database-level guard that Barong left to Ruby (W32).
fn unique_index(table: impl IntoIden, name: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = index(table, name, cols);
    idx.unique();
    idx
}
