//! `cache_invalidations` rows.

use sea_orm::entity::prelude::*;

/// One change notice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cache_invalidations")]
pub struct Model {
    /// Monotonic id; pollers remember the last one seen.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `user`, `apikey` or `permissions`.
    pub topic: String,
    /// uid, kid, or empty for the whole table.
    pub key: String,
    /// When it was written.
    pub created_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
