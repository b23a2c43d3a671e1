//! Writing user activities. Best effort by design: the audit row must never turn a
//! refused login into a 503, so a failed write is logged (once, here) and dropped.

use crate::domain::ClientInfo;
use crate::domain::activity::UserActivity;
use crate::storage::{self, Conn};

/// Appends a user activity, logging instead of failing.
pub async fn user_activity(
    conn: &impl Conn,
    user_id: i64,
    client: &ClientInfo,
    activity: UserActivity,
) {
    if let Err(e) =
        storage::activities::insert_user_activity(conn, user_id, client, &activity).await
    {
        tracing::error!(error = %e, activity.topic = activity.topic, activity.action = activity.action, "activity not recorded");
    }
}
