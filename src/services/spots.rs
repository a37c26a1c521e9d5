//! The registry's spots: created in a zone, listed, read and edited by an admin.

use crate::db::{spots as repo, zones};
use crate::domain::{SpotCode, TerminalId};
use crate::error::ApiError;
use crate::state::AppState;

/// A new spot, its fields already checked.
pub struct NewSpot {
    pub zone_id: i64,
    pub code: SpotCode,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub terminal_id: TerminalId,
    /// An acquirer-issued static QRIS, already validated, and its NMID.
    pub qris_payload: Option<String>,
    pub nmid: Option<String>,
}

/// Adds a spot to an existing zone; a code or terminal id already taken is a 409.
pub async fn create(state: &AppState, spot: NewSpot) -> Result<repo::Spot, ApiError> {
    super::run(&state.pool, move |conn| {
        zones::find_zone(conn, spot.zone_id)?
            .ok_or_else(|| ApiError::NotFound(format!("zone {} does not exist", spot.zone_id)))?;
        Ok(repo::insert_spot(
            conn,
            &repo::NewSpot {
                zone_id: spot.zone_id,
                code: spot.code.as_str(),
                name: &spot.name,
                latitude: spot.latitude,
                longitude: spot.longitude,
                terminal_id: spot.terminal_id.as_str(),
                qris_payload: spot.qris_payload.as_deref(),
                nmid: spot.nmid.as_deref(),
            },
        )?)
    })
    .await
}

/// Spots (of one zone, or all) with ids after `after`, at most `fetch`.
pub async fn list(
    state: &AppState,
    zone_id: Option<i64>,
    after: i64,
    fetch: i64,
) -> Result<Vec<repo::Spot>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(repo::list_spots(conn, zone_id, after, fetch)?)
    })
    .await
}

pub async fn find(state: &AppState, id: i64) -> Result<repo::Spot, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::find_spot(conn, id)?.ok_or_else(|| not_found(id))
    })
    .await
}

/// Applies checked changes to a spot.
pub async fn update(
    state: &AppState,
    id: i64,
    changes: repo::SpotChanges,
) -> Result<repo::Spot, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::find_spot(conn, id)?.ok_or_else(|| not_found(id))?;
        Ok(repo::update_spot(conn, id, &changes)?)
    })
    .await
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("spot {id} does not exist"))
}
