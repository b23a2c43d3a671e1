//! `permissions` rows.

use sea_orm::entity::prelude::*;

/// One RBAC rule.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "permissions")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// ACCEPT, DROP or AUDIT.
    pub action: String,
    /// Role the rule applies to.
    pub role: String,
    /// HTTP method or ALL.
    pub verb: String,
    /// Path prefix.
    pub path: String,
    /// Audit topic.
    pub topic: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
