//! `documents`: KYC uploads (the stored file name, never a public path), Barong's columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    UserId,
    Upload,
    DocType,
    DocNumber,
    DocExpire,
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
                    .table(Documents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Documents::Id))
                    .col(big_integer(Documents::UserId))
                    .col(string_null(Documents::Upload))
                    .col(string_null(Documents::DocType))
                    .col(string_null(Documents::DocNumber))
                    .col(date_null(Documents::DocExpire))
                    .col(text_null(Documents::Metadata))
                    .col(date_time(Documents::CreatedAt))
                    .col(date_time(Documents::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Documents::Table,
                "index_documents_on_user_id",
                &["user_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Documents::Table).to_owned())
            .await
    }
}
