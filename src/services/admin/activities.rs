//! The audit log as admins read it: user activities (logins, password changes, ...)
//! and admin activities (edge audits and denials, admin API changes), each row with the
//! users it names, loaded in one query per page rather than one per row.

use std::collections::HashMap;

use crate::services::{ServiceError, Services};
use crate::storage::{self, activities::Activity, activity_search::ActivityFilter, users::User};

/// A page of activities with the users they reference.
#[derive(Debug, Clone, Default)]
pub struct ActivityPage {
    /// Rows, newest first.
    pub rows: Vec<Activity>,
    /// Matching rows in all pages.
    pub total: u64,
    /// Acting users by internal id.
    pub users: HashMap<i64, User>,
    /// Target users by uid.
    pub targets: HashMap<String, User>,
}

/// A search as the admin sent it: the acting user by uid and/or email.
#[derive(Debug, Clone, Default)]
pub struct ActivityQuery {
    /// Category, topic, action, target and time filters.
    pub filter: ActivityFilter,
    /// Acting user's uid.
    pub uid: Option<String>,
    /// Acting user's email.
    pub email: Option<String>,
}

impl Services {
    /// `GET /admin/activities` and `GET /admin/activities/admin`.
    pub async fn activities_page(
        &self,
        query: ActivityQuery,
        offset: u64,
        limit: u64,
    ) -> Result<ActivityPage, ServiceError> {
        let conn = self.db.conn();
        let mut filter = query.filter;
        if query.uid.is_some() || query.email.is_some() {
            let by_uid = match &query.uid {
                Some(uid) => storage::users::find_by_uid(conn, uid).await?,
                None => None,
            };
            let by_email = match &query.email {
                Some(email) => storage::users::find_by_email(conn, email).await?,
                None => None,
            };
            let user = match (&query.uid, &query.email, by_uid, by_email) {
                (Some(_), Some(_), Some(a), Some(b)) if a.id == b.id => Some(a),
                (Some(_), None, a, _) => a,
                (None, Some(_), _, b) => b,
                _ => None,
            };
            match user {
                Some(user) => filter.user_id = Some(user.id),
                // Nobody matches: an empty page, not an error (Barong's inner join).
                None => return Ok(ActivityPage::default()),
            }
        }
        let (rows, total) = storage::activity_search::page(conn, &filter, offset, limit).await?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let users = storage::users::find_by_ids(conn, &ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut uids: Vec<String> = rows.iter().filter_map(|r| r.target_uid.clone()).collect();
        uids.sort_unstable();
        uids.dedup();
        let targets = storage::users::find_by_uids(conn, &uids)
            .await?
            .into_iter()
            .map(|u| (u.uid.clone(), u))
            .collect();
        Ok(ActivityPage {
            rows,
            total,
            users,
            targets,
        })
    }
}
