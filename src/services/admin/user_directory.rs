//! The admin user directory: filtered, stably ordered pages of users, and the users
//! whose KYC documents wait for review.

use crate::services::{ServiceError, Services};
use crate::storage::{self, user_search::UserFilter, users::User};

impl Services {
    /// `GET /admin/users`: a page in id order and the total.
    pub async fn users_page(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<User>, u64), ServiceError> {
        Ok(storage::user_search::page(self.db.conn(), filter, offset, limit).await?)
    }

    /// `GET /admin/users/documents/pending`: the longest-waiting first.
    pub async fn pending_documents_page(
        &self,
        filter: &UserFilter,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<User>, u64), ServiceError> {
        Ok(
            storage::user_search::pending_documents_page(self.db.conn(), filter, offset, limit)
                .await?,
        )
    }

    /// `GET /admin/users/{uid}`: 404 `admin.user.doesnt_exist` when unknown.
    pub async fn user_by_uid(&self, uid: &str) -> Result<User, ServiceError> {
        storage::users::find_by_uid(self.db.conn(), uid.trim())
            .await?
            .ok_or_else(|| {
                ServiceError::new(
                    crate::services::ErrorKind::NotFound,
                    "admin.user.doesnt_exist",
                )
            })
    }
}
