//! `otp_recovery_codes` rows.

use sea_orm::entity::prelude::*;

/// One recovery code, as a digest.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "otp_recovery_codes")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// SHA-256 hex of the owner's uid and the normalised code.
    pub code_digest: String,
    /// When it was spent; `None` while usable.
    pub used_at: Option<DateTime>,
    /// When it was issued (UTC).
    pub created_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
