//! `apikeys.rate_limit_per_sec` (ours): an admin may give one key another edge rate
//! than `BARONG_RATE_LIMIT_APIKEY_PER_SEC` (a market maker's key more, a suspicious one
//! less). Null: the configured default.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Apikeys {
    Table,
    RateLimitPerSec,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Apikeys::Table)
                    .add_column(integer_null(Apikeys::RateLimitPerSec))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Apikeys::Table)
                    .drop_column(Apikeys::RateLimitPerSec)
                    .to_owned(),
            )
            .await
    }
}
