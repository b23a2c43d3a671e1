//! `phones` rows: Barong's columns plus the verification-code state (ours).

use sea_orm::entity::prelude::*;

/// A number a user added, verified or not.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phones")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// ISO 3166 alpha-2 country of the number.
    pub country: String,
    /// International digits without `+`.
    pub number: String,
    /// Barong's clear-text code; never written by us (imported rows only).
    pub code: Option<String>,
    /// When the number was verified (UTC).
    pub validated_at: Option<DateTime>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
    /// The live code, sealed by the secret box; `None` once used, burnt or never sent.
    pub code_sealed: Option<String>,
    /// When the live code was sent (the resend throttle counts from here).
    pub code_sent_at: Option<DateTime>,
    /// When the live code stops being accepted.
    pub code_expires_at: Option<DateTime>,
    /// Verification attempts made against the live code.
    pub failed_attempts: i32,
    /// The number once verified; unique across all rows.
    pub verified_number: Option<String>,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
