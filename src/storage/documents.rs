//! Documents repository: KYC rows of one user. Files live in [`super::files`]; a row
//! only names its object.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::documents::{self, Entity as Documents};
use super::{Conn, StorageError, now};

pub use documents::Model as Document;

/// What one uploaded file stores.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Owner's internal id.
    pub user_id: i64,
    /// Generated object key.
    pub object_key: String,
    /// Document type.
    pub doc_type: String,
    /// Document number.
    pub doc_number: String,
    /// Expiry date.
    pub doc_expire: Option<chrono::NaiveDate>,
    /// JSON object as text.
    pub metadata: Option<String>,
    /// The client's file name.
    pub file_name: String,
    /// Detected content type.
    pub content_type: String,
}

/// Inserts one document row.
pub async fn insert(conn: &impl Conn, new: NewDocument) -> Result<Document, StorageError> {
    let at = now();
    Ok(documents::ActiveModel {
        user_id: Set(new.user_id),
        upload: Set(Some(new.object_key)),
        doc_type: Set(Some(new.doc_type)),
        doc_number: Set(Some(new.doc_number)),
        doc_expire: Set(new.doc_expire),
        metadata: Set(new.metadata),
        file_name: Set(Some(new.file_name)),
        content_type: Set(Some(new.content_type)),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// How many documents a user has.
pub async fn count_for_user(conn: &impl Conn, user_id: i64) -> Result<u64, StorageError> {
    Ok(Documents::find()
        .filter(documents::Column::UserId.eq(user_id))
        .count(conn)
        .await?)
}

/// Every document of a user, oldest first.
pub async fn list_for_user(conn: &impl Conn, user_id: i64) -> Result<Vec<Document>, StorageError> {
    Ok(Documents::find()
        .filter(documents::Column::UserId.eq(user_id))
        .order_by_asc(documents::Column::Id)
        .all(conn)
        .await?)
}

/// A document by id, whoever owns it (admin review).
pub async fn find_by_id(conn: &impl Conn, id: i64) -> Result<Option<Document>, StorageError> {
    Ok(Documents::find_by_id(id).one(conn).await?)
}

/// A document of one user; `None` if the id is unknown or belongs to someone else, so
/// callers cannot tell the two apart.
pub async fn find_for_user(
    conn: &impl Conn,
    user_id: i64,
    id: i64,
) -> Result<Option<Document>, StorageError> {
    Ok(Documents::find_by_id(id)
        .filter(documents::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}
