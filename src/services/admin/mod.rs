//! The admin use cases: permissions, user state, 2FA and role, the audit log and the
//! metrics. Every change an admin makes is written with an `admin` activity row in the
//! same transaction, so a change is never committed without its audit record (Barong
//! audited admin calls only when an AUDIT permission matched at the edge).

pub mod activities;
pub mod api_keys;
pub mod labels;
pub mod metrics;
pub mod permissions;
pub mod user_directory;
pub mod users;

use crate::domain::ClientInfo;
use crate::storage::{self, Conn, activities::AdminActivity, users::User};

/// Appends the audit row of one admin change (inside the caller's transaction).
pub(crate) async fn audit(
    conn: &impl Conn,
    admin: &User,
    client: &ClientInfo,
    topic: &str,
    action: &str,
    target_uid: Option<&str>,
    data: serde_json::Value,
) -> Result<(), storage::StorageError> {
    storage::activities::insert_admin_activities(
        conn,
        vec![AdminActivity {
            user_id: admin.id,
            target_uid: target_uid.map(str::to_owned),
            user_ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
            topic: topic.to_owned(),
            action: action.to_owned(),
            result: "succeed".to_owned(),
            data: Some(data.to_string()),
        }],
    )
    .await
}
