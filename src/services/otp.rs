//! 2FA set-up for a signed-in user: a fresh TOTP secret with its QR code, enabling 2FA
//! with a first valid code (which also issues the recovery codes), and verifying a code.
//! The secret is stored sealed by the secret box (Barong kept it in Vault); until 2FA is
//! on, each QR request replaces it, as Barong's Vault key was overwritten.

use crate::crypto::recovery_code;
use crate::crypto::totp::Totp;
use crate::domain::activity::{UserActivity, topic};
use crate::domain::{ClientInfo, event};
use crate::services::totp_check::TotpCheck;
use crate::services::{ErrorKind, ServiceError, Services, record};
use crate::storage::{self, users::User};

const ACTION_QR: &str = "request QR code for 2FA";
const ACTION_ENABLE: &str = "enable 2FA";
const ACTION_VERIFY: &str = "verify 2FA code";
const ALREADY_ENABLED: &str = "2FA has been already enabled for this account";
const INVALID_CODE: &str = "OTP code is invalid";

/// A new TOTP secret as an authenticator app imports it.
#[derive(Debug, Clone)]
pub struct OtpEnrolment {
    /// Base64 PNG of the QR code of `url`.
    pub barcode: String,
    /// `otpauth://totp/<issuer>:<email>?secret=...&issuer=...`.
    pub url: String,
}

fn already_enabled() -> ServiceError {
    ServiceError::new(ErrorKind::BadRequest, "resource.otp.already_enabled")
}

fn invalid_code() -> ServiceError {
    ServiceError::new(ErrorKind::Unprocessable, "resource.otp.invalid")
}

impl Services {
    /// `otp/generate_qrcode`: a new secret for a user whose 2FA is off.
    pub async fn generate_otp_secret(
        &self,
        user: &User,
        client: &ClientInfo,
    ) -> Result<OtpEnrolment, ServiceError> {
        let conn = self.db.conn();
        if user.otp {
            let failed = UserActivity::failed(topic::OTP, ACTION_QR, ALREADY_ENABLED);
            record::user_activity(conn, user.id, client, failed).await;
            return Err(already_enabled());
        }
        let secret = crate::crypto::random::bytes(20);
        let totp = Totp::new(secret.clone(), &self.settings.app_name, &user.email)
            .ok_or_else(ServiceError::internal)?;
        let (Some(url), Some(barcode)) = (totp.url(), totp.qr_png_base64()) else {
            tracing::error!(user.uid = %user.uid, "TOTP URL or QR code could not be built");
            return Err(ServiceError::internal());
        };
        let sealed = self.secrets.seal(&secret).map_err(|e| {
            tracing::error!(error = %e, "TOTP secret cannot be sealed");
            ServiceError::internal()
        })?;
        storage::users::set_pending_otp_secret(conn, user.id, &sealed).await?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::OTP, ACTION_QR),
        )
        .await;
        Ok(OtpEnrolment { barcode, url })
    }

    /// `otp/enable`: turns 2FA on with a valid code for the pending secret and returns
    /// the recovery codes, in clear, this once.
    pub async fn enable_otp(
        &self,
        user: &User,
        code: &str,
        client: &ClientInfo,
    ) -> Result<Vec<String>, ServiceError> {
        let conn = self.db.conn();
        let fail = |reason| UserActivity::failed(topic::OTP, ACTION_ENABLE, reason);
        if user.otp {
            record::user_activity(conn, user.id, client, fail(ALREADY_ENABLED)).await;
            return Err(already_enabled());
        }
        if self.check_totp(user, code).await? != TotpCheck::Valid {
            record::user_activity(conn, user.id, client, fail(INVALID_CODE)).await;
            return Err(invalid_code());
        }
        let codes: Vec<String> = (0..recovery_code::COUNT)
            .map(|_| recovery_code::generate())
            .collect();
        let digests: Vec<String> = codes
            .iter()
            .filter_map(|c| recovery_code::normalise(c))
            .map(|c| recovery_code::digest(&user.uid, &c))
            .collect();
        let tx = self.db.begin().await?;
        if !storage::users::turn_otp_on(&tx, user.id).await? {
            return Err(already_enabled());
        }
        storage::recovery_codes::replace(&tx, user.id, &digests).await?;
        self.emit_user_event(&tx, user.id, event::OTP_ENABLED, serde_json::json!({}))
            .await?;
        tx.commit().await.map_err(storage::StorageError::from)?;
        record::user_activity(
            conn,
            user.id,
            client,
            UserActivity::succeed(topic::OTP, ACTION_ENABLE),
        )
        .await;
        tracing::info!(user.uid = %user.uid, "2FA enabled");
        Ok(codes)
    }

    /// `otp/verify`: checks a code of a user with 2FA on (the code is then used up).
    pub async fn verify_otp(
        &self,
        user: &User,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        if !user.otp {
            let reason = "2FA has not been enabled for this account";
            let failed = UserActivity::failed(topic::OTP, ACTION_VERIFY, reason);
            record::user_activity(conn, user.id, client, failed).await;
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "resource.otp.not_enabled",
            ));
        }
        if self.check_totp(user, code).await? != TotpCheck::Valid {
            let failed = UserActivity::failed(topic::OTP, ACTION_VERIFY, INVALID_CODE);
            record::user_activity(conn, user.id, client, failed).await;
            return Err(invalid_code());
        }
        Ok(())
    }

    /// Spends a recovery code of `user` in place of a TOTP code; false when `code` is
    /// not one of the user's unused recovery codes.
    pub async fn spend_recovery_code(&self, user: &User, code: &str) -> Result<bool, ServiceError> {
        let Some(normalised) = recovery_code::normalise(code) else {
            return Ok(false);
        };
        let digest = recovery_code::digest(&user.uid, &normalised);
        let spent = storage::recovery_codes::spend(self.db.conn(), user.id, &digest).await?;
        if spent {
            let left = storage::recovery_codes::remaining(self.db.conn(), user.id).await?;
            tracing::info!(user.uid = %user.uid, recovery_codes.left = left, "recovery code used");
        }
        Ok(spent)
    }
}
