//! Admin changes to a user: state, 2FA, role. Each endpoint changes exactly the one
//! attribute it names (Barong changed "the first parameter other than uid", W8, so an
//! accountant allowed to ban could also make someone superadmin); an admin cannot
//! change their own account; a user who stops being `active`, or loses 2FA, loses
//! their API keys and sessions at once (Barong left sessions alive, W16).

use serde_json::json;

use crate::domain::{ClientInfo, event};
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::{self, StorageError, users::User};

/// The one attribute `PUT /admin/users` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAttribute {
    /// A new state (`active`, `banned`, ...).
    State(String),
    /// The 2FA flag; only `false` is accepted (only the user can turn 2FA on).
    Otp(bool),
}

fn unprocessable(key: &str) -> ServiceError {
    ServiceError::new(ErrorKind::Unprocessable, key)
}

/// Longest state an admin may store (the column is a short string; states are words).
const MAX_STATE_LEN: usize = 30;

impl Services {
    /// The user an admin names by uid: 404 `admin.user.doesnt_exist` when unknown.
    pub(super) async fn user_named(&self, uid: &str) -> Result<User, ServiceError> {
        storage::users::find_by_uid(self.db.conn(), uid.trim())
            .await?
            .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "admin.user.doesnt_exist"))
    }

    /// The user an admin targets: 404 `admin.user.doesnt_exist`, 422
    /// `admin.user.update_himself` for the admin's own account (staff never change
    /// their own state, role or labels: a compliance officer must not approve their
    /// own KYC).
    pub(super) async fn target_of(&self, admin: &User, uid: &str) -> Result<User, ServiceError> {
        let user = self.user_named(uid).await?;
        if user.id == admin.id {
            return Err(unprocessable("admin.user.update_himself"));
        }
        Ok(user)
    }

    /// `PUT /admin/users` and `POST /admin/users/update`.
    pub async fn admin_update_user(
        &self,
        admin: &User,
        uid: &str,
        attribute: UserAttribute,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let user = self.target_of(admin, uid).await?;
        let ends_access = match &attribute {
            UserAttribute::Otp(true) => return Err(unprocessable("admin.user.enable_2fa")),
            UserAttribute::Otp(false) if !user.otp => {
                return Err(unprocessable("admin.user.otp_no_change"));
            }
            UserAttribute::Otp(false) => true,
            UserAttribute::State(state) => {
                let valid = !state.is_empty()
                    && state.len() <= MAX_STATE_LEN
                    && state.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                if !valid {
                    return Err(unprocessable("admin.user.invalid_state"));
                }
                if *state == user.state {
                    return Err(unprocessable("admin.user.state_no_change"));
                }
                state != "active"
            }
        };
        let tx = self.db.begin().await?;
        let data = match &attribute {
            UserAttribute::State(state) => {
                storage::users::set_state(&tx, user.id, state).await?;
                json!({"state": {"from": user.state, "to": state}})
            }
            UserAttribute::Otp(_) => {
                storage::users::disable_otp(&tx, user.id).await?;
                storage::recovery_codes::replace(&tx, user.id, &[]).await?;
                self.emit_user_event(&tx, user.id, event::OTP_DISABLED, json!({}))
                    .await?;
                json!({"otp": {"from": true, "to": false}})
            }
        };
        let keys = if ends_access {
            storage::apikeys::deactivate_all_for_user(&tx, user.id)
                .await?
                .len()
        } else {
            0
        };
        super::audit(&tx, admin, client, "users", "update", Some(&user.uid), data).await?;
        // Sessions end before the commit: if the session store fails, nothing is
        // committed and a retry does it all; a change never lands with its sessions
        // left alive.
        let sessions = if ends_access {
            self.sessions.delete_all_for_user(&user.uid).await?
        } else {
            0
        };
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, user.uid = %user.uid, ?attribute,
            api_keys.deactivated = keys, sessions.ended = sessions, "user updated by admin");
        Ok(())
    }

    /// `POST /admin/users/role`: the role must be named by at least one permission.
    pub async fn admin_set_role(
        &self,
        admin: &User,
        uid: &str,
        role: &str,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let user = self.target_of(admin, uid).await?;
        let role = role.trim();
        if role == user.role {
            return Err(unprocessable("admin.user.role_no_change"));
        }
        if !storage::permissions::role_exists(self.db.conn(), role).await? {
            return Err(unprocessable("role.doesnt exist"));
        }
        let tx = self.db.begin().await?;
        storage::users::set_role(&tx, user.id, role).await?;
        let data = json!({"role": {"from": user.role, "to": role}});
        super::audit(&tx, admin, client, "users", "update", Some(&user.uid), data).await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, user.uid = %user.uid, role, "role changed by admin");
        Ok(())
    }
}
