//! Storage: the one place that builds SQL (through SeaORM), for SQLite, PostgreSQL and
//! MySQL/MariaDB alike. Repositories are free functions taking any connection, so a
//! service can run several of them in one transaction. Database errors are classified
//! here once (a unique violation becomes Barong's 422 key, never a 500).
//! Imports: `domain`.

pub mod activities;
pub mod activity_search;
pub mod apikeys;
pub mod documents;
pub mod entities;
mod error;
pub mod files;
pub mod invalidations;
pub mod label_directory;
pub mod labels;
pub mod levels;
pub mod metrics;
pub mod model_events;
pub mod outbox;
pub mod permissions;
pub mod phones;
pub mod profiles;
pub mod recovery_codes;
pub mod user_search;
pub mod users;
pub mod utilized_tokens;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, TransactionTrait};

pub use error::{NUMBER_TAKEN, StorageError};
pub use sea_orm::{ConnectionTrait as Conn, DatabaseTransaction as Tx};

/// Current UTC time as stored in every timestamp column (naive, UTC by convention, so
/// the same column type works on all three backends).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The exclusive upper bound that makes a `to` given in whole seconds inclusive of
/// that whole second (stored times carry fractions on SQLite and PostgreSQL).
pub(crate) fn after_second(to: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    to + chrono::TimeDelta::seconds(1)
}

/// One page of a filtered query, ordered by `order`, and the total of all its pages:
/// the shape of every paginated list (the count runs on the unordered query).
pub(crate) async fn counted_page<E>(
    conn: &impl Conn,
    filtered: sea_orm::Select<E>,
    order: impl FnOnce(sea_orm::Select<E>) -> sea_orm::Select<E>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<E::Model>, u64), StorageError>
where
    E: sea_orm::EntityTrait,
    E::Model: Send + Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = filtered.clone().count(conn).await?;
    let rows = order(filtered)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// (idle, in use, maximum) connections of one driver's pool.
fn pool_usage<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) -> (u32, u32, u32) {
    let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
    (
        idle,
        pool.size().saturating_sub(idle),
        pool.options().get_max_connections(),
    )
}

/// A pool of connections to the configured database.
#[derive(Clone)]
pub struct Database {
    conn: DatabaseConnection,
}

impl Database {
    /// Opens a pool; for SQLite, creates the file's folder and turns on WAL so readers
    /// do not block the writer.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let file = path.split('?').next().unwrap_or_default();
            if let Some(parent) = std::path::Path::new(file).parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StorageError::Unavailable(e.to_string()))?;
            }
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        if url.starts_with("sqlite:") {
            options.max_connections(8);
        }
        let conn = sea_orm::Database::connect(options).await?;
        if url.starts_with("sqlite:") {
            conn.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        }
        Ok(Self { conn })
    }

    /// Applies every pending migration (an empty database gets the whole schema).
    pub async fn migrate(&self) -> Result<(), StorageError> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// The pool, for repository calls outside a transaction.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Starts a transaction; dropping it without `commit` rolls back. On SQLite it
    /// takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that
    /// reads first fails with `SQLITE_BUSY` instead of waiting when another connection
    /// (the outbox relay, say) wrote meanwhile.
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        let options = sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(self.conn.begin_with_options(options).await?)
    }

    /// Pool usage: (idle, in use, maximum) connections.
    pub fn pool_stats(&self) -> (u32, u32, u32) {
        match self.conn.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                pool_usage(self.conn.get_postgres_connection_pool())
            }
            sea_orm::DatabaseBackend::MySql => pool_usage(self.conn.get_mysql_connection_pool()),
            _ => pool_usage(self.conn.get_sqlite_connection_pool()),
        }
    }

    /// A cheap round trip, for `/health/ready`.
    pub async fn ping(&self) -> Result<(), StorageError> {
        Ok(self.conn.ping().await?)
    }

    /// Closes the pool on shutdown.
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}
