//! `otp_recovery_codes` (ours): the single-use codes a user receives when turning 2FA on,
//! kept only as digests. Spending one is an atomic update of `used_at`, so a code works
//! once even when two log-ins race.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OtpRecoveryCodes {
    Table,
    Id,
    UserId,
    CodeDigest,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OtpRecoveryCodes::Table)
                    .if_not_exists()
                    .col(big_pk_auto(OtpRecoveryCodes::Id))
                    .col(big_integer(OtpRecoveryCodes::UserId))
                    .col(string(OtpRecoveryCodes::CodeDigest))
                    .col(date_time_null(OtpRecoveryCodes::UsedAt))
                    .col(date_time(OtpRecoveryCodes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::unique_index(
                OtpRecoveryCodes::Table,
                "index_otp_recovery_codes_on_user_id_and_code_digest",
                &["user_id", "code_digest"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OtpRecoveryCodes::Table).to_owned())
            .await
    }
}
