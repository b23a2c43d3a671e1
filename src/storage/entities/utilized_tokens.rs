//! `utilized_tokens` rows.

use sea_orm::entity::prelude::*;

/// A spent one-time token id.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "utilized_tokens")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The token's `jti`.
    pub jti: String,
    /// When the token stops verifying anyway (row may then be pruned).
    pub expires_at: DateTime,
    /// When it was spent.
    pub created_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
