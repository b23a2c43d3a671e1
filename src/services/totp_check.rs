//! Checking a user's TOTP code: decrypt the secret, match within one step of drift,
//! and claim the step in the database so the same code is never accepted twice.

use crate::crypto::totp::Totp;
use crate::storage::{self, users::User};

use super::{ServiceError, Services};

/// Result of checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Right code, first use.
    Valid,
    /// Wrong code (or no secret stored).
    Invalid,
    /// Right code, but its time step was already used.
    Replayed,
}

impl Services {
    /// Checks `code` for `user` at the current time.
    pub async fn check_totp(&self, user: &User, code: &str) -> Result<TotpCheck, ServiceError> {
        let Some(sealed) = &user.otp_secret else {
            return Ok(TotpCheck::Invalid);
        };
        let secret = self.secrets.open(sealed).map_err(|e| {
            tracing::error!(user.uid = %user.uid, error = %e, "TOTP secret cannot be decrypted");
            ServiceError::internal()
        })?;
        let Some(totp) = Totp::new(secret, &self.settings.app_name, &user.email) else {
            return Ok(TotpCheck::Invalid);
        };
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default();
        let Some(step) = totp.verify(code, now) else {
            return Ok(TotpCheck::Invalid);
        };
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        if storage::users::claim_otp_step(self.db.conn(), user.id, step).await? {
            Ok(TotpCheck::Valid)
        } else {
            Ok(TotpCheck::Replayed)
        }
    }
}
