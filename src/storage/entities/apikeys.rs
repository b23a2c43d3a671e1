//! `apikeys` rows.

use sea_orm::entity::prelude::*;

/// An API key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "apikeys")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// Public key id (16 hex chars).
    pub kid: String,
    /// HS256, HS384 or HS512.
    pub algorithm: String,
    /// Scope list (Barong stored a YAML array; we store a JSON array).
    pub scope: Option<String>,
    /// `active` or `inactive`.
    pub state: String,
    /// The HMAC secret sealed by the secret box.
    pub secret_encrypted: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
    /// Addresses the key may be used from: comma-separated CIDR blocks (ours).
    pub allowed_ips: Option<String>,
    /// When the key stops working (ours).
    pub expires_at: Option<DateTime>,
    /// Edge checks per second set by an admin for this key; null: the default (ours).
    pub rate_limit_per_sec: Option<i32>,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
