//! `levels` rows.

use sea_orm::entity::prelude::*;

/// One rung of the KYC ladder.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "levels")]
pub struct Model {
    /// The level number.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Required label key.
    pub key: String,
    /// Required label value.
    pub value: Option<String>,
    /// Human description.
    pub description: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
