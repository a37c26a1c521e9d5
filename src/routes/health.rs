//! Operations: `/healthz` (the process answers), `/readyz` (the database answers), `/metrics`.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::state::AppState;

#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "the process is up")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, description = "the database answers"),
              (status = 503, description = "the database does not answer", body = crate::error::Problem)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    db::run(&state.pool, |conn| {
        db::ping(conn).map_err(|e| ApiError::Unavailable(format!("database unavailable: {e}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({"status": "ready", "database": "ok"})))
}

#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render(&state.pool))
}
