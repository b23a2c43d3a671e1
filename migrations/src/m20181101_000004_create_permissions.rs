//! `permissions`: the RBAC table the edge check evaluates (role, verb, path prefix,
//! ACCEPT/DROP/AUDIT action, optional audit topic), exactly Barong's columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Permissions {
    Table,
    Id,
    Action,
    Role,
    Verb,
    Path,
    Topic,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Permissions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Permissions::Id))
                    .col(string(Permissions::Action))
                    .col(string(Permissions::Role))
                    .col(string(Permissions::Verb))
                    .col(string(Permissions::Path))
                    .col(string_null(Permissions::Topic))
                    .col(date_time(Permissions::CreatedAt))
                    .col(date_time(Permissions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Permissions::Table,
                "index_permissions_on_topic",
                &["topic"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                Permissions::Table,
                "index_permissions_on_role",
                &["role"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Permissions::Table).to_owned())
            .await
    }
}
