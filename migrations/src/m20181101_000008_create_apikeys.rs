//! `apikeys`: HMAC keys of trading bots. Ours: `kid` is unique and the secret lives
//! encrypted in `secret_encrypted` (Barong kept it in Vault).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Apikeys {
    Table,
    Id,
    UserId,
    Kid,
    Algorithm,
    Scope,
    State,
    SecretEncrypted,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Apikeys::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Apikeys::Id))
                    .col(big_integer(Apikeys::UserId))
                    .col(string(Apikeys::Kid))
                    .col(string(Apikeys::Algorithm))
                    .col(string_null(Apikeys::Scope))
                    .col(string(Apikeys::State).default("active"))
                    .col(text_null(Apikeys::SecretEncrypted))
                    .col(date_time(Apikeys::CreatedAt))
                    .col(date_time(Apikeys::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Apikeys::Table,
                "index_apikeys_on_user_id",
                &["user_id"],
            ))
            .await?;
        manager
            .create_index(crate::unique_index(
                Apikeys::Table,
                "index_apikeys_on_kid",
                &["kid"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Apikeys::Table).to_owned())
            .await
    }
}
