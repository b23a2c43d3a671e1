//! `labels` rows.

use sea_orm::entity::prelude::*;

/// A key/value tag on a user.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "labels")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// Normalised key.
    pub key: String,
    /// Normalised value.
    pub value: String,
    /// `public` or `private`.
    pub scope: String,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
