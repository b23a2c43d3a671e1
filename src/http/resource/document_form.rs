//! Reading the multipart body of `POST /resource/documents` with hard limits, so a
//! large or endless body is refused while it streams in, with Barong-style JSON:
//! each file at most `upload_max_bytes` (413 `request.payload_too_large`), at most
//! `documents_limit` files (400 `resource.documents.limit_will_be_reached`), text
//! fields at most 64 KiB, and the whole body bounded by those. axum's default body
//! limit is switched off on this route, so it never answers first with plain text.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::http::error::ApiError;
use crate::http::params::Params;
use crate::services::documents::UploadedFile;

/// Largest accepted text field (`doc_type`, `metadata`, ...).
const TEXT_FIELD_MAX: usize = 64 * 1024;
/// Most text fields one form may carry.
const TEXT_FIELDS_MAX: usize = 32;

/// The form's text fields (as [`Params`], for the usual validator) and its files.
pub struct DocumentForm {
    /// Text fields by name.
    pub params: Params,
    /// `upload[]` (or `upload`) parts, in order.
    pub files: Vec<UploadedFile>,
}

/// Limits taken from the settings.
#[derive(Debug, Clone, Copy)]
pub struct FormLimits {
    /// Largest file in bytes.
    pub file_max: usize,
    /// Most files.
    pub files_max: usize,
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request.payload_too_large")
}

fn broken(err: &MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "request.malformed_body")
    }
}

/// Reads one part, refusing it as soon as it grows past `max` bytes.
async fn read_capped(field: &mut Field<'_>, max: usize) -> Result<Vec<u8>, ApiError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| broken(&e))? {
        if buf.len().saturating_add(chunk.len()) > max {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Reads the whole form. Barong wanted `upload[]`; a single `upload` part is
/// accepted too and counts as one file (Barong counted it by its hash size, W24).
pub async fn read(mut multipart: Multipart, limits: FormLimits) -> Result<DocumentForm, ApiError> {
    let mut params = Map::new();
    let mut files = Vec::new();
    let mut text_fields = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| broken(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "upload[]" || name == "upload" {
            if files.len() >= limits.files_max {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "resource.documents.limit_will_be_reached",
                ));
            }
            // Kept for the reviewer's information only; bounded to the column's 255.
            let file_name: String = field
                .file_name()
                .unwrap_or_default()
                .chars()
                .take(255)
                .collect();
            let bytes = read_capped(&mut field, limits.file_max).await?;
            files.push(UploadedFile {
                file_name,
                bytes: bytes.into(),
            });
        } else {
            text_fields += 1;
            if text_fields > TEXT_FIELDS_MAX {
                return Err(too_large());
            }
            let raw = read_capped(&mut field, TEXT_FIELD_MAX).await?;
            let text = String::from_utf8(raw)
                .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "request.malformed_body"))?;
            params.insert(name, Value::String(text));
        }
    }
    Ok(DocumentForm {
        params: Params(params),
        files,
    })
}
