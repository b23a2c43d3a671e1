//! Log-in and log-out. The password is checked before anything about the account is
//! revealed, and an unknown email costs the same argon2 verification and gets the same
//! error as a wrong password, so the form cannot be used to enumerate accounts (W11).
//! Failed passwords and 2FA codes feed the softlock (`sessions::softlock`), keyed by the
//! email asked for (known or not, so a lock says nothing about whether it exists):
//! past `login_max_failures`, every attempt waits out a doubling delay and gets 429
//! `identity.session.too_many_attempts`, whatever the password, unless a captcha
//! provider is configured and the captcha was solved (so an owner can always get in).

use serde_json::{Value, json};

use crate::crypto::password::{self, Verification};
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, Email, Lang, UserState, event};
use crate::services::totp_check::TotpCheck;
use crate::services::{ErrorKind, ServiceError, Services, emit, record};
use crate::sessions::Session;
use crate::storage::{self, users::User};

const LOGIN: &str = "login";
const LOGIN_2FA: &str = "login::2fa";

/// Parameters of `POST /identity/sessions`.
#[derive(Debug, Clone)]
pub struct LoginInput {
    /// Raw email (blank allowed: it simply matches nobody).
    pub email: String,
    /// Raw password.
    pub password: String,
    /// Captcha answer.
    pub captcha_response: Option<Value>,
    /// TOTP code, for accounts with 2FA.
    pub otp_code: Option<String>,
}

/// A successful log-in: the account and its new session.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// The account.
    pub user: User,
    /// Cookie value (secret; goes only into `Set-Cookie`).
    pub session_id: String,
    /// The stored session (carries the CSRF token).
    pub session: Session,
}

fn unauthorized(key: &str) -> ServiceError {
    ServiceError::new(ErrorKind::Unauthorized, key)
}

const TOO_MANY_ATTEMPTS: &str = "identity.session.too_many_attempts";

/// The softlock's name for an account: a digest of the email asked for, so the store
/// holds no addresses.
fn softlock_account(raw_email: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(
        Email::lookup_key(raw_email).as_bytes(),
    ))
}

impl Services {
    /// Authenticates and opens a session.
    pub async fn login(
        &self,
        input: LoginInput,
        client: &ClientInfo,
    ) -> Result<LoginOutcome, ServiceError> {
        let conn = self.db.conn();
        self.captcha
            .verify(input.captcha_response.as_ref(), &client.ip)
            .await?;
        let account = softlock_account(&input.email);
        if !self.captcha.enabled()
            && let Some(wait) = self.softlock.wait(&account).await?
        {
            return Err(ServiceError::too_many(TOO_MANY_ATTEMPTS, wait));
        }
        let user = storage::users::find_by_email(conn, &Email::lookup_key(&input.email)).await?;
        let digest = user
            .as_ref()
            .map_or(&*self.dummy_digest, |u| u.password_digest.as_str());
        let verification = password::verify(&input.password, digest).await;
        let Some(user) = user else {
            self.login_failed(&account, None, client).await?;
            return Err(unauthorized("identity.session.invalid_params"));
        };
        if verification == Verification::Mismatch {
            let failed = UserActivity::failed(topic::SESSION, LOGIN, "Invalid Email or Password");
            record::user_activity(conn, user.id, client, failed).await;
            self.login_failed(&account, Some(&user), client).await?;
            return Err(unauthorized("identity.session.invalid_params"));
        }
        let refused = match UserState::from_db(&user.state) {
            UserState::Active => None,
            UserState::Banned => Some(("identity.session.banned", "Your account is banned")),
            UserState::Discarded => {
                Some(("identity.session.discarded", "Your account is discarded"))
            }
            _ => Some(("identity.session.not_active", "Your account is not active")),
        };
        if let Some((key, reason)) = refused {
            record::user_activity(
                conn,
                user.id,
                client,
                UserActivity::failed(topic::SESSION, LOGIN, reason),
            )
            .await;
            return Err(unauthorized(key));
        }
        if user.otp {
            self.second_factor(&user, &account, input.otp_code.as_deref(), client)
                .await?;
        }
        self.softlock.success(&account).await?;
        if verification == Verification::MatchNeedsRehash {
            self.upgrade_digest(&user, &input.password).await;
        }
        let new_device =
            !storage::activities::has_logged_in_from(conn, user.id, &client.user_agent).await?;
        let (session_id, session) = self.sessions.create(&user.uid, client).await?;
        let about = json!({
            "user_ip": client.ip,
            "user_agent": client.user_agent,
            "new_device": new_device,
        });
        let payload = self.user_event(&user, &Lang::english(), about);
        if let Err(e) = emit(conn, event::SESSION_CREATED, payload).await {
            // No login without its event (and its new-device notice).
            self.sessions.delete(&session_id).await?;
            return Err(e);
        }
        let action = if user.otp { LOGIN_2FA } else { LOGIN };
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::SESSION, action),
        )
        .await;
        tracing::info!(user.uid = %user.uid, "user logged in");
        Ok(LoginOutcome {
            user,
            session_id,
            session,
        })
    }

    /// Counts a failed password or 2FA code; when that starts a delay, the account's
    /// owner (if it exists) gets a user activity and the log a `security` event.
    async fn login_failed(
        &self,
        account: &str,
        user: Option<&User>,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let max = self.settings.login_max_failures;
        let Some(delay) = self.softlock.failure(account, max).await? else {
            return Ok(());
        };
        if let Some(user) = user {
            let reason = "Too many failed attempts: log-ins delayed";
            let locked = UserActivity::failed(topic::SESSION, LOGIN, reason);
            record::user_activity(self.db.conn(), user.id, client, locked).await;
            let about = json!({ "user_ip": client.ip, "retry_after": delay });
            let payload = self.user_event(user, &Lang::english(), about);
            emit(self.db.conn(), event::LOGIN_LOCKED, payload).await?;
        }
        tracing::warn!(
            security.event = "login.softlock",
            user.uid = user.map_or("", |u| u.uid.as_str()),
            client.ip = %client.ip,
            softlock.delay_secs = delay,
            "log-ins for an account delayed after repeated failures"
        );
        Ok(())
    }

    /// The 2FA step; a wrong or replayed code counts for the softlock of `account`.
    async fn second_factor(
        &self,
        user: &User,
        account: &str,
        code: Option<&str>,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        let forbidden = |key| ServiceError::new(ErrorKind::Forbidden, key);
        let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
            let reason = "The account has enabled 2FA but OTP code is missing";
            record::user_activity(
                conn,
                user.id,
                client,
                UserActivity::failed(topic::SESSION, LOGIN_2FA, reason),
            )
            .await;
            return Err(forbidden("identity.session.missing_otp"));
        };
        match self.check_totp(user, code).await? {
            TotpCheck::Valid => Ok(()),
            TotpCheck::Invalid if self.spend_recovery_code(user, code).await? => Ok(()),
            TotpCheck::Invalid => {
                let failed = UserActivity::failed(topic::SESSION, LOGIN_2FA, "OTP code is invalid");
                record::user_activity(conn, user.id, client, failed).await;
                self.login_failed(account, Some(user), client).await?;
                Err(forbidden("identity.session.invalid_otp"))
            }
            TotpCheck::Replayed => {
                let failed =
                    UserActivity::failed(topic::SESSION, LOGIN_2FA, "OTP code was already used");
                record::user_activity(conn, user.id, client, failed).await;
                self.login_failed(account, Some(user), client).await?;
                Err(ServiceError::new(ErrorKind::Unprocessable, "totp.error"))
            }
        }
    }

    /// Replaces a legacy bcrypt digest by argon2id after a successful log-in; a failure
    /// only postpones the upgrade.
    async fn upgrade_digest(&self, user: &User, password: &str) {
        match password::hash(password).await {
            Ok(digest) => {
                if let Err(e) =
                    storage::users::set_password_digest(self.db.conn(), user.id, &digest).await
                {
                    tracing::warn!(user.uid = %user.uid, error = %e, "bcrypt digest not upgraded");
                }
            }
            Err(e) => {
                tracing::warn!(user.uid = %user.uid, error = %e, "bcrypt digest not upgraded")
            }
        }
    }

    /// Ends the session of a cookie value; 404 `record.not_found` without a live session.
    pub async fn logout(
        &self,
        session_id: Option<&str>,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let not_found = || ServiceError::new(ErrorKind::NotFound, "record.not_found");
        let session_id = session_id.ok_or_else(not_found)?;
        let session = self.sessions.get(session_id).await?.ok_or_else(not_found)?;
        let user = storage::users::find_by_uid(self.db.conn(), &session.uid)
            .await?
            .ok_or_else(not_found)?;
        record::user_activity(
            self.db.conn(),
            user.id,
            client,
            UserActivity::succeed(topic::SESSION, "logout"),
        )
        .await;
        // The event first: a failed deletion is retried by the client (the event may
        // then repeat, as at-least-once allows); a lost event could not be.
        let about = json!({ "count": 1, "reason": "logout" });
        let payload = self.user_event(&user, &Lang::english(), about);
        emit(self.db.conn(), event::SESSION_REVOKED, payload).await?;
        self.sessions.delete(session_id).await?;
        Ok(())
    }
}
