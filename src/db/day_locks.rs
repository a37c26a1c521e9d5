//! Advisory locks per business date: recording a payment holds its dates shared, closing a day
//! or storing roll-ups holds them exclusively.

use chrono::NaiveDate;
use diesel::prelude::*;

/// The advisory-lock class of business dates: closing a day holds its date exclusively, every
/// write of a payment holds the dates it touches shared, so a payment lands either before the
/// close's snapshot (in the frozen rows) or after its commit (flagged `late`), never between.
pub const DATE_LOCK_CLASS: i32 = 0x7061_726b; // "park"

fn date_key(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

/// Holds `dates` shared until the transaction ends (recording a payment).
pub fn lock_dates_shared(conn: &mut PgConnection, dates: &[NaiveDate]) -> QueryResult<()> {
    let mut keys: Vec<i32> = dates.iter().copied().map(date_key).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "SELECT pg_advisory_xact_lock_shared($1, k) FROM unnest($2::int4[]) AS k ORDER BY k",
    )
    .bind::<diesel::sql_types::Int4, _>(DATE_LOCK_CLASS)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Int4>, _>(keys)
    .execute(conn)
    .map(|_| ())
}

/// Holds `date` exclusively until the transaction ends (closing the day).
/// Holds `dates` exclusively until the transaction ends (storing their roll-ups), in the same
/// order writers take them shared.
pub fn lock_dates_exclusive(conn: &mut PgConnection, dates: &[NaiveDate]) -> QueryResult<()> {
    let mut keys: Vec<i32> = dates.iter().copied().map(date_key).collect();
    keys.sort_unstable();
    keys.dedup();
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k ORDER BY k")
        .bind::<diesel::sql_types::Int4, _>(DATE_LOCK_CLASS)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Int4>, _>(keys)
        .execute(conn)
        .map(|_| ())
}

pub fn lock_date_exclusive(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<diesel::sql_types::Int4, _>(DATE_LOCK_CLASS)
        .bind::<diesel::sql_types::Int4, _>(date_key(date))
        .execute(conn)
        .map(|_| ())
}
