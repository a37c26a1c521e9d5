//! `GET /spots/{id}/qr`, `qr.png`, `qr.svg` and `poster.svg`: a spot's static QRIS and its
//! renderings, with ETags and a bounded render cache.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::extract::QueryParams;
use crate::auth::Staff;
use crate::db::{self, spots::SpotContext};
use crate::error::ApiError;
use crate::qris::poster::{PosterText, poster_svg};
use crate::qris::render::{self, Ecc};
use crate::qris::{MerchantAccountInfo, Payload, StaticSpec, static_payload};
use crate::state::AppState;

/// The spot's static payload: the imported acquirer payload if it has one, else composed from
/// the zone's merchant account with the spot code (62/03) and terminal id (62/07).
pub fn spot_payload(ctx: &SpotContext) -> Result<Payload, ApiError> {
    let raw = match &ctx.spot.qris_payload {
        Some(imported) => imported.clone(),
        None => {
            let m = &ctx.merchant;
            static_payload(&StaticSpec {
                account: MerchantAccountInfo {
                    gui: m.gui.clone(),
                    pan: m.pan.clone(),
                    merchant_id: m.merchant_id.clone(),
                    criteria: m.criteria.clone(),
                },
                nmid: m.nmid.clone(),
                mcc: m.mcc.clone(),
                merchant_name: m.name.clone(),
                city: m.city.clone(),
                postal_code: m.postal_code.clone(),
                store_label: Some(ctx.spot.code.clone()),
                terminal_label: Some(ctx.spot.terminal_id.clone()),
            })
            .map_err(|e| {
                ApiError::conflict(
                    Some("merchant_account_id"),
                    format!(
                        "the zone's merchant account makes no valid QRIS: {}",
                        e.message
                    ),
                )
            })?
        }
    };
    Payload::parse(&raw)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored QRIS invalid: {e}")))
}

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

pub async fn load_context(state: &AppState, spot_id: i64) -> Result<SpotContext, ApiError> {
    db::run(&state.pool, move |conn| {
        db::spots::spot_context(conn, spot_id)?
            .ok_or_else(|| ApiError::NotFound(format!("spot {spot_id} does not exist")))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr", tag = "qris",
    responses((status = 200, body = SpotQr), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn spot_qr(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = load_context(&state, id.into_inner()).await?;
    let payload = spot_payload(&ctx)?;
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
#[serde(deny_unknown_fields)]
pub struct ImageParams {
    pub scale: Option<String>,
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

/// A finished rendering and its strong ETag.
#[derive(Clone)]
pub struct Rendered {
    pub etag: String,
    pub content_type: &'static str,
    pub bytes: web::Bytes,
}

/// Renders keyed by what they depend on; cleared when full (renders are cheap to redo, the
/// cache only spares a busy poster page or phone poll).
#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<HashMap<String, Rendered>>,
}

const CACHE_ENTRIES: usize = 1024;

impl RenderCache {
    /// The cached rendering for `inputs`, or `render()` stored under it.
    pub fn get_or_render(
        &self,
        inputs: &str,
        content_type: &'static str,
        render: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Rendered, ApiError> {
        let key = hex::encode(Sha256::digest(inputs.as_bytes()));
        if let Some(hit) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(hit);
        }
        let bytes = render().map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
        let rendered = Rendered {
            etag: format!("\"{}\"", &key[..32]),
            content_type,
            bytes: web::Bytes::from(bytes),
        };
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= CACHE_ENTRIES {
                map.clear();
            }
            map.insert(key, rendered.clone());
        }
        Ok(rendered)
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

/// The PNG of any payload, cached by payload, scale and ECC.
pub fn png_of(
    state: &AppState,
    payload: &str,
    scale: usize,
    ecc: Ecc,
) -> Result<Rendered, ApiError> {
    state.renders.get_or_render(
        &format!("png|{scale}|{ecc:?}|{payload}"),
        "image/png",
        || render::png(payload, ecc, scale),
    )
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr.png", tag = "qris", params(ImageParams),
    responses((status = 200, description = "1-bit PNG", content_type = "image/png"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn spot_qr_png(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (scale, ecc) = params.parse()?;
    let ctx = load_context(&state, id.into_inner()).await?;
    let payload = spot_payload(&ctx)?;
    Ok(image_response(
        &req,
        png_of(&state, payload.as_str(), scale, ecc)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/qr.svg", tag = "qris", params(ImageParams),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn spot_qr_svg(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (_, ecc) = params.parse()?;
    let ctx = load_context(&state, id.into_inner()).await?;
    let payload = spot_payload(&ctx)?;
    let rendered = state.renders.get_or_render(
        &format!("svg|{ecc:?}|{}", payload.as_str()),
        "image/svg+xml",
        || render::svg(payload.as_str(), ecc).map(String::into_bytes),
    )?;
    Ok(image_response(&req, rendered))
}

#[utoipa::path(get, path = "/api/v1/spots/{id}/poster.svg", tag = "qris",
    responses((status = 200, description = "A6 sign, SVG", content_type = "image/svg+xml"),
              (status = 304, description = "not modified"), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn spot_poster(
    req: HttpRequest,
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let spot_id = id.into_inner();
    let (ctx, tariffs) = db::run(&state.pool, move |conn| {
        let ctx = db::spots::spot_context(conn, spot_id)?
            .ok_or_else(|| ApiError::NotFound(format!("spot {spot_id} does not exist")))?;
        let version = db::zones::version_at(conn, ctx.zone.id, chrono::Utc::now())?;
        let tariffs: BTreeMap<String, i64> = version
            .and_then(|v| serde_json::from_value(v.tariffs).ok())
            .unwrap_or_default();
        Ok((ctx, tariffs))
    })
    .await?;
    let payload = spot_payload(&ctx)?;
    let text = PosterText {
        merchant_name: payload.merchant_name().unwrap_or_default(),
        nmid: payload.nmid(),
        terminal_id: &ctx.spot.terminal_id,
        spot_code: &ctx.spot.code,
        spot_name: &ctx.spot.name,
        zone_name: &ctx.zone.name,
        tariffs: &tariffs,
        complaint_line: &state.complaint_line,
    };
    let inputs = format!(
        "poster|{}|{}|{}|{}|{:?}|{}",
        payload.as_str(),
        ctx.spot.name,
        ctx.zone.name,
        ctx.spot.terminal_id,
        tariffs,
        state.complaint_line
    );
    let rendered = state.renders.get_or_render(&inputs, "image/svg+xml", || {
        poster_svg(payload.as_str(), &text).map(String::into_bytes)
    })?;
    Ok(image_response(&req, rendered))
}
