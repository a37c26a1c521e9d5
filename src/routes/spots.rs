//! `POST /zones/{id}/spots`, `GET /spots`, `GET/PATCH /spots/{id}`.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::db::spots as repo;
use crate::domain::{Coordinates, SpotCode, TerminalId, label};
use crate::error::{ApiError, all, field};
use crate::qris::Payload;
use crate::services::spots as service;
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams, double_option};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "JMB-PSR-011", "name": "Jl. Dr. Sutomo", "latitude": -1.5869, "longitude": 103.6228}))]
pub struct CreateSpot {
    /// Printed on the sign and carried in the QR as store label (62/03).
    #[schema(pattern = "^[A-Za-z0-9._-]{1,25}$")]
    pub code: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    #[schema(minimum = -11.5, maximum = 6.5)]
    pub latitude: f64,
    #[schema(minimum = 94.5, maximum = 141.5)]
    pub longitude: f64,
    /// QRIS terminal label (62/07), ≤ 16; default: the code's last 16 letters and digits, or
    /// the terminal label of `qris_payload`.
    #[schema(pattern = "^[A-Za-z0-9._-]{1,16}$")]
    pub terminal_id: Option<String>,
    /// An acquirer-issued static QRIS for this spot, imported verbatim instead of composing one
    /// from the zone's merchant account. Its NMID and terminal label are used for matching.
    pub qris_payload: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchSpot {
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    #[schema(minimum = -11.5, maximum = 6.5)]
    pub latitude: Option<f64>,
    #[schema(minimum = 94.5, maximum = 141.5)]
    pub longitude: Option<f64>,
    #[schema(pattern = "^[A-Za-z0-9._-]{1,16}$")]
    pub terminal_id: Option<String>,
    pub active: Option<bool>,
    /// Imports (or with `null` removes) an acquirer-issued static QRIS.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub qris_payload: Option<Option<String>>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SpotFilter {
    /// Only this zone's spots.
    pub zone_id: Option<i64>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/zones/{id}/spots", operation_id = "createSpot", tag = "registry", request_body = CreateSpot,
    responses((status = 201, body = repo::Spot), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn create(
    _: Admin,
    state: web::Data<AppState>,
    zone_id: web::Path<i64>,
    JsonBody(body): JsonBody<CreateSpot>,
) -> Result<HttpResponse, ApiError> {
    let zone_id = zone_id.into_inner();
    let (code, name, latitude, longitude, imported) = all((
        field("code", SpotCode::parse(&body.code)),
        field("name", label(&body.name, 100)),
        field("latitude", Coordinates::parse_latitude(body.latitude)),
        field("longitude", Coordinates::parse_longitude(body.longitude)),
        body.qris_payload.as_deref().map(import_payload).transpose(),
    ))?;
    let terminal_id = terminal_for(body.terminal_id.as_deref(), imported.as_ref())?
        .unwrap_or_else(|| code.default_terminal_id());
    let nmid = imported.as_ref().and_then(|p| p.nmid().map(str::to_owned));
    let qris_payload = imported.map(|p| p.as_str().to_owned());
    let spot = service::create(
        &state,
        service::NewSpot {
            zone_id,
            code,
            name,
            latitude,
            longitude,
            terminal_id,
            qris_payload,
            nmid,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(spot))
}

#[utoipa::path(get, path = "/api/v1/spots", operation_id = "listSpots", tag = "registry", params(SpotFilter),
    responses((status = 200, description = "a page of spots", body = Paged<repo::Spot>)))]
pub async fn list(
    _: Admin,
    state: web::Data<AppState>,
    QueryParams(filter): QueryParams<SpotFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .page()?;
    let zone_id = filter.zone_id;
    let rows = service::list(&state, zone_id, page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |s| s.id)))
}

#[utoipa::path(get, path = "/api/v1/spots/{id}", operation_id = "getSpot", tag = "registry",
    responses((status = 200, body = repo::Spot), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let spot = service::find(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(spot))
}

#[utoipa::path(patch, path = "/api/v1/spots/{id}", operation_id = "patchSpot", tag = "registry", request_body = PatchSpot,
    responses((status = 200, body = repo::Spot), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn patch(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchSpot>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (imported, name, latitude, longitude) = all((
        body.qris_payload
            .as_ref()
            .map(|p| p.as_deref().map(import_payload).transpose())
            .transpose(),
        body.name
            .as_deref()
            .map(|n| field("name", label(n, 100)))
            .transpose(),
        body.latitude
            .map(|v| field("latitude", Coordinates::parse_latitude(v)))
            .transpose(),
        body.longitude
            .map(|v| field("longitude", Coordinates::parse_longitude(v)))
            .transpose(),
    ))?;
    let changes = repo::SpotChanges {
        name,
        latitude,
        longitude,
        terminal_id: terminal_for(
            body.terminal_id.as_deref(),
            imported.as_ref().and_then(Option::as_ref),
        )?
        .map(|t| t.as_str().to_owned()),
        active: body.active,
        nmid: imported
            .as_ref()
            .map(|p| p.as_ref().and_then(|p| p.nmid().map(str::to_owned))),
        qris_payload: imported.map(|p| p.map(|p| p.as_str().to_owned())),
    };
    let spot = service::update(&state, id, changes).await?;
    Ok(HttpResponse::Ok().json(spot))
}

/// Validates an acquirer-issued payload for a spot: a valid QRIS (every rule, as a whole) that
/// is static, since it is printed on the sign.
pub fn import_payload(raw: &str) -> Result<Payload, ApiError> {
    let payload = Payload::parse(raw.trim()).map_err(|e| {
        ApiError::invalid(
            "qris_payload",
            format!("{} [rule {}, tag {}]", e.message, e.code, e.tag),
        )
    })?;
    if !payload.is_qris() {
        return Err(ApiError::invalid(
            "qris_payload",
            "must be a QRIS payload (58=ID) [rule not_qris, tag 58]",
        ));
    }
    if payload.point_of_initiation() != Some("11") {
        return Err(ApiError::invalid(
            "qris_payload",
            "must be a static QRIS (01=11) to be printed on a sign [rule not_static, tag 01]",
        ));
    }
    Ok(payload)
}

/// The terminal id: an imported payload's terminal label (62/07) wins and must agree with an
/// explicit `terminal_id`; else the explicit one; `None` means "derive from the code".
fn terminal_for(
    explicit: Option<&str>,
    imported: Option<&Payload>,
) -> Result<Option<TerminalId>, ApiError> {
    let explicit = explicit
        .map(|t| field("terminal_id", TerminalId::parse(t)))
        .transpose()?;
    let Some(label) = imported.and_then(Payload::terminal_label) else {
        return Ok(explicit);
    };
    let label = TerminalId::parse(label).map_err(|m| {
        ApiError::invalid(
            "qris_payload",
            format!("its terminal label 62/07 {label:?} cannot be a terminal id: {m}"),
        )
    })?;
    match explicit {
        Some(t) if t != label => Err(ApiError::invalid(
            "terminal_id",
            format!(
                "must equal the payload's terminal label 62/07 ({})",
                label.as_str()
            ),
        )),
        _ => Ok(Some(label)),
    }
}
