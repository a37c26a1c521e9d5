//! What the leakage signals look at for one business date (`reconcile::alerts::DayInput`): per
//! spot and per attendant, the payments and the duty minutes of the previous weeks counted per
//! local hour, and the evaluated day to the minute, read with four statements.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Int4, Int8, Nullable, Text, Timestamptz};

use crate::domain::time::day_bounds;
use crate::reconcile::alerts::{
    DayDetail, DayInput, HourCounts, MINUTES, ShortfallDay, SubjectDay,
};

/// Calendar days of history read (a baseline of 28 duty days fits with days off).
pub const HISTORY_DAYS: i64 = 42;

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

/// The local minute of `at` within the business day starting at `start` (0..=1440).
fn minute_of(at: DateTime<Utc>, start: DateTime<Utc>, tz: Tz) -> u16 {
    if at <= start {
        return 0;
    }
    if at - start >= Duration::days(1) {
        return MINUTES;
    }
    let local = at.with_timezone(&tz);
    (local.hour() * 60 + local.minute()) as u16
}

/// The inputs of `date` with what happened before `now`. `as_if_over` evaluates the day
/// signals too, over the duty and payments so far (`POST /alerts/evaluate` on today); a day
/// that has ended is always over. Shortfall streaks are read only for ended days.
pub fn day_input(
    conn: &mut PgConnection,
    date: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
    as_if_over: bool,
) -> QueryResult<DayInput> {
    let first = date - Duration::days(HISTORY_DAYS);
    let (history_start, _) = day_bounds(first, tz);
    let (day_start, day_end) = day_bounds(date, tz);
    let until = now.min(day_end);
    let now_minute = if now >= day_end || as_if_over {
        MINUTES
    } else {
        minute_of(now, day_start, tz)
    };

    // History, per local hour.
    let mut spot_days: HashMap<i64, HashMap<NaiveDate, HourCounts>> = HashMap::new();
    let mut attendant_days: HashMap<i64, HashMap<NaiveDate, HourCounts>> = HashMap::new();
    for r in diesel::sql_query(HOURS_SQL)
        .bind::<Date, _>(first)
        .bind::<Date, _>(date)
        .bind::<Text, _>(tz.name())
        .load::<HourRow>(conn)?
    {
        let map = if r.by_spot {
            &mut spot_days
        } else {
            &mut attendant_days
        };
        let c = map
            .entry(r.subject)
            .or_default()
            .entry(r.business_date)
            .or_insert_with(|| HourCounts::empty(r.business_date));
        let h = r.hour.clamp(0, 23) as usize;
        c.noncash[h] += r.noncash as u32;
        c.cash[h] += r.cash as u32;
    }

    // Duty: the minutes of every assignment, per day of the history, per local hour; and the
    // evaluated day's periods to the minute.
    let duties = diesel::sql_query(
        "SELECT attendant_id, spot_id, starts_at, ends_at FROM assignments
         WHERE starts_at < $2 AND (ends_at IS NULL OR ends_at > $1)",
    )
    .bind::<Timestamptz, _>(history_start)
    .bind::<Timestamptz, _>(until)
    .load::<DutyRow>(conn)?;
    let mut spot_today: HashMap<i64, DayDetail> = HashMap::new();
    let mut attendant_today: HashMap<i64, DayDetail> = HashMap::new();
    let empty = |date| DayDetail {
        date,
        duty: vec![],
        noncash_at: vec![],
        cash_at: vec![],
    };
    for d in &duties {
        let mut day = first;
        while day <= date {
            let (start, end) = day_bounds(day, tz);
            let end = if day == date { until } else { end };
            let (a, b) = (d.starts_at.max(start), d.ends_at.unwrap_or(end).min(end));
            if a < b {
                let (from, to) = (minute_of(a, start, tz), minute_of(b, start, tz).max(1));
                if day == date {
                    for map in [
                        spot_today.entry(d.spot_id).or_insert_with(|| empty(date)),
                        attendant_today
                            .entry(d.attendant_id)
                            .or_insert_with(|| empty(date)),
                    ] {
                        map.duty.push((from, to));
                    }
                } else {
                    for (map, id) in [
                        (&mut spot_days, d.spot_id),
                        (&mut attendant_days, d.attendant_id),
                    ] {
                        let c = map
                            .entry(id)
                            .or_default()
                            .entry(day)
                            .or_insert_with(|| HourCounts::empty(day));
                        for m in from..to {
                            let h = usize::from(m / 60).min(23);
                            c.duty_minutes[h] = (c.duty_minutes[h] + 1).min(60);
                        }
                    }
                }
            }
            day += Duration::days(1);
        }
    }

    // The evaluated day, to the minute.
    for p in diesel::sql_query(
        "SELECT spot_id, attendant_id, source = 'cash' AS cash, paid_at FROM payments
         WHERE business_date = $1 AND status = 'paid' AND paid_at < $2",
    )
    .bind::<Date, _>(date)
    .bind::<Timestamptz, _>(until)
    .load::<PaidRow>(conn)?
    {
        let m = minute_of(p.paid_at, day_start, tz).min(MINUTES - 1);
        for (map, id) in [
            (&mut spot_today, p.spot_id),
            (&mut attendant_today, p.attendant_id),
        ] {
            let Some(id) = id else { continue };
            let d = map.entry(id).or_insert_with(|| empty(date));
            if p.cash {
                d.cash_at.push(m);
            } else {
                d.noncash_at.push(m);
            }
        }
    }

    let subjects = |today: HashMap<i64, DayDetail>,
                    mut history: HashMap<i64, HashMap<NaiveDate, HourCounts>>| {
        let mut out: Vec<SubjectDay> = today
            .into_iter()
            .map(|(id, mut day)| {
                day.duty.sort_unstable();
                day.noncash_at.sort_unstable();
                day.cash_at.sort_unstable();
                let mut h: Vec<HourCounts> = history
                    .remove(&id)
                    .unwrap_or_default()
                    .into_values()
                    .collect();
                h.sort_unstable_by_key(|c| std::cmp::Reverse(c.date));
                SubjectDay {
                    id,
                    history: h,
                    day,
                }
            })
            .collect();
        out.sort_unstable_by_key(|s| s.id);
        out
    };
    let spots = subjects(spot_today, spot_days);
    let attendants = subjects(attendant_today, attendant_days);
    let shortfalls = if now >= day_end {
        shortfalls(conn, date, tz)?
    } else {
        vec![]
    };
    Ok(DayInput {
        date,
        now: now_minute,
        spots,
        attendants,
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
