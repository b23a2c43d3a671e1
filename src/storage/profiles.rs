//! Profiles repository: one profile per user, guarded by the unique index on
//! `profiles.user_id` (a concurrent second insert is a `StorageError::Conflict`).

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::profiles::{self, Entity as Profiles};
use super::{Conn, StorageError, now};
use crate::domain::profile::ValidProfile;

pub use profiles::Model as Profile;

/// The user's profile, if any.
pub async fn find_for_user(
    conn: &impl Conn,
    user_id: i64,
) -> Result<Option<Profile>, StorageError> {
    Ok(Profiles::find()
        .filter(profiles::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}

/// Stores a validated profile for the user.
pub async fn insert(
    conn: &impl Conn,
    user_id: i64,
    profile: ValidProfile,
) -> Result<Profile, StorageError> {
    let at = now();
    Ok(profiles::ActiveModel {
        user_id: Set(user_id),
        first_name: Set(Some(profile.first_name)),
        last_name: Set(Some(profile.last_name)),
        dob: Set(Some(profile.dob)),
        address: Set(Some(profile.address)),
        postcode: Set(Some(profile.postcode)),
        city: Set(Some(profile.city)),
        country: Set(Some(profile.country)),
        metadata: Set(profile.metadata),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// The profiles of many users (one query), for admin lists.
pub async fn find_for_users(
    conn: &impl Conn,
    user_ids: &[i64],
) -> Result<Vec<Profile>, StorageError> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Profiles::find()
        .filter(profiles::Column::UserId.is_in(user_ids.iter().copied()))
        .all(conn)
        .await?)
}
