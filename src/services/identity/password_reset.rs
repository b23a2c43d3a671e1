//! Password reset: request a link, then set a new password with it. A successful reset
//! ends every session of the account (Barong left them alive, W16).

use crate::crypto::password;
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, Email, Lang, event};
use crate::services::one_time_token::{self, Purpose};
use crate::services::{ErrorKind, ServiceError, Services, emit, record};
use crate::storage;

use super::user_rules::{password_errors, reason_for};

const ACTION_REQUEST: &str = "request password reset";
const ACTION_RESET: &str = "password reset";

/// Validated parameters of `password/confirm_code`.
#[derive(Debug, Clone)]
pub struct ResetInput {
    /// The token from the mail.
    pub token: String,
    /// New password.
    pub password: String,
    /// Its confirmation.
    pub confirm_password: String,
    /// Mail language.
    pub lang: Lang,
}

impl Services {
    /// `password/generate_code`: mails a reset link.
    pub async fn request_password_reset(
        &self,
        email: &str,
        lang: &Lang,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        let user = storage::users::find_by_email(conn, &Email::lookup_key(email))
            .await?
            .ok_or_else(|| {
                ServiceError::new(ErrorKind::NotFound, "identity.password.user_doesnt_exist")
            })?;
        let s = &self.settings;
        let token = one_time_token::mint(
            &self.jwt,
            Purpose::Reset,
            &user.email,
            &user.uid,
            s.token_expire,
        )
        .map_err(|e| {
            tracing::error!(error = %e, "cannot mint reset token");
            ServiceError::internal()
        })?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::PASSWORD, ACTION_REQUEST),
        )
        .await;
        let payload = self.user_event(&user, lang, serde_json::json!({ "token": token }));
        emit(conn, event::PASSWORD_RESET_TOKEN, payload).await
    }

    /// `password/confirm_code`: sets the new password and ends every session.
    pub async fn reset_password(
        &self,
        input: ResetInput,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        if input.password != input.confirm_password {
            return Err(ServiceError::new(
                ErrorKind::Unprocessable,
                "identity.user.passwords_doesnt_match",
            ));
        }
        let conn = self.db.conn();
        let claims = one_time_token::verify(&self.jwt, Purpose::Reset, &input.token)
            .ok_or_else(|| ServiceError::new(ErrorKind::Forbidden, "jwt.decode_and_verify"))?;
        let utilized =
            || ServiceError::new(ErrorKind::Unprocessable, "identity.user.utilized_token");
        if one_time_token::is_spent(conn, &claims).await? {
            return Err(utilized());
        }
        let user = storage::users::find_by_email(conn, &Email::lookup_key(&claims.email))
            .await?
            .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "record.not_found"))?;
        let errors = password_errors(&input.password);
        if !errors.is_empty() {
            let failed = UserActivity::failed(topic::PASSWORD, ACTION_RESET, reason_for(&errors));
            record::user_activity(conn, user.id, client, failed).await;
            return Err(ServiceError::validation(errors));
        }
        let digest = password::hash(&input.password).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ServiceError::internal()
        })?;
        let tx = self.db.begin().await?;
        if !one_time_token::spend(&tx, &claims).await? {
            return Err(utilized());
        }
        storage::users::set_password_digest(&tx, user.id, &digest).await?;
        let payload = self.user_event(&user, &input.lang, serde_json::json!({}));
        emit(&tx, event::PASSWORD_RESET, payload).await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        let ended = self.sessions.delete_all_for_user(&user.uid).await?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::PASSWORD, ACTION_RESET),
        )
        .await;
        tracing::info!(user.uid = %user.uid, sessions.ended = ended, "password reset");
        Ok(())
    }
}
