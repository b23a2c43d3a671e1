//! Ours: `documents.file_name` and `documents.content_type`. Barong kept the client's
//! file name as the stored object's name (`upload`); we store a generated object key
//! there instead, so the original name (shown to the owner, never used as a path) and
//! the content type detected from the file's bytes (sent back on download) get their
//! own columns. Both are nullable so rows imported from Barong stay valid.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    FileName,
    ContentType,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite cannot add two in one ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .add_column(string_null(Documents::FileName))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .add_column(string_null(Documents::ContentType))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .drop_column(Documents::ContentType)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .drop_column(Documents::FileName)
                    .to_owned(),
            )
            .await
    }
}
