//! Charges: a dynamic QRIS for one vehicle at the spot on duty, carrying our reference (62/01)
//! so the callback that pays it finds it.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;

use super::duty;
use crate::db::charges;
use crate::domain::business_date;
use crate::domain::charge::new_reference;
use crate::error::ApiError;
use crate::state::AppState;

/// How many times a reference is drawn again after a (50-bit, so astronomically rare) collision.
const REFERENCE_ATTEMPTS: usize = 3;

/// A charge to make: by whom, for which class, when, and for how long.
pub struct ChargeRequest<'a> {
    pub attendant_id: i64,
    pub vehicle_class: &'a str,
    pub at: DateTime<Utc>,
    pub ttl: Duration,
    /// A given reference (the demo's are deterministic); `None` draws a new one.
    pub reference: Option<&'a str>,
}

/// Makes a charge at the spot the attendant is on duty at, at the tariff in force then.
pub fn create(
    conn: &mut PgConnection,
    req: &ChargeRequest,
    tz: Tz,
) -> Result<charges::Charge, ApiError> {
    let terms = duty::terms_at(conn, req.attendant_id, req.vehicle_class, req.at)?;
    let mut last_err = None;
    for _ in 0..REFERENCE_ATTEMPTS {
        let reference = match req.reference {
            Some(r) => r.to_owned(),
            None => new_reference(business_date(req.at, tz)),
        };
        let payload = super::qr::charge_payload(&terms.ctx, terms.amount, &reference)?;
        let new = charges::NewCharge {
            reference: &reference,
            attendant_id: req.attendant_id,
            spot_id: terms.ctx.spot.id,
            zone_version_id: terms.version.id,
            vehicle_class: req.vehicle_class,
            amount: terms.amount,
            payload: &payload,
            created_at: req.at,
            expires_at: req.at + req.ttl,
        };
        match charges::insert_charge(conn, &new) {
            Ok(charge) => return Ok(charge),
            Err(e) if req.reference.is_some() => return Err(e.into()),
            Err(e) => last_err = Some(ApiError::from(e)),
        }
    }
    Err(last_err.unwrap_or_else(|| ApiError::internal(anyhow::anyhow!("no reference"))))
}

/// A new charge by the attendant now (`POST /me/charges`).
pub async fn create_now(
    state: &AppState,
    attendant_id: i64,
    vehicle_class: String,
) -> Result<charges::Charge, ApiError> {
    let ttl = Duration::from_std(state.charge_ttl).map_err(ApiError::internal)?;
    let tz = state.timezone();
    super::run(&state.pool, move |conn| {
        let req = ChargeRequest {
            attendant_id,
            vehicle_class: &vehicle_class,
            at: Utc::now(),
            ttl,
            reference: None,
        };
        create(conn, &req, tz)
    })
    .await
}

/// One of the attendant's own charges; 404 for anyone else's.
pub async fn mine(
    state: &AppState,
    attendant_id: i64,
    id: i64,
) -> Result<charges::Charge, ApiError> {
    super::run(&state.pool, move |conn| {
        duty::active_attendant(conn, attendant_id)?;
        charges::find_charge_of(conn, attendant_id, id)?
            .ok_or_else(|| ApiError::NotFound(format!("charge {id} does not exist")))
    })
    .await
}
