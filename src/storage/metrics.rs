//! Counts behind `GET /admin/metrics`: activities per calendar day (UTC) and pending KYC
//! applications. The day is computed in SQL, with each backend's own date function, so
//! the database returns one row per day instead of one per activity.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::entities::activities::{self, Entity as Activities};
use super::entities::labels::{self, Entity as Labels};
use super::{Conn, StorageError};

/// Which activities one series counts.
#[derive(Debug, Clone)]
pub struct Series {
    /// Topic.
    pub topic: &'static str,
    /// Actions counted together (e.g. `login` and `login::2fa`).
    pub actions: &'static [&'static str],
    /// `succeed` or `failed`.
    pub result: &'static str,
    /// Rows whose `data` contains this text are not counted.
    pub unless_data_contains: Option<&'static str>,
}

fn day_expression(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "to_char(created_at, 'YYYY-MM-DD')",
        DbBackend::MySql => "DATE_FORMAT(created_at, '%Y-%m-%d')",
        _ => "substr(created_at, 1, 10)",
    }
}

/// `YYYY-MM-DD` → count of matching activities created within `[from, to]`.
pub async fn daily_counts(
    conn: &impl Conn,
    series: &Series,
    from: Option<chrono::NaiveDateTime>,
    to: Option<chrono::NaiveDateTime>,
) -> Result<Vec<(String, i64)>, StorageError> {
    let day = day_expression(conn.get_database_backend());
    let mut query = Activities::find()
        .select_only()
        .column_as(Expr::cust(day), "day")
        .column_as(activities::Column::Id.count(), "n")
        .filter(activities::Column::Topic.eq(series.topic))
        .filter(activities::Column::Action.is_in(series.actions.iter().copied()))
        .filter(activities::Column::Result.eq(series.result));
    if let Some(text) = series.unless_data_contains {
        query = query.filter(
            Condition::any()
                .add(activities::Column::Data.is_null())
                .add(activities::Column::Data.not_like(format!("%{text}%"))),
        );
    }
    if let Some(from) = from {
        query = query.filter(activities::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(activities::Column::CreatedAt.lt(super::after_second(to)));
    }
    Ok(query
        .group_by(Expr::cust(day))
        .into_tuple::<(String, i64)>()
        .all(conn)
        .await?)
}

/// Users whose private `document` label is `pending`.
pub async fn pending_applications(conn: &impl Conn) -> Result<u64, StorageError> {
    Ok(Labels::find()
        .filter(labels::Column::Key.eq("document"))
        .filter(labels::Column::Value.eq("pending"))
        .filter(labels::Column::Scope.eq("private"))
        .count(conn)
        .await?)
}
