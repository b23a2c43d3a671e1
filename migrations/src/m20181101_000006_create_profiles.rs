//! `profiles`: a user's KYC identity data. Ours: one profile per user is a unique index,
//! not only the API's 409 check.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Profiles {
    Table,
    Id,
    UserId,
    FirstName,
    LastName,
    Dob,
    Address,
    Postcode,
    City,
    Country,
    Metadata,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Profiles::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Profiles::Id))
                    .col(big_integer(Profiles::UserId))
                    .col(string_null(Profiles::FirstName))
                    .col(string_null(Profiles::LastName))
                    .col(date_null(Profiles::Dob))
                    .col(string_null(Profiles::Address))
                    .col(string_null(Profiles::Postcode))
                    .col(string_null(Profiles::City))
                    .col(string_null(Profiles::Country))
                    .col(text_null(Profiles::Metadata))
                    .col(date_time(Profiles::CreatedAt))
                    .col(date_time(Profiles::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::unique_index(
                Profiles::Table,
                "index_profiles_on_user_id",
                &["user_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Profiles::Table).to_owned())
            .await
    }
}
