//! KYC documents: upload (one row per file, all or nothing), listing, and opening a
//! stored file for its owner or for a reviewer. Files go to the [`FileStore`] under
//! keys generated here (`documents/<uid>/<random>.<ext>`), never under the client's
//! file name; the rows and the private `document: pending` label are written in one
//! transaction afterwards, and if that fails the stored objects are removed again.
//!
//! [`FileStore`]: crate::storage::files::FileStore

use bytes::Bytes;
use chrono::NaiveDate;

use crate::domain::document::{self as rules, ExpiryError, FileKind};
use crate::domain::label::PRIVATE;
use crate::services::levels;
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::documents::{Document, NewDocument};
use crate::storage::files::{FileStoreError, FileStream};
use crate::storage::{self, StorageError, users::User};

/// Key of the private label an upload sets to `pending`.
pub const DOCUMENT_LABEL: &str = "document";

/// One received file: its name as the client sent it and its bytes.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// Client's file name (display and download name only).
    pub file_name: String,
    /// Content; its kind is detected from these bytes.
    pub bytes: Bytes,
}

/// A syntactically valid `POST documents`.
#[derive(Debug, Clone)]
pub struct NewDocumentsInput {
    /// Document type (checked against the configured list here).
    pub doc_type: String,
    /// Document number.
    pub doc_number: String,
    /// Expiry date, if sent.
    pub doc_expire: Option<NaiveDate>,
    /// A JSON object as text, if sent.
    pub metadata: Option<String>,
    /// One or more files; each becomes a document.
    pub files: Vec<UploadedFile>,
}

/// A stored file ready to be streamed out.
pub struct DocumentFile {
    /// Media type detected at upload.
    pub content_type: String,
    /// Client's original file name.
    pub file_name: String,
    /// The bytes.
    pub stream: FileStream,
}

fn storage_unavailable(err: &FileStoreError) -> ServiceError {
    tracing::error!(error = %err, "document storage failed");
    ServiceError::new(
        ErrorKind::Unavailable,
        "resource.documents.storage_unavailable",
    )
}

fn not_found() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "record.not_found")
}

impl Services {
    /// Every document of the user, oldest first.
    pub async fn list_documents(&self, user: &User) -> Result<Vec<Document>, ServiceError> {
        Ok(storage::documents::list_for_user(self.db.conn(), user.id).await?)
    }

    /// Checks everything, stores the files, then writes the rows and the label. Either
    /// every file becomes a document or nothing is left behind.
    pub async fn create_documents(
        &self,
        user: &User,
        input: NewDocumentsInput,
    ) -> Result<Vec<Document>, ServiceError> {
        let settings = &self.settings;
        let today = chrono::Utc::now().date_naive();
        let expiry = rules::check_expiry(input.doc_expire, settings.required_docs_expire, today);
        if let Err(e @ (ExpiryError::Missing | ExpiryError::AlreadyExpired)) = expiry {
            return Err(ServiceError::new(ErrorKind::Unprocessable, e.key()));
        }
        let existing = storage::documents::count_for_user(self.db.conn(), user.id).await?;
        let incoming = input.files.len() as u64;
        rules::check_limit(existing, incoming, settings.documents_limit)
            .map_err(|key| ServiceError::new(ErrorKind::BadRequest, key))?;
        let kinds = model_check(&input, &settings.doc_types, expiry)?;

        let mut stored: Vec<String> = Vec::with_capacity(kinds.len());
        for (file, kind) in input.files.iter().zip(&kinds) {
            let key = format!(
                "documents/{}/{}.{}",
                user.uid,
                crate::crypto::random::hex_token(16),
                kind.extension()
            );
            if let Err(e) = self.files.put(&key, file.bytes.clone()).await {
                self.remove_objects(&stored).await;
                return Err(storage_unavailable(&e));
            }
            stored.push(key);
        }
        match self.insert_documents(user, &input, &kinds, &stored).await {
            Ok(documents) => {
                tracing::info!(user.uid = %user.uid, documents.count = documents.len(), "documents uploaded");
                Ok(documents)
            }
            Err(err) => {
                self.remove_objects(&stored).await;
                Err(err)
            }
        }
    }

    /// The rows and the label in one transaction; re-counts inside it so two parallel
    /// uploads cannot both pass the limit when the database serialises them.
    async fn insert_documents(
        &self,
        user: &User,
        input: &NewDocumentsInput,
        kinds: &[FileKind],
        keys: &[String],
    ) -> Result<Vec<Document>, ServiceError> {
        let tx = self.db.begin().await?;
        let mut documents = Vec::with_capacity(keys.len());
        for ((file, kind), key) in input.files.iter().zip(kinds).zip(keys) {
            let new = NewDocument {
                user_id: user.id,
                object_key: key.clone(),
                doc_type: input.doc_type.clone(),
                doc_number: input.doc_number.clone(),
                doc_expire: input.doc_expire,
                metadata: input.metadata.clone(),
                file_name: file.file_name.clone(),
                content_type: kind.content_type().to_owned(),
            };
            documents.push(storage::documents::insert(&tx, new).await?);
        }
        if storage::documents::count_for_user(&tx, user.id).await? > self.settings.documents_limit {
            return Err(ServiceError::new(
                ErrorKind::BadRequest,
                "resource.documents.limit_will_be_reached",
            ));
        }
        mark_pending(&tx, user.id).await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(documents)
    }

    /// Best-effort cleanup after a failed upload; a leftover object is logged (it is
    /// unreachable: no row names it).
    async fn remove_objects(&self, keys: &[String]) {
        for key in keys {
            if let Err(e) = self.files.delete(key).await {
                tracing::warn!(error = %e, document.object = %key, "orphaned document object");
            }
        }
    }

    /// Opens one of the user's own documents; another user's id is 404 like an
    /// unknown one.
    pub async fn open_own_document(
        &self,
        user: &User,
        id: i64,
    ) -> Result<DocumentFile, ServiceError> {
        let document = storage::documents::find_for_user(self.db.conn(), user.id, id)
            .await?
            .ok_or_else(not_found)?;
        self.open_document(document).await
    }

    /// Opens any user's document, for reviewers (the caller checked the role).
    pub async fn open_any_document(&self, id: i64) -> Result<DocumentFile, ServiceError> {
        let document = storage::documents::find_by_id(self.db.conn(), id)
            .await?
            .ok_or_else(not_found)?;
        self.open_document(document).await
    }

    async fn open_document(&self, document: Document) -> Result<DocumentFile, ServiceError> {
        let key = document.upload.clone().ok_or_else(not_found)?;
        let stream = match self.files.get(&key).await {
            Ok(stream) => stream,
            Err(FileStoreError::NotFound) => {
                tracing::warn!(document.id = document.id, document.object = %key, "document file missing");
                return Err(not_found());
            }
            Err(e) => return Err(storage_unavailable(&e)),
        };
        Ok(DocumentFile {
            content_type: document
                .content_type
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            file_name: document.file_name.unwrap_or_else(|| key.clone()),
            stream,
        })
    }
}

/// Barong's per-document model checks, for every file before anything is stored:
/// 400 with the keys grouped by attribute (`doc_type`, `doc_number`, `doc_expire`,
/// `upload`), each once.
fn model_check(
    input: &NewDocumentsInput,
    doc_types: &[String],
    expiry: Result<(), ExpiryError>,
) -> Result<Vec<FileKind>, ServiceError> {
    let mut errors = rules::doc_type_errors(&input.doc_type, doc_types);
    errors.extend(rules::doc_number_errors(&input.doc_number));
    if let Err(e) = expiry {
        errors.push(e.key().to_owned());
    }
    let mut kinds = Vec::with_capacity(input.files.len());
    for file in &input.files {
        match rules::check_file(&file.bytes) {
            Ok(kind) => kinds.push(kind),
            Err(key) if !errors.contains(&key) => errors.push(key),
            Err(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(kinds)
    } else {
        Err(ServiceError {
            kind: ErrorKind::BadRequest,
            keys: errors,
            retry_after: None,
        })
    }
}

/// Barong's rule after an upload: the private `document` label becomes `pending`
/// unless a reviewer already set it to `verified`; the level is recomputed.
async fn mark_pending(tx: &storage::Tx, user_id: i64) -> Result<(), StorageError> {
    let labels = storage::labels::list_by_scope(tx, user_id, PRIVATE).await?;
    let verified = labels
        .iter()
        .any(|l| l.key == DOCUMENT_LABEL && l.value == "verified");
    if !verified {
        levels::set_private_label(tx, user_id, DOCUMENT_LABEL, "pending").await?;
    }
    Ok(())
}
