//! Sign-up: refid, captcha, model validation, insert, activity, confirmation mail.

use serde_json::Value;

use crate::crypto::password;
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, Email, Lang, Uid};
use crate::events::mail_templates;
use crate::services::one_time_token::{self, Purpose};
use crate::services::{ErrorKind, ServiceError, Services, record};
use crate::storage::{self, StorageError, users::NewUser};

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
            .insert_with_fresh_uid(email.as_str(), &digest, referral_id)
            .await?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::ACCOUNT, "signup"),
        )
        .await;
        tracing::info!(user.uid = %user.uid, "user signed up");
        self.send_confirmation(&user.email, &user.uid, &input.lang);
        Ok(())
    }

    /// Inserts the user, drawing a new uid on the (rare) uid collision.
    async fn insert_with_fresh_uid(
        &self,
        email: &str,
        digest: &str,
        referral_id: Option<i64>,
    ) -> Result<storage::users::User, ServiceError> {
        for _ in 0..5 {
            let new = NewUser {
                uid: Uid::generate().as_str().to_owned(),
                email: email.to_owned(),
                password_digest: digest.to_owned(),
                role: DEFAULT_ROLE.to_owned(),
                state: "pending".to_owned(),
                referral_id,
            };
            match storage::users::insert(self.db.conn(), new).await {
                Err(StorageError::Conflict("uid.taken")) => continue,
                other => return Ok(other?),
            }
        }
        Err(ServiceError::internal())
    }

    /// Mints a confirmation token and queues the mail carrying its link.
    pub(crate) fn send_confirmation(&self, email: &str, uid: &str, lang: &Lang) {
        let s = &self.settings;
        match one_time_token::mint(&self.jwt, Purpose::Confirmation, email, uid, s.token_expire) {
            Ok(token) => self.mail.enqueue(mail_templates::confirmation(
                lang,
                &s.app_name,
                &s.frontend_url,
                email,
                &token,
            )),
            Err(e) => tracing::error!(error = %e, "cannot mint confirmation token"),
        }
    }
}
