//! `outbox_leases` rows.

use sea_orm::entity::prelude::*;

/// Who runs a cluster-wide singleton task, and until when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_leases")]
pub struct Model {
    /// The task (`relay`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// Random id of the holding instance.
    pub holder: String,
    /// The lease lapses at this time unless renewed.
    pub expires_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
