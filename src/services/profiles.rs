//! A user's KYC profile (`/resource/profiles`): read it, or submit it once. Submitting
//! stores the profile, sets the private label `profile` = `verified` (Barong 2.2's
//! value, reference 11.1) and recomputes the level, all in one transaction, so a
//! failure leaves neither a profile without its label nor a stale level (Barong kept
//! the profile when the label failed). A second profile is 409
//! `resource.profile.exist`, also when two submissions race (unique index).

use crate::domain::label::PRIVATE;
use crate::domain::profile::ProfileDraft;
use crate::services::{ErrorKind, ServiceError, Services, levels};
use crate::storage::{self, StorageError, profiles::Profile, users::User};

/// Key of the private label a submitted profile sets.
pub const PROFILE_LABEL: &str = "profile";
/// Its value: Barong 2.2's, so existing level ladders (`profile:verified`) keep working.
pub const PROFILE_LABEL_VALUE: &str = "verified";

fn exists() -> ServiceError {
    ServiceError::new(ErrorKind::Conflict, "resource.profile.exist")
}

impl Services {
    /// The user's profile; 404 `resource.profile.not_exist` when none was submitted.
    pub async fn my_profile(&self, user: &User) -> Result<Profile, ServiceError> {
        storage::profiles::find_for_user(self.db.conn(), user.id)
            .await?
            .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "resource.profile.not_exist"))
    }

    /// Validates and stores the user's only profile, labels it and recomputes the
    /// level. An existing private `profile` label (written by an admin) is left as it
    /// is: the admin's word outranks a self-submitted form. Returns the stored profile
    /// and the user's level afterwards.
    pub async fn create_profile(
        &self,
        user: &User,
        draft: ProfileDraft,
    ) -> Result<(Profile, i32), ServiceError> {
        let conn = self.db.conn();
        if storage::profiles::find_for_user(conn, user.id)
            .await?
            .is_some()
        {
            return Err(exists());
        }
        let today = chrono::Utc::now().date_naive();
        let valid = draft.validate(today).map_err(ServiceError::validation)?;
        let tx = self.db.begin().await?;
        let profile = match storage::profiles::insert(&tx, user.id, valid).await {
            Ok(profile) => profile,
            Err(StorageError::Conflict(_)) => return Err(exists()),
            Err(e) => return Err(e.into()),
        };
        if storage::labels::find(&tx, user.id, PROFILE_LABEL, PRIVATE)
            .await?
            .is_none()
        {
            storage::labels::insert(&tx, user.id, PROFILE_LABEL, PROFILE_LABEL_VALUE, PRIVATE)
                .await?;
        }
        let level = levels::recompute(&tx, user.id).await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(user.uid = %user.uid, user.level = level, "profile submitted");
        Ok((profile, level))
    }
}
