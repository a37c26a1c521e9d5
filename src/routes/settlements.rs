//! `POST /settlements` (a CSV settlement file) and `GET /settlements/{id}`.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::db::settlements as repo;
use crate::error::ApiError;
use crate::services::settlements as service;
use crate::state::AppState;
use crate::web::extract::read_body_up_to;

/// Settlement files are larger than JSON requests: a busy city's day fits easily.
pub const FILE_LIMIT: usize = 16 * 1024 * 1024;

#[derive(Serialize, ToSchema)]
pub struct SettlementView {
    pub id: i64,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub imported_by: String,
    /// Rows, UNSETTLED ones included.
    pub rows: i32,
    #[schema(value_type = Object)]
    pub counts: serde_json::Value,
    /// False when these exact bytes were imported before: nothing changed.
    pub first_import: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementDetail {
    pub id: i64,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    #[schema(value_type = Object)]
    pub counts: serde_json::Value,
    pub rows: Vec<repo::SettlementRow>,
}

#[utoipa::path(post, path = "/api/v1/settlements", operation_id = "importSettlement", tag = "reconciliation",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = SettlementView), (status = 200, description = "the same file again", body = SettlementView),
              (status = 400, description = "names the line and the column", body = crate::error::Problem)))]
pub async fn import(
    req: HttpRequest,
    who: Admin,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/csv")
        .to_ascii_lowercase();
    if !(content_type.starts_with("text/csv")
        || content_type.starts_with("application/csv")
        || content_type.starts_with("text/plain"))
    {
        return Err(ApiError::UnsupportedMediaType("text/csv"));
    }
    let bytes = read_body_up_to(&req, payload.into_inner(), FILE_LIMIT).await?;
    let imported = service::import(&state, &bytes, who.subject()).await?;
    let s = imported.settlement;
    let view = SettlementView {
        id: s.id,
        imported_at: s.imported_at,
        imported_by: s.imported_by,
        rows: s.row_count,
        counts: s.counts,
        first_import: imported.first_time,
    };
    Ok(if imported.first_time {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[utoipa::path(get, path = "/api/v1/settlements/{id}", operation_id = "getSettlement", tag = "reconciliation",
    responses((status = 200, body = SettlementDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (s, rows) = service::find(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SettlementDetail {
        id: s.id,
        imported_at: s.imported_at,
        counts: s.counts,
        rows,
    }))
}
