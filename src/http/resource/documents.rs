//! `/resource/documents`: KYC uploads of the caller (multipart), their list (Barong's
//! Document entity, reference 8.8) and the owner-only download of each file. The
//! download URL in the list points back at this API (through the gateway), never at a
//! public folder or bucket.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};

use super::document_form::{self, FormLimits};
use crate::domain::document::{parse_date, parse_metadata};
use crate::http::current_user::Account;
use crate::http::error::ApiError;
use crate::http::params::Validator;
use crate::http::state::HttpState;
use crate::http::{status_body, time_format};
use crate::services::documents::{DocumentFile, NewDocumentsInput};
use crate::storage::documents::Document;

const PREFIX: &str = "resource.document";

/// Largest stored `metadata` (serialised JSON).
const MAX_METADATA_BYTES: usize = 16 * 1024;

/// Headers gateways use for the path before they rewrote it (`/api/v2/barong/...` to
/// `/api/v2/...`): Envoy's `prefix_rewrite`, Traefik's `replacePathRegex`, and the
/// header our nginx example sets.
const ORIGINAL_PATH_HEADERS: [&str; 3] =
    ["x-envoy-original-path", "x-replaced-path", "x-original-uri"];

/// A plain absolute path of the list itself; anything else (another route, a
/// protocol-relative `//host`, odd characters) is ignored.
fn plausible_list_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.ends_with("/documents")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
}

/// The paths (without query) a gateway says the client used, before it rewrote them.
pub(crate) fn original_paths(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    ORIGINAL_PATH_HEADERS
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .map(|value| value.split('?').next().unwrap_or_default())
}

/// The path under which the client reached the list, so download URLs work through the
/// gateway's prefix (`/api/v2/barong/resource/documents`) as well as directly.
fn list_path(headers: &HeaderMap, uri: &axum::http::Uri) -> String {
    original_paths(headers)
        .find(|path| plausible_list_path(path))
        .map_or_else(|| uri.path().to_owned(), str::to_owned)
}

/// Barong's Document entity with our download URL.
pub(crate) fn document_json(document: &Document, base: &str) -> Value {
    let metadata = document
        .metadata
        .as_deref()
        .and_then(|m| serde_json::from_str::<Value>(m).ok());
    json!({
        "upload": { "url": format!("{}/{}/upload", base.trim_end_matches('/'), document.id) },
        "doc_type": document.doc_type,
        "doc_number": document.doc_number,
        "doc_expire": document.doc_expire.map(|d| d.format("%Y-%m-%d").to_string()),
        "metadata": metadata,
        "created_at": time_format::entity(document.created_at),
        "updated_at": time_format::entity(document.updated_at),
    })
}

/// The caller's documents, oldest first.
#[utoipa::path(get, path = "/api/v2/resource/documents", tag = "resource",
    responses((status = 200, description = "Document entities: upload {url}, doc_type, doc_number, doc_expire, metadata, created_at, updated_at"),
              (status = 401, description = "`jwt.decode_and_verify`")))]
pub async fn list_documents(
    State(state): State<HttpState>,
    Account(user): Account,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Json<Vec<Value>>, ApiError> {
    let base = list_path(&headers, &uri);
    let documents = state.services.list_documents(&user).await?;
    Ok(Json(
        documents.iter().map(|d| document_json(d, &base)).collect(),
    ))
}

/// Uploads one document per file in `upload[]` (JPEG, PNG or PDF, recognised by
/// content), all sharing `doc_type`, `doc_number`, `doc_expire` (`YYYY-MM-DD`) and
/// `metadata` (a JSON object). All or nothing.
#[utoipa::path(post, path = "/api/v2/resource/documents", tag = "resource",
    request_body(content_type = "multipart/form-data", description = "doc_type, doc_number, upload[] (files), doc_expire, metadata"),
    responses((status = 201, description = "Stored; body `201`; private label `document` = `pending`"),
              (status = 400, description = "`resource.documents.limit_reached`, `.limit_will_be_reached`, `doc_type.inclusion`, `doc_number.invalid`, `doc_number.too_long`, `doc_expire.invalid`, `upload.blank`, `upload.invalid_type`"),
              (status = 413, description = "`request.payload_too_large`"),
              (status = 415, description = "`request.unsupported_media_type` (not multipart)"),
              (status = 422, description = "`resource.document.missing_doc_type` and the other parameter keys, `resource.documents.expire_not_a_date`, `.invalid_format`, `.already_expired`, `resource.document.invalid_metadata`, `metadata.too_long`"),
              (status = 503, description = "`resource.documents.storage_unavailable`")))]
pub async fn create_documents(
    State(state): State<HttpState>,
    Account(user): Account,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let multipart = multipart.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
        )
    })?;
    let settings = &state.services.settings;
    let limits = FormLimits {
        file_max: usize::try_from(settings.upload_max_bytes).unwrap_or(usize::MAX),
        files_max: usize::try_from(settings.documents_limit).unwrap_or(usize::MAX),
    };
    let form = document_form::read(multipart, limits).await?;
    let mut v = Validator::new(&form.params, PREFIX);
    let doc_type = v.required("doc_type");
    let doc_number = v.required("doc_number");
    let doc_expire = v.optional_non_blank("doc_expire");
    let metadata = v.optional("metadata");
    let mut errors = v.finish().err().map(|e| e.keys).unwrap_or_default();
    if form.files.is_empty() {
        // Barong's order: upload is declared after doc_number.
        let at = errors
            .iter()
            .position(|k| k.contains("doc_expire"))
            .unwrap_or(errors.len());
        errors.insert(at, format!("{PREFIX}.missing_upload"));
    }
    let doc_expire = match doc_expire.filter(|d| !d.trim().is_empty()) {
        Some(raw) => {
            let date = parse_date(&raw);
            if date.is_none() {
                errors.push("resource.documents.expire_not_a_date".to_owned());
            }
            date
        }
        None => None,
    };
    let metadata = match metadata.filter(|m| !m.trim().is_empty()) {
        Some(raw) => match parse_metadata(&raw) {
            // Bounded like a profile's metadata: the column is a TEXT (64 KiB on MySQL).
            Some(map) => {
                let text = Value::Object(map).to_string();
                if text.len() > MAX_METADATA_BYTES {
                    errors.push("metadata.too_long".to_owned());
                }
                Some(text)
            }
            None => {
                errors.push(format!("{PREFIX}.invalid_metadata"));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(errors));
    }
    let input = NewDocumentsInput {
        doc_type,
        doc_number,
        doc_expire,
        metadata,
        files: form.files,
    };
    state.services.create_documents(&user, input).await?;
    Ok(status_body(StatusCode::CREATED).into_response())
}

/// Streams one of the caller's own files; another user's document is 404.
#[utoipa::path(get, path = "/api/v2/resource/documents/{id}/upload", tag = "resource",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the content type detected at upload"),
              (status = 404, description = "`record.not_found`"),
              (status = 503, description = "`resource.documents.storage_unavailable`")))]
pub async fn download_document(
    State(state): State<HttpState>,
    Account(user): Account,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let file = state.services.open_own_document(&user, id).await?;
    Ok(file_response(file))
}

/// A document id from the path; anything else is 404 like an unknown id.
pub(crate) fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "record.not_found"))
}

/// The download response: the bytes streamed, as an attachment (so a browser never
/// renders it inline in our origin), no sniffing, no shared caching.
pub(crate) fn file_response(file: DocumentFile) -> Response {
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = format!("attachment; filename=\"{}\"", safe_name(&file.file_name));
    let disposition =
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        Body::from_stream(file.stream),
    )
        .into_response()
}

/// The client's file name reduced to characters safe inside a quoted header value.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .take(128)
        .collect();
    if cleaned.trim().is_empty() {
        "document".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("a\"b\r\n.pdf"), "a_b__.pdf");
        assert_eq!(safe_name(""), "document");
    }

    #[test]
    fn urls_follow_the_gateway_prefix() {
        let uri: axum::http::Uri = "/api/v2/resource/documents".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(list_path(&headers, &uri), "/api/v2/resource/documents");
        headers.insert(
            "x-original-uri",
            HeaderValue::from_static("//evil.example/documents"),
        );
        assert_eq!(list_path(&headers, &uri), "/api/v2/resource/documents");
        headers.insert(
            "x-envoy-original-path",
            HeaderValue::from_static("/api/v2/barong/resource/documents?x=1"),
        );
        assert_eq!(
            list_path(&headers, &uri),
            "/api/v2/barong/resource/documents"
        );
    }
}
