//! The admin user directory: filtered, stably ordered pages of users, and the users
//! whose KYC documents wait for review.

use std::collections::HashMap;

use crate::services::{ServiceError, Services};
use crate::storage::{
    self, documents::Document, labels::Label, phones::Phone, profiles::Profile,
    user_search::UserFilter, users::User,
};

/// Everything staff see about one user (Barong's UserWithFullInfo).
#[derive(Debug, Clone)]
pub struct UserFullInfo {
    /// The account.
    pub user: User,
    /// The KYC profile, if submitted.
    pub profile: Option<Profile>,
    /// Labels of both scopes, oldest first.
    pub labels: Vec<Label>,
    /// Phones, verified or not, oldest first.
    pub phones: Vec<Phone>,
    /// KYC documents, oldest first.
    pub documents: Vec<Document>,
}

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

    /// The profiles of a page of users, by user id (one query).
    pub async fn profiles_of(&self, users: &[User]) -> Result<HashMap<i64, Profile>, ServiceError> {
        let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        Ok(storage::profiles::find_for_users(self.db.conn(), &ids)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p))
            .collect())
    }

    /// Full information about each user of a page (a few queries per user: pages of
    /// full records are for review queues, not bulk export).
    pub async fn full_info_of(&self, users: Vec<User>) -> Result<Vec<UserFullInfo>, ServiceError> {
        let mut out = Vec::with_capacity(users.len());
        for user in users {
            out.push(self.full_info(user).await?);
        }
        Ok(out)
    }

    async fn full_info(&self, user: User) -> Result<UserFullInfo, ServiceError> {
        let conn = self.db.conn();
        let profile = storage::profiles::find_for_user(conn, user.id).await?;
        let labels = storage::labels::list_for_user(conn, user.id).await?;
        let phones = storage::phones::list_for_user(conn, user.id).await?;
        let documents = storage::documents::list_for_user(conn, user.id).await?;
        Ok(UserFullInfo {
            user,
            profile,
            labels,
            phones,
            documents,
        })
    }

    /// `GET /admin/users/{uid}`: 404 `admin.user.doesnt_exist` when unknown.
    pub async fn user_full_info(&self, uid: &str) -> Result<UserFullInfo, ServiceError> {
        let user = self.user_named(uid).await?;
        self.full_info(user).await
    }
}
