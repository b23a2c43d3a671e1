//! `cache_invalidations` (ours): an append-only feed of "this user / API key / the
//! permission table changed", written in the same transaction as the change and polled
//! by every instance, so in-memory caches on the edge hot path drop stale entries within
//! a second on every replica, with or without Redis. Old rows are pruned.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CacheInvalidations {
    Table,
    Id,
    Topic,
    Key,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CacheInvalidations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CacheInvalidations::Id))
                    .col(string(CacheInvalidations::Topic))
                    .col(string(CacheInvalidations::Key))
                    .col(date_time(CacheInvalidations::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CacheInvalidations::Table).to_owned())
            .await
    }
}
