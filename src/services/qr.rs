//! QRIS for spots and charges: the spot's static payload, a charge's dynamic one, and their
//! renderings (PNG, SVG, the A6 poster) through one bounded cache.

use std::collections::BTreeMap;

use crate::db::{self, spots::SpotContext};
use crate::error::ApiError;
pub use crate::qris::cache::{RenderCache, Rendered};
use crate::qris::poster::{PosterText, poster_svg};
use crate::qris::render::{self, Ecc};
use crate::qris::{Payload, StaticSpec, static_payload, to_dynamic};
use crate::state::AppState;

/// The spot's static payload: the imported acquirer payload if it has one, else composed from
/// the zone's merchant account with the spot code (62/03) and terminal id (62/07).
pub fn spot_payload(ctx: &SpotContext) -> Result<Payload, ApiError> {
    let raw = match &ctx.spot.qris_payload {
        Some(imported) => imported.clone(),
        None => static_payload(&StaticSpec::of_spot(
            &ctx.merchant.spec(),
            &ctx.spot.code,
            &ctx.spot.terminal_id,
        ))
        .map_err(|e| {
            ApiError::conflict(
                Some("merchant_account_id"),
                format!(
                    "the zone's merchant account makes no valid QRIS: {}",
                    e.message
                ),
            )
        })?,
    };
    Payload::parse(&raw)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored QRIS invalid: {e}")))
}

/// The dynamic payload of a charge of `amount` at the spot, carrying `reference` (62/01).
pub fn charge_payload(ctx: &SpotContext, amount: i64, reference: &str) -> Result<String, ApiError> {
    let fixed = spot_payload(ctx)?;
    to_dynamic(&fixed, amount, Some(reference))
        .map_err(|e| ApiError::internal(anyhow::anyhow!("dynamic QRIS: {}", e.message)))
}

/// A spot with what its QR is made of, and its static payload; 404 for an unknown spot.
pub async fn spot(state: &AppState, spot_id: i64) -> Result<(SpotContext, Payload), ApiError> {
    let ctx = super::run(&state.pool, move |conn| context(conn, spot_id)).await?;
    let payload = spot_payload(&ctx)?;
    Ok((ctx, payload))
}

fn context(conn: &mut diesel::PgConnection, spot_id: i64) -> Result<SpotContext, ApiError> {
    db::spots::spot_context(conn, spot_id)?
        .ok_or_else(|| ApiError::NotFound(format!("spot {spot_id} does not exist")))
}

/// The PNG of any payload, cached by payload, scale and ECC.
pub fn png_of(
    state: &AppState,
    payload: &str,
    scale: usize,
    ecc: Ecc,
) -> Result<Rendered, ApiError> {
    state
        .renders
        .get_or_render(
            &format!("png|{scale}|{ecc:?}|{payload}"),
            "image/png",
            || render::png(payload, ecc, scale),
        )
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))
}

/// The SVG of any payload, cached by payload and ECC.
pub fn svg_of(state: &AppState, payload: &str, ecc: Ecc) -> Result<Rendered, ApiError> {
    state
        .renders
        .get_or_render(&format!("svg|{ecc:?}|{payload}"), "image/svg+xml", || {
            render::svg(payload, ecc).map(String::into_bytes)
        })
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))
}

/// The spot's A6 sign: its QR, the tariffs in force now and the complaint line.
pub async fn poster(state: &AppState, spot_id: i64) -> Result<Rendered, ApiError> {
    let (ctx, tariffs) = super::run(&state.pool, move |conn| {
        let ctx = context(conn, spot_id)?;
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
        "poster|{}|{}|{}|{}|{:?}|{}|{:?}",
        payload.as_str(),
        ctx.spot.name,
        ctx.zone.name,
        ctx.spot.terminal_id,
        tariffs,
        state.complaint_line,
        state.public_url
    );
    state
        .renders
        .get_or_render(&inputs, "image/svg+xml", || {
            poster_svg(payload.as_str(), &text, state.public_url.as_deref()).map(String::into_bytes)
        })
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))
}
