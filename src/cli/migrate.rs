//! `barong migrate`.

use anyhow::Context;

use crate::config::Config;
use crate::storage::Database;

/// Applies pending migrations.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let db = Database::connect(&config.database_url())
        .await
        .context("database")?;
    db.migrate().await.context("migrations")?;
    println!("database is up to date");
    db.close().await;
    Ok(())
}
