//! `labels`: key/value tags on a user. Ours: `(user_id, key, scope)` is a unique index,
//! so two concurrent writes cannot create the duplicate Barong's model check let through.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Labels {
    Table,
    Id,
    UserId,
    Key,
    Value,
    Scope,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Labels::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Labels::Id))
                    .col(big_integer(Labels::UserId))
                    .col(string(Labels::Key))
                    .col(string(Labels::Value))
                    .col(string(Labels::Scope).default("public"))
                    .col(date_time(Labels::CreatedAt))
                    .col(date_time(Labels::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Labels::Table,
                "index_labels_on_user_id",
                &["user_id"],
            ))
            .await?;
        manager
            .create_index(crate::unique_index(
                Labels::Table,
                "index_labels_on_user_id_and_key_and_scope",
                &["user_id", "key", "scope"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Labels::Table).to_owned())
            .await
    }
}
