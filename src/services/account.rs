//! The signed-in user's own account: closing it, changing the password, reading its
//! activity log. Unlike Barong (W16), closing the account or changing the password ends
//! sessions: every session on closure, every other session on a password change.

use crate::crypto::password::{self, Verification};
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, Lang, event};
use crate::services::identity::password_errors;
use crate::services::totp_check::TotpCheck;
use crate::services::{ErrorKind, ServiceError, Services, emit, record};
use crate::storage::{self, activities::Activity, users::User};

/// Topics `users/activity/{topic}` accepts (`all` lists every topic).
pub const ACTIVITY_TOPICS: [&str; 5] = ["all", "session", "otp", "password", "account"];

const ACTION_CHANGE: &str = "password change";

/// Parameters of `DELETE users/me`.
#[derive(Debug, Clone)]
pub struct CloseInput {
    /// Current password.
    pub password: String,
    /// TOTP code (required when 2FA is on).
    pub otp_code: Option<String>,
}

/// Parameters of `PUT users/password`.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// Current password.
    pub old_password: String,
    /// New password.
    pub new_password: String,
    /// New password again.
    pub confirm_password: String,
}

fn unprocessable(key: &str) -> ServiceError {
    ServiceError::new(ErrorKind::Unprocessable, key)
}

async fn password_matches(user: &User, candidate: &str) -> bool {
    password::verify(candidate, &user.password_digest).await != Verification::Mismatch
}

impl Services {
    /// `DELETE users/me`: the account becomes `discarded`, its API keys inactive, its
    /// sessions end.
    pub async fn close_account(
        &self,
        user: &User,
        input: CloseInput,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        if !password_matches(user, &input.password).await {
            return Err(unprocessable("resource.user.invalid_password"));
        }
        if user.otp {
            let Some(code) = input.otp_code.as_deref() else {
                return Err(unprocessable("resource.user.missing_otp_code"));
            };
            if self.check_totp(user, code).await? != TotpCheck::Valid {
                return Err(unprocessable("resource.user.invalid_otp"));
            }
        }
        let tx = self.db.begin().await?;
        storage::users::set_state(&tx, user.id, "discarded").await?;
        let keys = storage::apikeys::deactivate_all_for_user(&tx, user.id).await?;
        if let Some(closed) = storage::users::find_by_id(&tx, user.id).await? {
            let payload = storage::model_events::user_object(&closed);
            emit(&tx, event::ACCOUNT_DISCARDED, payload).await?;
        }
        tx.commit().await.map_err(storage::StorageError::from)?;
        let ended = self.sessions.delete_all_for_user(&user.uid).await?;
        record::user_activity(
            self.db.conn(),
            user.id,
            client,
            UserActivity::succeed(topic::ACCOUNT, "close account"),
        )
        .await;
        tracing::info!(user.uid = %user.uid, api_keys.deactivated = keys.len(), sessions.ended = ended, "account closed");
        Ok(())
    }

    /// `PUT users/password`: Barong's checks in Barong's order; on success every other
    /// session of the user ends (`current_sid` is the caller's own session, kept).
    pub async fn change_password(
        &self,
        user: &User,
        input: PasswordChange,
        current_sid: Option<&str>,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        let fail = |reason| UserActivity::failed(topic::PASSWORD, ACTION_CHANGE, reason);
        if input.new_password != input.confirm_password {
            record::user_activity(conn, user.id, client, fail("New passwords don't match")).await;
            return Err(unprocessable("resource.password.doesnt_match"));
        }
        if !password_matches(user, &input.old_password).await {
            let reason = "Previous password is not correct";
            record::user_activity(conn, user.id, client, fail(reason)).await;
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "resource.password.prev_pass_not_correct",
            ));
        }
        if input.old_password == input.new_password {
            let reason = "New password cant be the same, as old one";
            record::user_activity(conn, user.id, client, fail(reason)).await;
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "resource.password.no_change_provided",
            ));
        }
        let errors = password_errors(&input.new_password);
        if !errors.is_empty() {
            let reason = crate::services::identity::password_reason(&errors);
            record::user_activity(conn, user.id, client, fail(reason)).await;
            return Err(ServiceError::validation(errors));
        }
        let digest = password::hash(&input.new_password).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ServiceError::internal()
        })?;
        let tx = self.db.begin().await?;
        storage::users::set_password_digest(&tx, user.id, &digest).await?;
        let payload = self.user_event(user, &Lang::english(), serde_json::json!({}));
        emit(&tx, event::PASSWORD_CHANGE, payload).await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        let ended = self.end_other_sessions(user, current_sid).await?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::PASSWORD, ACTION_CHANGE),
        )
        .await;
        tracing::info!(user.uid = %user.uid, sessions.ended = ended, "password changed");
        Ok(())
    }

    /// `GET users/activity/{topic}`: a page of the user's activities, newest first.
    /// `topic` must be one of [`ACTIVITY_TOPICS`]; no activity at all is Barong's 422.
    pub async fn activity_page(
        &self,
        user: &User,
        topic: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Activity>, u64), ServiceError> {
        if !ACTIVITY_TOPICS.contains(&topic) {
            return Err(unprocessable("resource.user.wrong_topic"));
        }
        let filter = (topic != "all").then_some(topic);
        let (rows, total) =
            storage::activities::page_for_user(self.db.conn(), user.id, filter, offset, limit)
                .await?;
        if total == 0 {
            return Err(unprocessable("resource.user.no_activity"));
        }
        Ok((rows, total))
    }
}
