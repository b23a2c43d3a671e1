//! Indexes behind the admin API's searches (ours): the user list filters (role, state,
//! level, creation and update time), users holding a label (key and value), and the
//! audit log read by category or topic, newest first. Without them `GET /admin/users`
//! and `GET /admin/activities` scan whole tables once an exchange has real traffic.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[(&str, &str, &[&str])] = &[
    ("users", "index_users_on_role", &["role"]),
    ("users", "index_users_on_state", &["state"]),
    ("users", "index_users_on_level", &["level"]),
    ("users", "index_users_on_created_at", &["created_at"]),
    ("users", "index_users_on_updated_at", &["updated_at"]),
    ("labels", "index_labels_on_key_and_value", &["key", "value"]),
    (
        "activities",
        "index_activities_on_category_and_created_at",
        &["category", "created_at"],
    ),
    (
        "activities",
        "index_activities_on_topic_and_created_at",
        &["topic", "created_at"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, cols) in INDEXES {
            manager
                .create_index(crate::index(Alias::new(*table), name, cols))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(*name)
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
