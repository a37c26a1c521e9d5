//! Cash: a paper ticket the attendant hands over, recorded as a paid payment at the spot on duty
//! with the zone terms in force (never through a gateway). A ticket for a day already closed is
//! flagged `late` like any other late payment.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;

use super::duty;
use crate::db::payments;
use crate::domain::business_date;
use crate::domain::charge::new_reference;
use crate::error::ApiError;
use crate::state::AppState;

/// A cash ticket to record.
pub struct CashTicket<'a> {
    pub attendant_id: i64,
    pub vehicle_class: &'a str,
    pub paid_at: DateTime<Utc>,
    /// A given ticket id (the demo's are deterministic); `None` draws `CASH-<reference>`.
    pub txn_id: Option<&'a str>,
    /// The phone's reference of a tap made offline: the same one again is the same payment.
    pub client_ref: Option<&'a str>,
}

/// The most a tap may be back-dated (a phone offline for a day) and forward-dated (a phone
/// clock a little fast), SPEC §11.2.
pub const RECORDED_AT_MAX_AGE: chrono::Duration = chrono::Duration::hours(24);
pub const RECORDED_AT_MAX_AHEAD: chrono::Duration = chrono::Duration::minutes(2);

/// When a tap was made, as its phone says; refused beyond the limits above.
pub fn check_recorded_at(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if at < now - RECORDED_AT_MAX_AGE {
        return Err("must be at most 24 hours old".into());
    }
    if at > now + RECORDED_AT_MAX_AHEAD {
        return Err("must be at most 2 minutes in the future".into());
    }
    Ok(at)
}

/// Whether a cash answer is a new payment or the one a repeated `client_ref` already made.
pub enum Recorded {
    New(payments::Payment),
    Again(payments::Payment),
}

pub fn record(
    conn: &mut PgConnection,
    ticket: &CashTicket,
    tz: Tz,
) -> Result<payments::Payment, ApiError> {
    let terms = duty::terms_at(
        conn,
        ticket.attendant_id,
        ticket.vehicle_class,
        ticket.paid_at,
    )?;
    let date = business_date(ticket.paid_at, tz);
    let txn_id = match ticket.txn_id {
        Some(id) => id.to_owned(),
        None => format!("CASH-{}", new_reference(date)),
    };
    Ok(payments::insert_cash(
        conn,
        &payments::NewCash {
            txn_id: &txn_id,
            amount: terms.amount,
            paid_at: ticket.paid_at,
            business_date: date,
            spot_id: terms.ctx.spot.id,
            attendant_id: ticket.attendant_id,
            zone_version_id: terms.version.id,
            attendant_share_bps: terms.version.attendant_share_bps,
            vehicle_class: ticket.vehicle_class,
            client_ref: ticket.client_ref,
        },
    )?)
}

/// A cash tap from the attendant's phone (`POST /me/cash`): made now, or offline at
/// `recorded_at`. A `client_ref` sent before answers the payment it made, never a second one
/// (a race of two sends ends the same way: the unique index decides).
pub async fn record_tap(
    state: &AppState,
    attendant_id: i64,
    vehicle_class: String,
    recorded_at: Option<DateTime<Utc>>,
    client_ref: Option<String>,
) -> Result<Recorded, ApiError> {
    let tz = state.timezone();
    super::run(&state.pool, move |conn| {
        duty::active_attendant(conn, attendant_id)?;
        if let Some(r) = client_ref.as_deref()
            && let Some(first) = payments::cash_by_client_ref(conn, attendant_id, r)?
        {
            return Ok(Recorded::Again(first));
        }
        let ticket = CashTicket {
            attendant_id,
            vehicle_class: &vehicle_class,
            paid_at: recorded_at.unwrap_or_else(Utc::now),
            txn_id: None,
            client_ref: client_ref.as_deref(),
        };
        match record(conn, &ticket, tz) {
            Ok(p) => Ok(Recorded::New(p)),
            Err(ApiError::Conflict { field: Some(f), .. }) if f == "client_ref" => {
                let r = client_ref.as_deref().unwrap_or_default();
                payments::cash_by_client_ref(conn, attendant_id, r)?
                    .map(Recorded::Again)
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("client_ref race")))
            }
            Err(e) => Err(e),
        }
    })
    .await
}
