//! Phones repository. Every change of a code is a conditional update (the row still
//! holds the code the caller read, the throttle window has passed, attempts are left),
//! so two racing requests cannot both resend, both spend the last attempt, or verify
//! a number twice; the unique index on `verified_number` settles races between users.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::phones::{self, Entity as Phones};
use super::{Conn, StorageError, now};

pub use phones::Model as Phone;

/// A freshly generated code as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    /// The code sealed by the secret box.
    pub sealed: String,
    /// When it is sent.
    pub sent_at: chrono::NaiveDateTime,
    /// When it stops being accepted.
    pub expires_at: chrono::NaiveDateTime,
}

/// What adding a phone stores.
#[derive(Debug, Clone)]
pub struct NewPhone {
    /// Owner's internal id.
    pub user_id: i64,
    /// ISO country of the number.
    pub country: String,
    /// International digits.
    pub number: String,
    /// The first code.
    pub code: CodeState,
}

/// Every phone of a user, oldest first.
pub async fn list_for_user(conn: &impl Conn, user_id: i64) -> Result<Vec<Phone>, StorageError> {
    Ok(Phones::find()
        .filter(phones::Column::UserId.eq(user_id))
        .order_by_asc(phones::Column::Id)
        .all(conn)
        .await?)
}

/// How many phones the user added since `since` that are still unverified.
pub async fn count_unverified_since(
    conn: &impl Conn,
    user_id: i64,
    since: chrono::NaiveDateTime,
) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    Ok(Phones::find()
        .filter(phones::Column::UserId.eq(user_id))
        .filter(phones::Column::ValidatedAt.is_null())
        .filter(phones::Column::CreatedAt.gte(since))
        .count(conn)
        .await?)
}

/// The user's phone with this number (the newest, should an import hold two).
pub async fn find_for_user(
    conn: &impl Conn,
    user_id: i64,
    number: &str,
) -> Result<Option<Phone>, StorageError> {
    Ok(Phones::find()
        .filter(phones::Column::UserId.eq(user_id))
        .filter(phones::Column::Number.eq(number))
        .order_by_desc(phones::Column::Id)
        .one(conn)
        .await?)
}

/// Whether any account has verified this number (ours through `verified_number`,
/// imported Barong rows through `validated_at`).
pub async fn verified_anywhere(conn: &impl Conn, number: &str) -> Result<bool, StorageError> {
    let found = Phones::find()
        .filter(
            Condition::any()
                .add(phones::Column::VerifiedNumber.eq(number))
                .add(
                    Condition::all()
                        .add(phones::Column::Number.eq(number))
                        .add(phones::Column::ValidatedAt.is_not_null()),
                ),
        )
        .one(conn)
        .await?;
    Ok(found.is_some())
}

/// Inserts an unverified phone holding its first code.
pub async fn insert(conn: &impl Conn, new: NewPhone) -> Result<Phone, StorageError> {
    let at = now();
    Ok(phones::ActiveModel {
        user_id: Set(new.user_id),
        country: Set(new.country),
        number: Set(new.number),
        code: Set(None),
        validated_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        code_sealed: Set(Some(new.code.sealed)),
        code_sent_at: Set(Some(new.code.sent_at)),
        code_expires_at: Set(Some(new.code.expires_at)),
        failed_attempts: Set(0),
        verified_number: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Deletes a phone (undoing an add whose SMS could not be sent).
pub async fn delete(conn: &impl Conn, id: i64) -> Result<(), StorageError> {
    Phones::delete_by_id(id).exec(conn).await?;
    Ok(())
}

fn code_columns(code: Option<&CodeState>) -> [(phones::Column, SimpleExpr); 4] {
    [
        (
            phones::Column::CodeSealed,
            Expr::value(code.map(|c| c.sealed.clone())),
        ),
        (
            phones::Column::CodeSentAt,
            Expr::value(code.map(|c| c.sent_at)),
        ),
        (
            phones::Column::CodeExpiresAt,
            Expr::value(code.map(|c| c.expires_at)),
        ),
        (phones::Column::UpdatedAt, Expr::value(now())),
    ]
}

/// Replaces the code of an unverified phone, unless one was sent after
/// `sent_before` (the resend throttle); `false` when throttled or already verified.
pub async fn replace_code(
    conn: &impl Conn,
    id: i64,
    code: &CodeState,
    sent_before: chrono::NaiveDateTime,
) -> Result<bool, StorageError> {
    let mut update = Phones::update_many();
    for (column, value) in code_columns(Some(code)) {
        update = update.col_expr(column, value);
    }
    let result = update
        .col_expr(phones::Column::FailedAttempts, Expr::value(0))
        .filter(phones::Column::Id.eq(id))
        .filter(phones::Column::ValidatedAt.is_null())
        .filter(
            Condition::any()
                .add(phones::Column::CodeSentAt.is_null())
                .add(phones::Column::CodeSentAt.lte(sent_before)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts back the code state of `previous` (a resend whose SMS could not be sent), if
/// the row still holds `replacement`.
pub async fn restore_code(
    conn: &impl Conn,
    previous: &Phone,
    replacement: &CodeState,
) -> Result<(), StorageError> {
    Phones::update_many()
        .col_expr(
            phones::Column::CodeSealed,
            Expr::value(previous.code_sealed.clone()),
        )
        .col_expr(
            phones::Column::CodeSentAt,
            Expr::value(previous.code_sent_at),
        )
        .col_expr(
            phones::Column::CodeExpiresAt,
            Expr::value(previous.code_expires_at),
        )
        .col_expr(
            phones::Column::FailedAttempts,
            Expr::value(previous.failed_attempts),
        )
        .filter(phones::Column::Id.eq(previous.id))
        .filter(phones::Column::CodeSealed.eq(replacement.sealed.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Counts one attempt against the code `sealed`, if fewer than `max` were made;
/// `false` when the attempts are used up or the code changed meanwhile.
pub async fn count_attempt(
    conn: &impl Conn,
    id: i64,
    sealed: &str,
    max: i32,
) -> Result<bool, StorageError> {
    let result = Phones::update_many()
        .col_expr(
            phones::Column::FailedAttempts,
            sea_orm::sea_query::ExprTrait::add(Expr::col(phones::Column::FailedAttempts), 1),
        )
        .filter(phones::Column::Id.eq(id))
        .filter(phones::Column::CodeSealed.eq(sealed))
        .filter(phones::Column::FailedAttempts.lt(max))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Erases the code `sealed` (its attempts are used up): only a new code can verify.
pub async fn burn_code(conn: &impl Conn, id: i64, sealed: &str) -> Result<(), StorageError> {
    // `code_sent_at` stays: the resend throttle still counts from the burnt code's
    // sending, or burning five guesses would buy an immediate new code.
    let mut update = Phones::update_many();
    for (column, value) in code_columns(None) {
        if !matches!(column, phones::Column::CodeSentAt) {
            update = update.col_expr(column, value);
        }
    }
    update
        .filter(phones::Column::Id.eq(id))
        .filter(phones::Column::CodeSealed.eq(sealed))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks the phone verified with the code `sealed` and erases the code; `false` when
/// the code changed meanwhile. A number another row already verified is a
/// `Conflict(NUMBER_TAKEN)` from the unique index.
pub async fn mark_verified(
    conn: &impl Conn,
    phone: &Phone,
    sealed: &str,
) -> Result<bool, StorageError> {
    let mut update = Phones::update_many();
    for (column, value) in code_columns(None) {
        update = update.col_expr(column, value);
    }
    let at = now();
    let result = update
        .col_expr(phones::Column::ValidatedAt, Expr::value(at))
        .col_expr(
            phones::Column::VerifiedNumber,
            Expr::value(phone.number.clone()),
        )
        .filter(phones::Column::Id.eq(phone.id))
        .filter(phones::Column::CodeSealed.eq(sealed))
        .filter(phones::Column::ValidatedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
