//! Labels across users, for staff: who carries a given label, and how many users carry
//! each private label value (the KYC and verification dashboard).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::labels::{self, Entity as Labels};
use super::entities::users::{self, Entity as Users};
use super::users::User;
use super::{Conn, StorageError};

/// Users holding `key` = `value` in any scope, each once, in id order, and the total.
pub async fn users_with(
    conn: &impl Conn,
    key: &str,
    value: &str,
    offset: u64,
    limit: u64,
) -> Result<(Vec<User>, u64), StorageError> {
    let holders = sea_orm::sea_query::Query::select()
        .column(labels::Column::UserId)
        .from(Labels)
        .and_where(labels::Column::Key.eq(key))
        .and_where(labels::Column::Value.eq(value))
        .to_owned();
    let query = Users::find().filter(users::Column::Id.in_subquery(holders));
    let by_id = |q: sea_orm::Select<Users>| q.order_by_asc(users::Column::Id);
    super::counted_page(conn, query, by_id, offset, limit).await
}

/// `(key, value, users)` for every private label pair, ordered by key then value.
pub async fn private_counts(conn: &impl Conn) -> Result<Vec<(String, String, i64)>, StorageError> {
    Ok(Labels::find()
        .select_only()
        .column(labels::Column::Key)
        .column(labels::Column::Value)
        .column_as(labels::Column::Id.count(), "n")
        .filter(labels::Column::Scope.eq("private"))
        .group_by(labels::Column::Key)
        .group_by(labels::Column::Value)
        .order_by_asc(labels::Column::Key)
        .order_by_asc(labels::Column::Value)
        .into_tuple::<(String, String, i64)>()
        .all(conn)
        .await?)
}
