//! `/admin/users/documents/{id}/upload`: a reviewer downloads any user's KYC file. The
//! file is streamed from the store through barong, so the bucket stays private.

use axum::extract::{Path, State};
use axum::response::Response;

use super::guard::AdminUser;
use crate::http::error::ApiError;
use crate::http::resource::documents::{file_response, parse_id};
use crate::http::state::HttpState;

/// Streams the file of document `id`, whoever owns it.
#[utoipa::path(get, path = "/api/v2/admin/users/documents/{id}/upload", tag = "admin",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The file, with the content type detected at upload"),
              (status = 401, description = "`jwt.decode_and_verify`, `admin.access.denied` (role not in BARONG_ADMIN_ROLES)"),
              (status = 404, description = "`record.not_found`"),
              (status = 503, description = "`resource.documents.storage_unavailable`")))]
pub async fn download_document(
    State(state): State<HttpState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let file = state.services.open_any_document(id).await?;
    tracing::info!(admin.uid = %admin.uid, document.id = id, "document downloaded by reviewer");
    Ok(file_response(file))
}
