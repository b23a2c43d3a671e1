//! Email confirmation: resend the link, and confirm with the token. Only a `pending`
//! account can be confirmed, so banned or discarded users cannot reactivate (W10).

use crate::domain::{Email, Lang, UserState, event};
use crate::services::one_time_token::{self, Purpose};
use crate::services::{ErrorKind, ServiceError, Services, levels};
use crate::storage;

fn active_or_missing() -> ServiceError {
    ServiceError::new(
        ErrorKind::Unprocessable,
        "identity.user.active_or_doesnt_exist",
    )
}

impl Services {
    /// `email/generate_code`: mails a fresh confirmation link to a pending account.
    pub async fn resend_confirmation(&self, email: &str, lang: &Lang) -> Result<(), ServiceError> {
        let user = storage::users::find_by_email(self.db.conn(), &Email::lookup_key(email))
            .await?
            .ok_or_else(active_or_missing)?;
        if !UserState::from_db(&user.state).may_confirm_email() {
            return Err(active_or_missing());
        }
        self.emit_confirmation(self.db.conn(), &user, lang).await
    }

    /// `email/confirm_code`: verifies the token, spends it, adds `email: verified`,
    /// recomputes the level and activates the account, in one transaction.
    pub async fn confirm_email(&self, token: &str, lang: &Lang) -> Result<(), ServiceError> {
        let claims = one_time_token::verify(&self.jwt, Purpose::Confirmation, token)
            .ok_or_else(|| ServiceError::new(ErrorKind::Forbidden, "jwt.decode_and_verify"))?;
        let user = storage::users::find_by_email(self.db.conn(), &Email::lookup_key(&claims.email))
            .await?
            .ok_or_else(active_or_missing)?;
        if !UserState::from_db(&user.state).may_confirm_email() {
            return Err(active_or_missing());
        }
        if !one_time_token::spend(self.db.conn(), &claims).await? {
            return Err(ServiceError::new(
                ErrorKind::Unprocessable,
                "identity.user.utilized_token",
            ));
        }
        let tx = self.db.begin().await?;
        let level = levels::set_private_label(&tx, user.id, "email", "verified").await?;
        storage::users::set_state(&tx, user.id, UserState::Active.as_str()).await?;
        self.emit_user_event_in(
            &tx,
            user.id,
            event::EMAIL_CONFIRMED,
            lang,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        tracing::info!(user.uid = %user.uid, user.level = level, "email confirmed");
        Ok(())
    }
}
