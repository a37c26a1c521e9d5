//! Operations: `/healthz` (the process answers), `/readyz` (the database answers), `/metrics`.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Staff;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::services::health;
use crate::state::AppState;

/// `/healthz`: the process answers.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// `/readyz`: the database answers, and it is the primary.
#[derive(Serialize, ToSchema)]
pub struct Ready {
    #[schema(example = "ready")]
    pub status: &'static str,
    #[schema(example = "ok")]
    pub database: &'static str,
    /// The server this instance writes to: `host:port`, or `local socket`; only to a staff
    /// token (the address of the database is nobody else's business).
    #[schema(example = "10.0.0.11:5432")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Always `primary` in a 200 (a standby is a 503).
    #[schema(example = "primary")]
    pub role: &'static str,
}

#[utoipa::path(get, path = "/healthz", operation_id = "getHealthz", tag = "ops",
    responses((status = 200, description = "the process is up", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", operation_id = "getReadyz", tag = "ops",
    responses((status = 200, description = "the database answers and accepts writes; `node` names the server to a staff token", body = Ready)))]
pub async fn readyz(
    staff: Option<Staff>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let node = health::writable_node(&state).await?;
    Ok(HttpResponse::Ok().json(Ready {
        status: "ready",
        database: "ok",
        node: staff.map(|_| node.address),
        role: "primary",
    }))
}

#[utoipa::path(get, path = "/metrics", operation_id = "getMetrics", tag = "ops",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    let replication = health::replication(&state).await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render(
            &state.pool,
            replication.as_ref(),
            state.replica.as_ref().map(|r| r.stats()),
        ))
}
