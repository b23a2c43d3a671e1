//! Users repository.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};

use super::entities::users::{self, Entity as Users};
use super::{Conn, StorageError, invalidations, model_events, now};

pub use users::Model as User;

/// What sign-up (or seeding) stores for a new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Public id.
    pub uid: String,
    /// Normalised email.
    pub email: String,
    /// Password digest.
    pub password_digest: String,
    /// Role.
    pub role: String,
    /// State.
    pub state: String,
    /// Referrer's internal id.
    pub referral_id: Option<i64>,
}

/// Inserts a user and its `model.user.created` event; a taken email or uid is a
/// `Conflict`.
pub async fn insert(conn: &impl Conn, new: NewUser) -> Result<User, StorageError> {
    let at = now();
    let model = users::ActiveModel {
        uid: Set(new.uid),
        email: Set(new.email),
        password_digest: Set(new.password_digest),
        role: Set(new.role),
        level: Set(0),
        otp: Set(false),
        state: Set(new.state),
        referral_id: Set(new.referral_id),
        otp_secret: Set(None),
        otp_last_step: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    let user = model.insert(conn).await?;
    model_events::user_created(conn, &user).await?;
    Ok(user)
}

/// Finds a user by normalised email.
pub async fn find_by_email(conn: &impl Conn, email: &str) -> Result<Option<User>, StorageError> {
    Ok(Users::find()
        .filter(users::Column::Email.eq(email))
        .one(conn)
        .await?)
}

/// Finds a user by uid.
pub async fn find_by_uid(conn: &impl Conn, uid: &str) -> Result<Option<User>, StorageError> {
    Ok(Users::find()
        .filter(users::Column::Uid.eq(uid))
        .one(conn)
        .await?)
}

/// Finds a user by internal id.
pub async fn find_by_id(conn: &impl Conn, id: i64) -> Result<Option<User>, StorageError> {
    Ok(Users::find_by_id(id).one(conn).await?)
}

/// Sets the state.
pub async fn set_state(conn: &impl Conn, id: i64, state: &str) -> Result<(), StorageError> {
    update_column(conn, id, users::Column::State, state.into()).await
}

/// Sets the role (an admin's decision; the edge applies it from the next check).
pub async fn set_role(conn: &impl Conn, id: i64, role: &str) -> Result<(), StorageError> {
    update_column(conn, id, users::Column::Role, role.into()).await
}

/// Switches 2FA off and forgets the TOTP secret, so turning it on again needs a new
/// QR code (Barong kept the old Vault key).
pub async fn disable_otp(conn: &impl Conn, id: i64) -> Result<(), StorageError> {
    let before = find_by_id(conn, id).await?;
    Users::update_many()
        .col_expr(users::Column::Otp, Expr::value(false))
        .col_expr(
            users::Column::OtpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(users::Column::OtpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .exec(conn)
        .await?;
    publish_change(conn, before).await
}

/// Users by internal id (any order), for rendering lists that reference users.
pub async fn find_by_ids(conn: &impl Conn, ids: &[i64]) -> Result<Vec<User>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Users::find()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Users by uid (any order).
pub async fn find_by_uids(conn: &impl Conn, uids: &[String]) -> Result<Vec<User>, StorageError> {
    if uids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Users::find()
        .filter(users::Column::Uid.is_in(uids.iter().cloned()))
        .all(conn)
        .await?)
}

/// Replaces the password digest.
pub async fn set_password_digest(
    conn: &impl Conn,
    id: i64,
    digest: &str,
) -> Result<(), StorageError> {
    update_column(conn, id, users::Column::PasswordDigest, digest.into()).await
}

/// Stores the derived level.
pub async fn set_level(conn: &impl Conn, id: i64, level: i32) -> Result<(), StorageError> {
    update_column(conn, id, users::Column::Level, level.into()).await
}

/// Enables 2FA with a sealed secret (used by the OTP flow and test fixtures).
pub async fn enable_otp(
    conn: &impl Conn,
    id: i64,
    sealed_secret: &str,
) -> Result<(), StorageError> {
    let before = find_by_id(conn, id).await?;
    Users::update_many()
        .col_expr(users::Column::Otp, Expr::value(true))
        .col_expr(users::Column::OtpSecret, Expr::value(sealed_secret))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .exec(conn)
        .await?;
    publish_change(conn, before).await
}

/// Stores a new, not yet enabled TOTP secret (2FA set-up); refused (false) once 2FA is
/// on, so a QR request can never replace the secret of an enabled account.
pub async fn set_pending_otp_secret(
    conn: &impl Conn,
    id: i64,
    sealed_secret: &str,
) -> Result<bool, StorageError> {
    let result = Users::update_many()
        .col_expr(users::Column::OtpSecret, Expr::value(sealed_secret))
        .col_expr(users::Column::OtpLastStep, Expr::value(Option::<i64>::None))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Otp.eq(false))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Turns 2FA on with the pending secret; false when it was already on or no secret is
/// stored.
pub async fn turn_otp_on(conn: &impl Conn, id: i64) -> Result<bool, StorageError> {
    let before = find_by_id(conn, id).await?;
    let result = Users::update_many()
        .col_expr(users::Column::Otp, Expr::value(true))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Otp.eq(false))
        .filter(users::Column::OtpSecret.is_not_null())
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    publish_change(conn, before).await?;
    Ok(true)
}

/// Records `step` as the last accepted TOTP step, only if it is newer than the stored
/// one; returns false when another request already used this step or a later one, which
/// makes a TOTP code single-use even under concurrent requests.
pub async fn claim_otp_step(conn: &impl Conn, id: i64, step: i64) -> Result<bool, StorageError> {
    let result = Users::update_many()
        .col_expr(users::Column::OtpLastStep, Expr::value(step))
        .filter(users::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(users::Column::OtpLastStep.is_null())
                .add(users::Column::OtpLastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn update_column(
    conn: &impl Conn,
    id: i64,
    column: users::Column,
    value: sea_orm::Value,
) -> Result<(), StorageError> {
    let before = find_by_id(conn, id).await?;
    Users::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .exec(conn)
        .await?;
    publish_change(conn, before).await
}

/// Tells every instance's edge cache that this user changed, and the Event API what
/// changed (`before` is the row as it was before the update).
async fn publish_change(conn: &impl Conn, before: Option<User>) -> Result<(), StorageError> {
    let Some(before) = before else {
        return Ok(());
    };
    if let Some(after) = find_by_id(conn, before.id).await? {
        invalidations::publish(conn, invalidations::USER, &after.uid).await?;
        model_events::user_updated(conn, &before, &after).await?;
    }
    Ok(())
}
