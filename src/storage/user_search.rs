//! The admin user directory: Barong's filters on users (and on their profile) with a
//! stable order, so paging through thousands of users never repeats or skips one
//! (Barong relied on the database's natural order, W33). Indexes: see migration
//! `m20261205_000900_admin_search_indexes`.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::labels;
use super::entities::users::{self, Entity as Users};
use super::users::User;
use super::{Conn, StorageError};

/// Which timestamp `from`/`to` bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Range {
    /// `created_at`.
    #[default]
    Created,
    /// `updated_at`.
    Updated,
}

/// Filters of `GET /admin/users` and `GET /admin/users/documents/pending`; `None`
/// does not filter.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Exact uid.
    pub uid: Option<String>,
    /// Exact email.
    pub email: Option<String>,
    /// Exact role.
    pub role: Option<String>,
    /// Exact state.
    pub state: Option<String>,
    /// Exact level.
    pub level: Option<i32>,
    /// Exact profile first name.
    pub first_name: Option<String>,
    /// Exact profile last name.
    pub last_name: Option<String>,
    /// Exact profile country.
    pub country: Option<String>,
    /// Which timestamp the bounds apply to.
    pub range: Range,
    /// Earliest time (inclusive).
    pub from: Option<chrono::NaiveDateTime>,
    /// Latest time (inclusive).
    pub to: Option<chrono::NaiveDateTime>,
}

/// `user_id`s whose profile matches the profile filters, or `None` when none is set.
fn profile_subquery(filter: &UserFilter) -> Option<SelectStatement> {
    let pairs = [
        ("first_name", &filter.first_name),
        ("last_name", &filter.last_name),
        ("country", &filter.country),
    ];
    if pairs.iter().all(|(_, v)| v.is_none()) {
        return None;
    }
    let mut query = Query::select();
    query
        .column(Alias::new("user_id"))
        .from(Alias::new("profiles"));
    for (column, value) in pairs {
        if let Some(value) = value {
            query.and_where(Expr::col(Alias::new(column)).eq(value.as_str()));
        }
    }
    Some(query.to_owned())
}

fn filtered(filter: &UserFilter) -> sea_orm::Select<Users> {
    let mut query = Users::find();
    let exact = [
        (users::Column::Uid, &filter.uid),
        (users::Column::Email, &filter.email),
        (users::Column::Role, &filter.role),
        (users::Column::State, &filter.state),
    ];
    for (column, value) in exact {
        if let Some(value) = value {
            query = query.filter(column.eq(value.as_str()));
        }
    }
    if let Some(level) = filter.level {
        query = query.filter(users::Column::Level.eq(level));
    }
    let at = match filter.range {
        Range::Created => users::Column::CreatedAt,
        Range::Updated => users::Column::UpdatedAt,
    };
    if let Some(from) = filter.from {
        query = query.filter(at.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(at.lt(super::after_second(to)));
    }
    if let Some(profiles) = profile_subquery(filter) {
        query = query.filter(users::Column::Id.in_subquery(profiles));
    }
    query
}

/// One page of matching users in id order, and the total.
pub async fn page(
    conn: &impl Conn,
    filter: &UserFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<User>, u64), StorageError> {
    let by_id = |q: sea_orm::Select<Users>| q.order_by_asc(users::Column::Id);
    super::counted_page(conn, filtered(filter), by_id, offset, limit).await
}

/// One page of matching users whose private `document` label is `pending`, the
/// longest-waiting first (by the label's last change, then user id), and the total.
pub async fn pending_documents_page(
    conn: &impl Conn,
    filter: &UserFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<User>, u64), StorageError> {
    // Barong's schema declares no foreign keys, so the join is spelled out here.
    let label_owner: sea_orm::RelationDef = labels::Entity::belongs_to(Users)
        .from(labels::Column::UserId)
        .to(users::Column::Id)
        .into();
    let query = filtered(filter)
        .join_rev(sea_orm::JoinType::InnerJoin, label_owner)
        .filter(labels::Column::Key.eq("document"))
        .filter(labels::Column::Value.eq("pending"))
        .filter(labels::Column::Scope.eq("private"));
    let longest_waiting = |q: sea_orm::Select<Users>| {
        q.order_by_asc(labels::Column::UpdatedAt)
            .order_by_asc(users::Column::Id)
    };
    super::counted_page(conn, query, longest_waiting, offset, limit).await
}
