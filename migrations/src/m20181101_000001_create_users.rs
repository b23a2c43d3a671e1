//! `users`: Barong's columns plus the encrypted TOTP secret and the last accepted TOTP
//! time step (ours), which make 2FA work without Vault and reject a replayed code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Uid,
    Email,
    PasswordDigest,
    Role,
    Level,
    Otp,
    State,
    ReferralId,
    OtpSecret,
    OtpLastStep,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Users::Id))
                    .col(string(Users::Uid))
                    .col(string(Users::Email))
                    .col(string(Users::PasswordDigest))
                    .col(string(Users::Role).default("member"))
                    .col(integer(Users::Level).default(0))
                    .col(boolean(Users::Otp).default(false))
                    .col(string(Users::State).default("pending"))
                    .col(big_integer_null(Users::ReferralId))
                    .col(text_null(Users::OtpSecret))
                    .col(big_integer_null(Users::OtpLastStep))
                    .col(date_time(Users::CreatedAt))
                    .col(date_time(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::unique_index(
                Users::Table,
                "index_users_on_uid",
                &["uid"],
            ))
            .await?;
        manager
            .create_index(crate::unique_index(
                Users::Table,
                "index_users_on_email",
                &["email"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}
