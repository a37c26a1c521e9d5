//! The daily reconciliation: a day's report (frozen once closed, live before; the decision is
//! `reconcile::daily::rows_of_day`) and closing a day.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;

use crate::db::{self, reconcile::Report};
use crate::domain::time::day_has_ended;
use crate::error::ApiError;
use crate::state::AppState;

/// The report of `date`, of one zone when `zone_id` is given (404 for an unknown zone).
pub fn daily_report(
    conn: &mut PgConnection,
    date: NaiveDate,
    zone_id: Option<i64>,
    tz: Tz,
) -> Result<Report, ApiError> {
    if let Some(z) = zone_id {
        db::zones::find_zone(conn, z)?
            .ok_or_else(|| ApiError::NotFound(format!("zone {z} does not exist")))?;
    }
    let mut report = db::reconcile::daily_report(conn, date, zone_id, tz)?;
    report.closable = !report.closed && day_has_ended(date, Utc::now(), tz);
    Ok(report)
}

/// Freezes the day's rows; later payments of that date become its adjustments. Only a day that
/// has ended in the city's time zone can be closed: today's attendants are still working, and
/// what they record after a close would only be adjustments (SPEC §8). A day still running or
/// not begun, and a day already closed, are a 409.
pub fn close_day(
    conn: &mut PgConnection,
    date: NaiveDate,
    closed_by: &str,
    tz: Tz,
) -> Result<Report, ApiError> {
    if !day_has_ended(date, Utc::now(), tz) {
        return Err(ApiError::conflict(
            Some("date"),
            format!(
                "{date} has not ended yet in {}: a day can be closed from 00:00 of the next day",
                tz.name()
            ),
        ));
    }
    let closed_by = db::users::actor_name(conn, closed_by)?;
    db::reconcile::close_day(conn, date, &closed_by, tz)?
        .ok_or_else(|| ApiError::conflict(Some("date"), format!("{date} is already closed")))
}

/// The report of `date`: a day that has ended is a pure read a standby may serve (SPEC §18);
/// today's (and a day not begun) stays with the primary, whose rows are the live ones.
pub async fn report(
    state: &AppState,
    date: NaiveDate,
    zone_id: Option<i64>,
) -> Result<Report, ApiError> {
    let tz = state.timezone();
    let work = move |conn: &mut PgConnection| daily_report(conn, date, zone_id, tz);
    if day_has_ended(date, Utc::now(), tz) {
        super::read(state, work).await
    } else {
        super::run(&state.pool, work).await
    }
}

pub async fn close(
    state: &AppState,
    date: NaiveDate,
    closed_by: String,
) -> Result<Report, ApiError> {
    let tz = state.timezone();
    super::run(&state.pool, move |conn| {
        close_day(conn, date, &closed_by, tz)
    })
    .await
}
