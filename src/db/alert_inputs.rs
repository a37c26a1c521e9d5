//! The reads behind the leakage signals of one business date, in four statements: the
//! history's paid payments per subject and local hour, the assignments of the window, the
//! evaluated day's payments, and the attendants' reconciliation rows of the history. The pure
//! assembly (duty minutes per hour, the day to the minute) is `reconcile::alerts::input`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Int4, Int8, Nullable, Text, Timestamptz};

use crate::reconcile::alerts::ShortfallDay;
use crate::reconcile::alerts::input::{Duty, HISTORY_DAYS, HourTally, Paid, Reads, Window};

#[derive(QueryableByName)]
struct HourRow {
    #[diesel(sql_type = Bool)]
    by_spot: bool,
    #[diesel(sql_type = Int8)]
    subject: i64,
    #[diesel(sql_type = Date)]
    business_date: NaiveDate,
    #[diesel(sql_type = Int4)]
    hour: i32,
    #[diesel(sql_type = Int8)]
    noncash: i64,
    #[diesel(sql_type = Int8)]
    cash: i64,
}

/// Paid payments of the history per (spot or attendant, date, local hour).
const HOURS_SQL: &str = "
    SELECT by_spot, subject, business_date, hour,
           count(*) FILTER (WHERE source <> 'cash') AS noncash,
           count(*) FILTER (WHERE source = 'cash') AS cash
    FROM (SELECT business_date, source,
                 extract(hour FROM paid_at AT TIME ZONE $3)::int AS hour, spot_id, attendant_id
          FROM payments
          WHERE business_date >= $1 AND business_date < $2 AND status = 'paid') p
    CROSS JOIN LATERAL (VALUES (true, p.spot_id), (false, p.attendant_id)) s(by_spot, subject)
    WHERE subject IS NOT NULL
    GROUP BY 1, 2, 3, 4";

#[derive(QueryableByName)]
struct PaidRow {
    #[diesel(sql_type = Nullable<Int8>)]
    spot_id: Option<i64>,
    #[diesel(sql_type = Nullable<Int8>)]
    attendant_id: Option<i64>,
    #[diesel(sql_type = Bool)]
    cash: bool,
    #[diesel(sql_type = Timestamptz)]
    paid_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct DutyRow {
    #[diesel(sql_type = Int8)]
    attendant_id: i64,
    #[diesel(sql_type = Int8)]
    spot_id: i64,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    ends_at: Option<DateTime<Utc>>,
}

/// What the signals of the window's date read; shortfall streaks only once the day has ended.
pub fn read(conn: &mut PgConnection, w: &Window, tz: Tz) -> QueryResult<Reads> {
    let hours = diesel::sql_query(HOURS_SQL)
        .bind::<Date, _>(w.first)
        .bind::<Date, _>(w.date)
        .bind::<Text, _>(tz.name())
        .load::<HourRow>(conn)?
        .into_iter()
        .map(|r| HourTally {
            by_spot: r.by_spot,
            subject: r.subject,
            date: r.business_date,
            hour: r.hour,
            noncash: r.noncash,
            cash: r.cash,
        })
        .collect();
    let duties = diesel::sql_query(
        "SELECT attendant_id, spot_id, starts_at, ends_at FROM assignments
         WHERE starts_at < $2 AND (ends_at IS NULL OR ends_at > $1)",
    )
    .bind::<Timestamptz, _>(w.history_start)
    .bind::<Timestamptz, _>(w.until)
    .load::<DutyRow>(conn)?
    .into_iter()
    .map(|d| Duty {
        attendant_id: d.attendant_id,
        spot_id: d.spot_id,
        starts_at: d.starts_at,
        ends_at: d.ends_at,
    })
    .collect();
    let paid = diesel::sql_query(
        "SELECT spot_id, attendant_id, source = 'cash' AS cash, paid_at FROM payments
         WHERE business_date = $1 AND status = 'paid' AND paid_at < $2",
    )
    .bind::<Date, _>(w.date)
    .bind::<Timestamptz, _>(w.until)
    .load::<PaidRow>(conn)?
    .into_iter()
    .map(|p| Paid {
        spot_id: p.spot_id,
        attendant_id: p.attendant_id,
        cash: p.cash,
        paid_at: p.paid_at,
    })
    .collect();
    let shortfalls = if w.day_has_ended() {
        shortfalls(conn, w.date, tz)?
    } else {
        vec![]
    };
    Ok(Reads {
        hours,
        duties,
        paid,
        shortfalls,
    })
}

/// Per attendant with a row on `date`, its rows of the history in the daily reconciliation
/// (closed days frozen), oldest first. A row is a day with payments or with duty (SPEC §8), so
/// a day on duty with nothing recorded is a duty day with its whole target short.
fn shortfalls(
    conn: &mut PgConnection,
    date: NaiveDate,
    tz: Tz,
) -> QueryResult<Vec<(i64, Vec<ShortfallDay>)>> {
    let dates: Vec<NaiveDate> = (0..HISTORY_DAYS)
        .rev()
        .map(|back| date - Duration::days(back))
        .collect();
    let days = super::reconcile::rows_of_days(conn, &dates, None, tz)?;
    let on_date: std::collections::HashSet<i64> = days
        .last()
        .map(|(_, rows, _)| rows.iter().filter_map(|r| r.attendant_id).collect())
        .unwrap_or_default();
    let mut per: HashMap<i64, Vec<ShortfallDay>> = HashMap::new();
    for (day, rows, _) in days {
        for r in rows {
            let Some(a) = r.attendant_id.filter(|a| on_date.contains(a)) else {
                continue;
            };
            per.entry(a).or_default().push(ShortfallDay {
                date: day,
                gross: r.gross,
                target: r.target,
                shortfall: r.shortfall,
            });
        }
    }
    let mut out: Vec<_> = per.into_iter().collect();
    out.sort_unstable_by_key(|(a, _)| *a);
    Ok(out)
}
