//! Activities repository: append-only audit rows.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::activities::{self, Entity as Activities};
use super::{Conn, StorageError, now};
use crate::domain::ClientInfo;
use crate::domain::activity::UserActivity;

pub use activities::Model as Activity;

/// Appends a `user`-category activity.
pub async fn insert_user_activity(
    conn: &impl Conn,
    user_id: i64,
    client: &ClientInfo,
    activity: &UserActivity,
) -> Result<(), StorageError> {
    activities::ActiveModel {
        user_id: Set(user_id),
        target_uid: Set(None),
        category: Set(Some("user".to_owned())),
        user_ip: Set(client.ip.clone()),
        user_agent: Set(client.user_agent.chars().take(255).collect()),
        topic: Set(activity.topic.to_owned()),
        action: Set(activity.action.to_owned()),
        result: Set(activity.outcome.as_str().to_owned()),
        data: Set(activity.data_json()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Whether the user ever logged in successfully from this user agent (the "new
/// device" test of the login notice; uses the `user_id` index).
pub async fn has_logged_in_from(
    conn: &impl Conn,
    user_id: i64,
    user_agent: &str,
) -> Result<bool, StorageError> {
    use sea_orm::PaginatorTrait;
    let agent: String = user_agent.chars().take(255).collect();
    let count = Activities::find()
        .filter(activities::Column::UserId.eq(user_id))
        .filter(activities::Column::Topic.eq("session"))
        .filter(activities::Column::Result.eq("succeed"))
        .filter(activities::Column::Action.is_in(["login", "login::2fa"]))
        .filter(activities::Column::UserAgent.eq(agent))
        .count(conn)
        .await?;
    Ok(count > 0)
}

/// An `admin`-category activity (written by the edge check for AUDIT and denials).
#[derive(Debug, Clone)]
pub struct AdminActivity {
    /// Acting user's internal id.
    pub user_id: i64,
    /// Target user's uid, if the request named one.
    pub target_uid: Option<String>,
    /// Client IP.
    pub user_ip: String,
    /// User agent.
    pub user_agent: String,
    /// Topic.
    pub topic: String,
    /// create/read/update/delete/system.
    pub action: String,
    /// `succeed` or `denied`.
    pub result: String,
    /// JSON with secrets redacted.
    pub data: Option<String>,
}

/// Appends admin activities in one statement.
pub async fn insert_admin_activities(
    conn: &impl Conn,
    rows: Vec<AdminActivity>,
) -> Result<(), StorageError> {
    if rows.is_empty() {
        return Ok(());
    }
    let at = now();
    let models = rows.into_iter().map(|a| activities::ActiveModel {
        user_id: Set(a.user_id),
        target_uid: Set(a.target_uid),
        category: Set(Some("admin".to_owned())),
        user_ip: Set(a.user_ip),
        user_agent: Set(a.user_agent.chars().take(255).collect()),
        topic: Set(a.topic),
        action: Set(a.action),
        result: Set(a.result),
        data: Set(a.data),
        created_at: Set(at),
        ..Default::default()
    });
    Activities::insert_many(models).exec(conn).await?;
    Ok(())
}

/// Every activity of a user, newest first.
pub async fn list_for_user(conn: &impl Conn, user_id: i64) -> Result<Vec<Activity>, StorageError> {
    Ok(Activities::find()
        .filter(activities::Column::UserId.eq(user_id))
        .order_by_desc(activities::Column::Id)
        .all(conn)
        .await?)
}

/// One page of a user's activities (all, or of one topic), newest first, and the total.
pub async fn page_for_user(
    conn: &impl Conn,
    user_id: i64,
    topic: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Activity>, u64), StorageError> {
    let mut query = Activities::find().filter(activities::Column::UserId.eq(user_id));
    if let Some(topic) = topic {
        query = query.filter(activities::Column::Topic.eq(topic));
    }
    let newest_first = |q: sea_orm::Select<Activities>| q.order_by_desc(activities::Column::Id);
    super::counted_page(conn, query, newest_first, offset, limit).await
}
