//! `users` rows.

use sea_orm::entity::prelude::*;

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Internal id (never exposed in the API).
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Public id, `ID` + 10 hex.
    pub uid: String,
    /// Lower-cased email.
    pub email: String,
    /// argon2id (or legacy bcrypt) digest.
    pub password_digest: String,
    /// RBAC role.
    pub role: String,
    /// KYC level.
    pub level: i32,
    /// 2FA enabled.
    pub otp: bool,
    /// Account state.
    pub state: String,
    /// Internal id of the referrer.
    pub referral_id: Option<i64>,
    /// TOTP secret sealed by the secret box.
    pub otp_secret: Option<String>,
    /// Last TOTP time step accepted (replay guard).
    pub otp_last_step: Option<i64>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
}

/// No declared relations: Barong's schema has no foreign keys.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
