//! Sign-up: refid, captcha, model validation, insert, activity, confirmation mail.

use serde_json::Value;

use crate::crypto::password;
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, Email, Lang, Uid, event};
use crate::services::one_time_token::{self, Purpose};
use crate::services::{ErrorKind, ServiceError, Services, emit, record};
use crate::storage::{self, Conn, StorageError, users::NewUser};

use super::user_rules::password_errors;

/// Validated parameters of `POST /identity/users`.
#[derive(Debug, Clone)]
pub struct SignupInput {
    /// Raw email.
    pub email: String,
    /// Raw password.
    pub password: String,
    /// Referrer uid, when the parameter was sent (even empty).
    pub refid: Option<String>,
    /// Mail language.
    pub lang: Lang,
    /// Captcha answer.
    pub captcha_response: Option<Value>,
}

const DEFAULT_ROLE: &str = "member";

impl Services {
    /// Creates a pending account and mails the confirmation link.
    pub async fn signup(
        &self,
        input: SignupInput,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        let referral_id = match &input.refid {
            None => None,
            Some(refid) => {
                let uid = Uid::parse(refid).ok_or_else(|| {
                    ServiceError::new(
                        ErrorKind::Unprocessable,
                        "identity.user.invalid_referral_format",
                    )
                })?;
                let referrer = storage::users::find_by_uid(conn, uid.as_str())
                    .await?
                    .ok_or_else(|| {
                        ServiceError::new(
                            ErrorKind::Unprocessable,
                            "identity.user.referral_doesnt_exist",
                        )
                    })?;
                Some(referrer.id)
            }
        };
        self.captcha
            .verify(input.captcha_response.as_ref(), &client.ip)
            .await?;

        let mut errors = Vec::new();
        if !storage::permissions::role_exists(conn, DEFAULT_ROLE).await? {
            errors.push("role.doesnt exist".to_owned());
        }
        let email = Email::parse(&input.email);
        match &email {
            None => errors.push("email.invalid".to_owned()),
            Some(e)
                if storage::users::find_by_email(conn, e.as_str())
                    .await?
                    .is_some() =>
            {
                errors.push("email.taken".to_owned())
            }
            Some(_) => {}
        }
        errors.extend(password_errors(&input.password));
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(ServiceError::validation(errors));
        };

        let digest = password::hash(&input.password).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ServiceError::internal()
        })?;
        let user = self
            .insert_with_fresh_uid(email.as_str(), &digest, referral_id, &input.lang)
            .await?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::ACCOUNT, "signup"),
        )
        .await;
        tracing::info!(user.uid = %user.uid, "user signed up");
        Ok(())
    }

    /// Inserts the user with its events (`model.user.created`, the confirmation token)
    /// in one transaction, drawing a new uid on the (rare) uid collision.
    async fn insert_with_fresh_uid(
        &self,
        email: &str,
        digest: &str,
        referral_id: Option<i64>,
        lang: &Lang,
    ) -> Result<storage::users::User, ServiceError> {
        for _ in 0..5 {
            let tx = self.db.begin().await?;
            let new = NewUser {
                uid: Uid::generate().as_str().to_owned(),
                email: email.to_owned(),
                password_digest: digest.to_owned(),
                role: DEFAULT_ROLE.to_owned(),
                state: "pending".to_owned(),
                referral_id,
            };
            let user = match storage::users::insert(&tx, new).await {
                Err(StorageError::Conflict("uid.taken")) => continue,
                other => other?,
            };
            self.emit_confirmation(&tx, &user, lang).await?;
            tx.commit().await.map_err(StorageError::from)?;
            return Ok(user);
        }
        Err(ServiceError::internal())
    }

    /// Mints a confirmation token and writes `system.user.email.confirmation.token`
    /// (the mailer sends the link from it).
    pub(crate) async fn emit_confirmation(
        &self,
        conn: &impl Conn,
        user: &storage::users::User,
        lang: &Lang,
    ) -> Result<(), ServiceError> {
        let s = &self.settings;
        let token = one_time_token::mint(
            &self.jwt,
            Purpose::Confirmation,
            &user.email,
            &user.uid,
            s.token_expire,
        )
        .map_err(|e| {
            tracing::error!(error = %e, "cannot mint confirmation token");
            ServiceError::internal()
        })?;
        let payload = self.user_event(user, lang, serde_json::json!({ "token": token }));
        emit(conn, event::EMAIL_CONFIRMATION_TOKEN, payload).await
    }
}
