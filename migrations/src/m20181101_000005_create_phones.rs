//! `phones`: numbers a user verifies by SMS code, Barong's columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Phones {
    Table,
    Id,
    UserId,
    Country,
    Number,
    Code,
    ValidatedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Phones::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Phones::Id))
                    .col(big_integer(Phones::UserId))
                    .col(string(Phones::Country))
                    .col(string(Phones::Number))
                    .col(string_null(Phones::Code))
                    .col(date_time_null(Phones::ValidatedAt))
                    .col(date_time(Phones::CreatedAt))
                    .col(date_time(Phones::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Phones::Table,
                "index_phones_on_number",
                &["number"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                Phones::Table,
                "index_phones_on_user_id",
                &["user_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Phones::Table).to_owned())
            .await
    }
}
