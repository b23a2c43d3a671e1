//! `outbox` and `outbox_leases` (ours): every event is written here in the transaction
//! of the change that causes it, and a relay drains the table to RabbitMQ (and to the
//! mailer) after commit, so a broker or SMTP outage never turns a committed write into a
//! 500 or loses the event (Barong published synchronously after commit, W21). One relay
//! runs per cluster: it holds the `outbox_leases` row, renewed while it lives.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    EventId,
    Name,
    Payload,
    CreatedAt,
    PublishedAt,
    Mail,
    MailedAt,
    MailAttempts,
    MailNextAt,
}

#[derive(DeriveIden)]
enum OutboxLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len_uniq(Outbox::EventId, 36))
                    .col(string_len(Outbox::Name, 100))
                    .col(text(Outbox::Payload))
                    .col(date_time(Outbox::CreatedAt))
                    .col(date_time_null(Outbox::PublishedAt))
                    .col(boolean(Outbox::Mail).default(false))
                    .col(date_time_null(Outbox::MailedAt))
                    .col(integer(Outbox::MailAttempts).default(0))
                    .col(date_time_null(Outbox::MailNextAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Outbox::Table,
                "index_outbox_on_published_at_and_id",
                &["published_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                Outbox::Table,
                "index_outbox_on_mail_and_mailed_at",
                &["mail", "mailed_at"],
            ))
            .await?;
        manager
            .create_index(index(
                Outbox::Table,
                "index_outbox_on_created_at",
                &["created_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxLeases::Table)
                    .if_not_exists()
                    .col(string_len(OutboxLeases::Name, 50).primary_key())
                    .col(string_len(OutboxLeases::Holder, 64))
                    .col(date_time(OutboxLeases::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxLeases::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}
