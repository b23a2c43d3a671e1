//! Phone verification: add a number, resend its code, verify it, list the numbers.
//! Barong's flow and keys, with the holes closed (W12, W13, W32): codes are 5 random
//! digits from the OS generator, stored sealed by the secret box and compared in
//! constant time; a code expires after `phone_code_ttl` seconds and is burnt after
//! `phone_code_max_attempts` attempts; a resend within `phone_code_resend_secs` of the
//! previous code is refused with 429; a verified number is unique across accounts at
//! the database level. An SMS that cannot be sent undoes the write that preceded it,
//! so the user can simply try again.

use crate::crypto::{constant_time_eq, random};
use crate::domain::event;
use crate::domain::phone::{CODE_LENGTH, PhoneNumber, normalise_code};
use crate::events::Sms;
use crate::services::{ErrorKind, ServiceError, Services, levels};
use crate::storage::phones::{CodeState, NewPhone, Phone};
use crate::storage::{self, NUMBER_TAKEN, StorageError, users::User};

/// Numbers one user may add per 24 hours without verifying them: each is a number
/// barong texts on request, so without a cap one account could make barong text any
/// number of phones (SMS pumping). A rolling window, so a user who mistyped is never
/// locked out for good.
const MAX_NEW_UNVERIFIED_PER_DAY: u64 = 3;

fn key(kind: ErrorKind, key: &str) -> ServiceError {
    ServiceError::new(kind, key)
}

fn invalid_num() -> ServiceError {
    key(ErrorKind::BadRequest, "resource.phone.invalid_num")
}

fn number_exist() -> ServiceError {
    key(ErrorKind::BadRequest, "resource.phone.number_exist")
}

fn verification_invalid() -> ServiceError {
    key(ErrorKind::NotFound, "resource.phone.verification_invalid")
}

fn code_expired() -> ServiceError {
    key(ErrorKind::BadRequest, "resource.phone.code_expired")
}

fn attempts_exceeded() -> ServiceError {
    key(ErrorKind::BadRequest, "resource.phone.attempts_exceeded")
}

fn throttled() -> ServiceError {
    key(ErrorKind::TooManyRequests, "resource.phone.code_throttled")
}

/// Barong's key for an SMS that did not leave (spelling included).
fn sms_failed() -> ServiceError {
    key(ErrorKind::Unavailable, "resource.phone.twillio")
}

impl Services {
    /// Barong's shared validation: a valid number with its country code, not verified
    /// by any account (the caller included).
    async fn unverified_number(&self, raw: &str) -> Result<PhoneNumber, ServiceError> {
        let number = PhoneNumber::parse(raw).map_err(|_| invalid_num())?;
        if storage::phones::verified_anywhere(self.db.conn(), number.digits()).await? {
            return Err(number_exist());
        }
        Ok(number)
    }

    /// A fresh code and its stored form.
    fn new_code(&self) -> Result<(String, CodeState), ServiceError> {
        let code = random::digits(CODE_LENGTH);
        let sealed = self.secrets.seal(code.as_bytes()).map_err(|e| {
            tracing::error!(error = %e, "phone code cannot be sealed");
            ServiceError::internal()
        })?;
        let sent_at = storage::now();
        let ttl = i64::try_from(self.settings.phone_code_ttl).unwrap_or(i64::MAX);
        let expires_at = chrono::TimeDelta::try_seconds(ttl)
            .and_then(|d| sent_at.checked_add_signed(d))
            .unwrap_or(chrono::NaiveDateTime::MAX);
        let state = CodeState {
            sealed,
            sent_at,
            expires_at,
        };
        Ok((code, state))
    }

    /// Sends Barong's text; a failure is logged here (without the code) and becomes
    /// `resource.phone.twillio`.
    async fn send_phone_code(
        &self,
        user: &User,
        number: &PhoneNumber,
        code: &str,
    ) -> Result<(), ServiceError> {
        self.throttle_sms(&user.uid, number.digits()).await?;
        let sms = Sms {
            to: number.e164(),
            body: format!(
                "Your verification code for {}: {code}",
                self.settings.app_name
            ),
        };
        self.sms.send(&sms).await.map_err(|e| {
            tracing::warn!(user.uid = %user.uid, error = %e, "phone code SMS not sent");
            sms_failed()
        })
    }

    /// The caller's phones, oldest first.
    pub async fn list_phones(&self, user: &User) -> Result<Vec<Phone>, ServiceError> {
        Ok(storage::phones::list_for_user(self.db.conn(), user.id).await?)
    }

    /// `POST phones`: stores the number unverified with a first code and texts it.
    pub async fn add_phone(&self, user: &User, raw: &str) -> Result<(), ServiceError> {
        let number = self.unverified_number(raw).await?;
        let conn = self.db.conn();
        if storage::phones::find_for_user(conn, user.id, number.digits())
            .await?
            .is_some()
        {
            return Err(key(ErrorKind::BadRequest, "resource.phone.exists"));
        }
        let day_ago = storage::now() - chrono::TimeDelta::days(1);
        if storage::phones::count_unverified_since(conn, user.id, day_ago).await?
            >= MAX_NEW_UNVERIFIED_PER_DAY
        {
            return Err(key(
                ErrorKind::BadRequest,
                "resource.phone.too_many_unverified",
            ));
        }
        let (code, state) = self.new_code()?;
        let new = NewPhone {
            user_id: user.id,
            country: number.country().to_owned(),
            number: number.digits().to_owned(),
            code: state,
        };
        let phone = storage::phones::insert(conn, new).await?;
        if let Err(err) = self.send_phone_code(user, &number, &code).await {
            if let Err(e) = storage::phones::delete(conn, phone.id).await {
                tracing::error!(error = %e, "unsent phone cannot be removed");
            }
            return Err(err);
        }
        tracing::info!(user.uid = %user.uid, phone.country = %phone.country, "phone added");
        Ok(())
    }

    /// `POST phones/send_code`: a new code for one of the caller's unverified numbers,
    /// at most one per `phone_code_resend_secs`.
    pub async fn resend_phone_code(&self, user: &User, raw: &str) -> Result<(), ServiceError> {
        let number = self.unverified_number(raw).await?;
        let conn = self.db.conn();
        let phone = storage::phones::find_for_user(conn, user.id, number.digits())
            .await?
            .ok_or_else(|| key(ErrorKind::NotFound, "record.not_found"))?;
        let (code, state) = self.new_code()?;
        let window = i64::try_from(self.settings.phone_code_resend_secs).unwrap_or(i64::MAX);
        let sent_before = chrono::TimeDelta::try_seconds(window)
            .and_then(|d| state.sent_at.checked_sub_signed(d))
            .unwrap_or(chrono::NaiveDateTime::MIN);
        if !storage::phones::replace_code(conn, phone.id, &state, sent_before).await? {
            return Err(throttled());
        }
        if let Err(err) = self.send_phone_code(user, &number, &code).await {
            if let Err(e) = storage::phones::restore_code(conn, &phone, &state).await {
                tracing::error!(error = %e, "previous phone code cannot be restored");
            }
            return Err(err);
        }
        Ok(())
    }

    /// `POST phones/verify`: checks the code; on success sets `validated_at`, the
    /// private label `phone: verified` and the level, in one transaction.
    pub async fn verify_phone(
        &self,
        user: &User,
        raw: &str,
        code: &str,
    ) -> Result<(), ServiceError> {
        let number = self.unverified_number(raw).await?;
        let conn = self.db.conn();
        let phone = storage::phones::find_for_user(conn, user.id, number.digits())
            .await?
            .ok_or_else(verification_invalid)?;
        let max = i32::try_from(self.settings.phone_code_max_attempts).unwrap_or(i32::MAX);
        if phone.failed_attempts >= max {
            return Err(attempts_exceeded());
        }
        let Some(sealed) = phone.code_sealed.clone() else {
            return Err(code_expired());
        };
        if phone
            .code_expires_at
            .is_none_or(|expires| storage::now() >= expires)
        {
            return Err(code_expired());
        }
        let given = normalise_code(code).ok_or_else(verification_invalid)?;
        if !storage::phones::count_attempt(conn, phone.id, &sealed, max).await? {
            return Err(self.why_no_attempt(user, number.digits(), max).await);
        }
        let stored = self.secrets.open(&sealed).map_err(|e| {
            tracing::warn!(error = %e, "phone code cannot be opened; a new one is needed");
            code_expired()
        })?;
        if !constant_time_eq(&stored, given.as_bytes()) {
            if phone.failed_attempts + 1 >= max {
                storage::phones::burn_code(conn, phone.id, &sealed).await?;
            }
            return Err(verification_invalid());
        }
        self.mark_phone_verified(user, &phone, &sealed).await
    }

    /// Why an attempt could not be counted: the attempts ran out, or a resend replaced
    /// the code meanwhile (then the code typed is simply not the live one).
    async fn why_no_attempt(&self, user: &User, digits: &str, max: i32) -> ServiceError {
        match storage::phones::find_for_user(self.db.conn(), user.id, digits).await {
            Ok(Some(now)) if now.failed_attempts >= max => attempts_exceeded(),
            Ok(_) => verification_invalid(),
            Err(e) => e.into(),
        }
    }

    async fn mark_phone_verified(
        &self,
        user: &User,
        phone: &Phone,
        sealed: &str,
    ) -> Result<(), ServiceError> {
        let tx = self.db.begin().await?;
        match storage::phones::mark_verified(&tx, phone, sealed).await {
            Ok(true) => {}
            Ok(false) => return Err(verification_invalid()),
            Err(StorageError::Conflict(taken)) if taken == NUMBER_TAKEN => {
                return Err(number_exist());
            }
            Err(e) => return Err(e.into()),
        }
        let level = levels::set_private_label(&tx, user.id, "phone", "verified").await?;
        let number = serde_json::json!({ "number": phone.number });
        self.emit_user_event(&tx, user.id, event::PHONE_VERIFIED, number)
            .await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(user.uid = %user.uid, user.level = level, "phone verified");
        Ok(())
    }
}
