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
        },
    )?)
}

/// A cash ticket by the attendant now (`POST /me/cash`).
pub async fn record_now(
    state: &AppState,
    attendant_id: i64,
    vehicle_class: String,
) -> Result<payments::Payment, ApiError> {
    let tz = state.timezone;
    super::run(&state.pool, move |conn| {
        let ticket = CashTicket {
            attendant_id,
            vehicle_class: &vehicle_class,
            paid_at: Utc::now(),
            txn_id: None,
        };
        record(conn, &ticket, tz)
    })
    .await
}
