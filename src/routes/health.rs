//! Operations: `/healthz` (the process answers), `/readyz` (the database answers), `/metrics`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::state::AppState;

/// `/healthz`: the process answers.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// `/readyz`: the database answers.
#[derive(Serialize, ToSchema)]
pub struct Ready {
    #[schema(example = "ready")]
    pub status: &'static str,
    #[schema(example = "ok")]
    pub database: &'static str,
}

#[utoipa::path(get, path = "/healthz", operation_id = "getHealthz", tag = "ops",
    responses((status = 200, description = "the process is up", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", operation_id = "getReadyz", tag = "ops",
    responses((status = 200, description = "the database answers", body = Ready)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    db::run(&state.pool, |conn| {
        db::ping(conn).map_err(|e| ApiError::Unavailable(format!("database unavailable: {e}")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Ready {
        status: "ready",
        database: "ok",
    }))
}

#[utoipa::path(get, path = "/metrics", operation_id = "getMetrics", tag = "ops",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render(&state.pool))
}
