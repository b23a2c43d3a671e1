//! `activities` rows.

use sea_orm::entity::prelude::*;

/// One audit record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Acting user's internal id.
    pub user_id: i64,
    /// Target user's uid (admin activities).
    pub target_uid: Option<String>,
    /// `user` or `admin`.
    pub category: Option<String>,
    /// Client IP.
    pub user_ip: String,
    /// User agent.
    pub user_agent: String,
    /// Topic.
    pub topic: String,
    /// Action.
    pub action: String,
    /// `succeed`, `failed` or `denied`.
    pub result: String,
    /// JSON text.
    pub data: Option<String>,
    /// When it happened (UTC).
    pub created_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
