//! `levels`: the ordered KYC ladder; a user's level is the id of the last level whose
//! `key:value` label they hold. Ours: `(key, value)` is unique, as Barong's model required.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Levels {
    Table,
    Id,
    Key,
    Value,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Levels::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Levels::Id))
                    .col(string(Levels::Key))
                    .col(string_null(Levels::Value))
                    .col(string_null(Levels::Description))
                    .col(date_time(Levels::CreatedAt))
                    .col(date_time(Levels::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::unique_index(
                Levels::Table,
                "index_levels_on_key_and_value",
                &["key", "value"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Levels::Table).to_owned())
            .await
    }
}
