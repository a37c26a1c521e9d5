//! `GET /spots/{id}/qr`, `qr.png`, `qr.svg` and `poster.svg`: a spot's static QRIS and its
//! renderings, with ETags (the payloads and the cache are `services::qr`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Staff;
use crate::error::ApiError;
use crate::qris::render::Ecc;
use crate::services::qr::{self, Rendered};
use crate::state::AppState;
use crate::web::extract::QueryParams;

#[derive(Serialize, ToSchema)]
pub struct SpotQr {
    pub spot_id: i64,
    pub spot_code: String,
    pub payload: String,
    pub point_of_initiation: String,
    pub nmid: Option<String>,
    pub terminal_label: Option<String>,
    pub store_label: Option<String>,
    /// Exactly what the payer's app shows (tag 59).
    pub merchant_name: String,
    pub city: Option<String>,
    /// `composed` from the zone's merchant account, or `imported` from the acquirer.
    pub source: &'static str,
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr", operation_id = "getSpotQr", tag = "qris",
    responses((status = 200, body = SpotQr), (status = 404, body = crate::error::Problem)))]
pub async fn spot_qr(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, payload) = qr::spot(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SpotQr {
        spot_id: ctx.spot.id,
        spot_code: ctx.spot.code.clone(),
        payload: payload.as_str().to_owned(),
        point_of_initiation: payload.point_of_initiation().unwrap_or_default().to_owned(),
        nmid: payload.nmid().map(str::to_owned),
        terminal_label: payload.terminal_label().map(str::to_owned),
        store_label: payload.store_label().map(str::to_owned),
        merchant_name: payload.merchant_name().unwrap_or_default().to_owned(),
        city: payload.value("60").map(str::to_owned),
        source: if ctx.spot.qris_payload.is_some() {
            "imported"
        } else {
            "composed"
        },
    }))
}

/// `scale` 1..=32 pixels per module (default 8) and `ecc` L|M|Q|H (default M).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImageParams {
    /// Pixels per module, 1 to 32 (default 8).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 32)]
    pub scale: Option<String>,
    /// Error correction level (default M).
    #[param(pattern = "^[LMQHlmqh]$")]
    pub ecc: Option<String>,
}

impl ImageParams {
    pub fn parse(&self) -> Result<(usize, Ecc), ApiError> {
        let scale = match &self.scale {
            None => 8,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|s| (1..=32).contains(s))
                .ok_or_else(|| ApiError::invalid("scale", "must be a whole number from 1 to 32"))?,
        };
        let ecc = match &self.ecc {
            None => Ecc::M,
            Some(raw) => Ecc::parse(raw).map_err(|m| ApiError::invalid("ecc", m))?,
        };
        Ok((scale, ecc))
    }
}

/// 304 when the client already has this rendering, else the image; both with ETag and
/// Cache-Control (private: the images sit behind a token).
pub fn image_response(req: &HttpRequest, rendered: Rendered) -> HttpResponse {
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == rendered.etag || tag.trim() == "*")
        });
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, rendered.etag.clone()))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=300, must-revalidate",
        ));
    if matches {
        res.finish()
    } else {
        res.content_type(rendered.content_type).body(rendered.bytes)
    }
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr.png", operation_id = "getSpotQrPng", tag = "qris", params(ImageParams),
    responses((status = 200, description = "1-bit PNG", content_type = "image/png"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)))]
pub async fn spot_qr_png(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (scale, ecc) = params.parse()?;
    let (_, payload) = qr::spot(&state, id.into_inner()).await?;
    Ok(image_response(
        &req,
        qr::png_of(&state, payload.as_str(), scale, ecc)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr.svg", operation_id = "getSpotQrSvg", tag = "qris", params(ImageParams),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)))]
pub async fn spot_qr_svg(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (_, ecc) = params.parse()?;
    let (_, payload) = qr::spot(&state, id.into_inner()).await?;
    Ok(image_response(
        &req,
        qr::svg_of(&state, payload.as_str(), ecc)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/poster.svg", operation_id = "getSpotPoster", tag = "qris",
    responses((status = 200, description = "A6 sign, SVG", content_type = "image/svg+xml"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)))]
pub async fn spot_poster(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let rendered = qr::poster(&state, id.into_inner()).await?;
    Ok(image_response(&req, rendered))
}
