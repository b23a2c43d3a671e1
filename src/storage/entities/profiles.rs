//! `profiles` rows (migration m20181101_000006; one per user by a unique index).

use sea_orm::entity::prelude::*;

/// A user's KYC identity data. Columns are nullable as in Barong's schema; rows we
/// write always fill every column but `metadata`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profiles")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Date of birth.
    pub dob: Option<Date>,
    /// Street address.
    pub address: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 or alpha-3 code.
    pub country: Option<String>,
    /// JSON object as text.
    #[sea_orm(column_type = "Text", nullable)]
    pub metadata: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
