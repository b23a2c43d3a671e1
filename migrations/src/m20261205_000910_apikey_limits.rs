//! `apikeys.allowed_ips` and `apikeys.expires_at` (ours): an owner may bind a key to
//! the addresses it is used from and give it an end date. Both are optional; existing
//! keys keep working unrestricted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Apikeys {
    Table,
    AllowedIps,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Apikeys::Table)
                    .add_column(text_null(Apikeys::AllowedIps))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Apikeys::Table)
                    .add_column(date_time_null(Apikeys::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Apikeys::AllowedIps, Apikeys::ExpiresAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Apikeys::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
