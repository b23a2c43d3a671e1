//! `utilized_tokens` (ours): ids (`jti`) of spent email-confirmation and password-reset
//! tokens. A unique index makes "spend" one atomic insert, so a token is single-use across
//! restarts and replicas (Barong kept this in a per-process cache, W15); rows past
//! `expires_at` can be pruned because the token itself no longer verifies.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UtilizedTokens {
    Table,
    Id,
    Jti,
    ExpiresAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UtilizedTokens::Table)
                    .if_not_exists()
                    .col(big_pk_auto(UtilizedTokens::Id))
                    .col(string(UtilizedTokens::Jti))
                    .col(date_time(UtilizedTokens::ExpiresAt))
                    .col(date_time(UtilizedTokens::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::unique_index(
                UtilizedTokens::Table,
                "index_utilized_tokens_on_jti",
                &["jti"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UtilizedTokens::Table).to_owned())
            .await
    }
}
