//! `documents` rows (KYC uploads).

use sea_orm::entity::prelude::*;

/// One uploaded KYC file with the document data it was sent with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    /// Row id; also the document's public id in download URLs.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owner's internal id.
    pub user_id: i64,
    /// Key of the stored object (generated; never the client's file name).
    pub upload: Option<String>,
    /// One of the configured document types.
    pub doc_type: Option<String>,
    /// Number printed on the document.
    pub doc_number: Option<String>,
    /// Expiry date, if given.
    pub doc_expire: Option<Date>,
    /// Client-supplied JSON object, as text.
    pub metadata: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTime,
    /// Last update (UTC).
    pub updated_at: DateTime,
    /// The file name the client sent (display only).
    pub file_name: Option<String>,
    /// Content type detected from the file's bytes.
    pub content_type: Option<String>,
}

/// No declared relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
