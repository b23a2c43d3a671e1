//! The admin view of the audit log: one category (`user` or `admin`) filtered by topic,
//! action, acting user, target and time, newest first with the id as tie-breaker, so
//! the order is total. (Offset pages of a log that grows at the top shift while one
//! reads them; `to` pins a walk to a fixed end.)

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::activities::Activity;
use super::entities::activities::{self, Entity as Activities};
use super::{Conn, StorageError};

/// What an admin searches for; `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// `user` or `admin`.
    pub category: &'static str,
    /// Exact topic.
    pub topic: Option<String>,
    /// Exact action.
    pub action: Option<String>,
    /// The acting user's internal id.
    pub user_id: Option<i64>,
    /// The target user's uid (admin category).
    pub target_uid: Option<String>,
    /// Earliest `created_at` (inclusive).
    pub from: Option<chrono::NaiveDateTime>,
    /// Latest `created_at` (inclusive).
    pub to: Option<chrono::NaiveDateTime>,
}

/// One page of matching rows, newest first, and the total.
pub async fn page(
    conn: &impl Conn,
    filter: &ActivityFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Activity>, u64), StorageError> {
    let mut query = Activities::find().filter(activities::Column::Category.eq(filter.category));
    if let Some(topic) = &filter.topic {
        query = query.filter(activities::Column::Topic.eq(topic.as_str()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(activities::Column::Action.eq(action.as_str()));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(activities::Column::UserId.eq(user_id));
    }
    if let Some(target) = &filter.target_uid {
        query = query.filter(activities::Column::TargetUid.eq(target.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(activities::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(activities::Column::CreatedAt.lt(super::after_second(to)));
    }
    let newest_first = |q: sea_orm::Select<Activities>| {
        q.order_by_desc(activities::Column::CreatedAt)
            .order_by_desc(activities::Column::Id)
    };
    super::counted_page(conn, query, newest_first, offset, limit).await
}
