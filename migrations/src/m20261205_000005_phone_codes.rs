//! `phones` verification codes (ours): Barong kept the code in clear in `code`, forever,
//! with unlimited attempts (W13). The code now lives sealed by the secret box in
//! `code_sealed` with its send time, expiry and attempt counter; `verified_number` holds
//! the number once verified, under a unique index, so two accounts can never verify
//! the same number even when they race (W32). Rows imported from Barong that are already
//! verified get `verified_number` filled when their number is verified only once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Phones {
    Table,
    CodeSealed,
    CodeSentAt,
    CodeExpiresAt,
    FailedAttempts,
    VerifiedNumber,
}

const UNIQUE_INDEX: &str = "index_phones_on_verified_number";

/// Fills `verified_number` for imported verified rows whose number no other verified
/// row shares (a duplicate left by Barong's race would break the unique index; the
/// service's own check still refuses such a number). The derived table keeps MySQL
/// from refusing a subquery on the table being updated.
const BACKFILL: &str = "UPDATE phones SET verified_number = number \
    WHERE validated_at IS NOT NULL AND number IN (SELECT number FROM \
    (SELECT number FROM phones WHERE validated_at IS NOT NULL \
    GROUP BY number HAVING COUNT(*) = 1) once_verified)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        let columns = [
            string_null(Phones::CodeSealed),
            date_time_null(Phones::CodeSentAt),
            date_time_null(Phones::CodeExpiresAt),
            integer(Phones::FailedAttempts).default(0).to_owned(),
            string_null(Phones::VerifiedNumber),
        ];
        for column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Phones::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(BACKFILL)
            .await?;
        manager
            .create_index(crate::unique_index(
                Phones::Table,
                UNIQUE_INDEX,
                &["verified_number"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(UNIQUE_INDEX)
                    .table(Phones::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Phones::CodeSealed,
            Phones::CodeSentAt,
            Phones::CodeExpiresAt,
            Phones::FailedAttempts,
            Phones::VerifiedNumber,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Phones::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
