//! `activities`: the immutable audit log of user and admin actions, Barong's columns
//! (including the 2019-05 `target_uid` and `category` additions). No `updated_at`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    UserId,
    TargetUid,
    Category,
    UserIp,
    UserAgent,
    Topic,
    Action,
    Result,
    Data,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Activities::Id))
                    .col(big_integer(Activities::UserId))
                    .col(string_null(Activities::TargetUid))
                    .col(string_null(Activities::Category))
                    .col(string(Activities::UserIp))
                    .col(string(Activities::UserAgent))
                    .col(string(Activities::Topic))
                    .col(string(Activities::Action))
                    .col(string(Activities::Result))
                    .col(text_null(Activities::Data))
                    .col(date_time(Activities::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                Activities::Table,
                "index_activities_on_user_id",
                &["user_id"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                Activities::Table,
                "index_activities_on_target_uid",
                &["target_uid"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Activities::Table).to_owned())
            .await
    }
}
