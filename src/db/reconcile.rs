//! The queries behind the daily reconciliation and the day's close. The heavy one is a single
//! aggregate over the day's payments; the rest are small.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Int4, Int8, Nullable, Text, Timestamptz};

use super::schema::reconciliation_closes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::day_inputs::inputs_of_days;
use crate::reconcile::daily::{Frozen, Row, Totals, assemble, rows_of_day};

/// The rows and totals of many business days at once (the dashboard's series, the monthly
/// recap): closed days from their frozen rows, the others computed from one aggregate over all
/// of them; each day exactly as its daily report shows it.
pub fn rows_of_days(
    conn: &mut PgConnection,
    dates: &[NaiveDate],
    zone_id: Option<i64>,
    tz: chrono_tz::Tz,
) -> QueryResult<Vec<(NaiveDate, Vec<Row>, Totals)>> {
    let mut frozen: HashMap<NaiveDate, Frozen> = HashMap::new();
    for close in reconciliation_closes::table
        .filter(reconciliation_closes::business_date.eq_any(dates))
        .select(Close::as_select())
        .load(conn)?
    {
        let rows: Frozen = serde_json::from_value(close.snapshot)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        frozen.insert(close.business_date, rows);
    }
    let open: Vec<(NaiveDate, DateTime<Utc>, DateTime<Utc>)> = dates
        .iter()
        .filter(|d| !frozen.contains_key(d))
        .map(|d| {
            let (start, end) = crate::domain::time::day_bounds(*d, tz);
            (*d, start, end)
        })
        .collect();
    let today = crate::domain::business_date(Utc::now(), tz);
    let mut inputs = inputs_of_days(conn, &open, zone_id, today)?;
    let mut out = Vec::with_capacity(dates.len());
    for date in dates {
        let (rows, totals) = rows_of_day(frozen.remove(date), zone_id, || {
            Ok::<_, diesel::result::Error>(assemble(&inputs.remove(date).unwrap_or_default()))
        })?;
        out.push((*date, rows, totals));
    }
    Ok(out)
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = reconciliation_closes)]
pub struct Close {
    pub business_date: NaiveDate,
    pub closed_at: DateTime<Utc>,
    pub closed_by: String,
    pub snapshot: serde_json::Value,
}

pub fn find_close(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<Option<Close>> {
    reconciliation_closes::table
        .find(date)
        .select(Close::as_select())
        .first(conn)
        .optional()
}

/// Whether a business day is closed: what arrives for it from now on is `late`.
pub fn is_closed(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        reconciliation_closes::table.filter(reconciliation_closes::business_date.eq(date)),
    ))
    .get_result(conn)
}

/// Inserts the close; a second close of the same day violates the primary key (409).
pub fn insert_close(
    conn: &mut PgConnection,
    date: NaiveDate,
    closed_by: &str,
    snapshot: &serde_json::Value,
) -> QueryResult<Close> {
    diesel::insert_into(reconciliation_closes::table)
        .values((
            reconciliation_closes::business_date.eq(date),
            reconciliation_closes::closed_by.eq(closed_by),
            reconciliation_closes::snapshot.eq(snapshot),
        ))
        .returning(Close::as_returning())
        .get_result(conn)
}

#[derive(QueryableByName)]
pub struct Adjustment {
    #[diesel(sql_type = Int8)]
    pub payment_id: i64,
    #[diesel(sql_type = Text)]
    pub gateway_txn_id: String,
    #[diesel(sql_type = Nullable<Int8>)]
    pub attendant_id: Option<i64>,
    #[diesel(sql_type = Int8)]
    pub amount: i64,
    #[diesel(sql_type = Timestamptz)]
    pub paid_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Array<Nullable<Text>>)]
    pub flags: Vec<Option<String>>,
}

/// Payments of a closed day that arrived (or changed) after it closed.
pub fn adjustments(
    conn: &mut PgConnection,
    date: NaiveDate,
    zone_id: Option<i64>,
) -> QueryResult<Vec<Adjustment>> {
    diesel::sql_query(
        "SELECT p.id AS payment_id, p.gateway_txn_id, p.attendant_id, p.amount, p.paid_at, p.status, p.flags
         FROM payments p
         WHERE p.business_date = $1 AND cardinality(p.flags) > 0 AND 'late' = ANY(p.flags)
           AND ($2::bigint IS NULL OR p.spot_id IN (SELECT id FROM spots WHERE zone_id = $2))
         ORDER BY p.id",
    )
    .bind::<Date, _>(date)
    .bind::<Nullable<Int8>, _>(zone_id)
    .load(conn)
}

/// One attendant's paid payments of a day under one share version, cash or not.
#[derive(QueryableByName)]
pub struct DayGroup {
    #[diesel(sql_type = Nullable<Int4>)]
    pub share_bps: Option<i32>,
    #[diesel(sql_type = Bool)]
    pub cash: bool,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
    #[diesel(sql_type = BigInt)]
    pub amount: i64,
}

/// One attendant's paid payments of a day, by share version and cash/non-cash.
pub fn attendant_day(
    conn: &mut PgConnection,
    attendant_id: i64,
    date: NaiveDate,
) -> QueryResult<Vec<DayGroup>> {
    diesel::sql_query(
        "SELECT attendant_share_bps AS share_bps, (source = 'cash') AS cash, count(*) AS n,
                sum(amount)::bigint AS amount
         FROM payments WHERE attendant_id = $1 AND business_date = $2 AND status = 'paid'
         GROUP BY 1, 2",
    )
    .bind::<Int8, _>(attendant_id)
    .bind::<Date, _>(date)
    .load(conn)
}

/// The daily reconciliation as the API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"date": "2026-11-30", "timezone": "Asia/Jakarta", "zone_id": 1, "closed": false, "rows": [{"attendant_id": 1, "name": "Ahmad Fauzi", "spots": ["JMB-PSR-001"], "tx_count": 67, "noncash_gross": 123000, "cash_gross": 33000, "gross": 156000, "fees": 0, "attendant_share": 93600, "city_share": 62400, "target": 140000, "shortfall": 0, "flags": [], "zone_ids": [1]}], "totals": {"tx_count": 385, "noncash_gross": 713000, "cash_gross": 184000, "gross": 897000, "fees": 0, "attendant_share": 538200, "city_share": 358800, "target": 700000, "shortfall": 0}, "adjustments": []}))]
pub struct Report {
    pub date: NaiveDate,
    pub timezone: String,
    pub zone_id: Option<i64>,
    pub closed: bool,
    /// Whether the day has ended in the city's time zone and is still open: only then can it
    /// be closed (SPEC §8), and only then does the console offer to.
    pub closable: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    pub rows: Vec<Row>,
    pub totals: Totals,
    pub adjustments: Vec<AdjustmentView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AdjustmentView {
    pub payment_id: i64,
    pub gateway_txn_id: String,
    pub attendant_id: Option<i64>,
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
    pub status: String,
    pub flags: Vec<String>,
}

/// The day's report: the frozen rows of a closed day, or rows computed now; with the
/// adjustments (payments that arrived after the close).
pub fn daily_report(
    conn: &mut PgConnection,
    date: NaiveDate,
    zone_id: Option<i64>,
    tz: chrono_tz::Tz,
) -> QueryResult<Report> {
    let close = find_close(conn, date)?;
    let frozen = match &close {
        Some(c) => Some(
            serde_json::from_value::<Frozen>(c.snapshot.clone())
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
        ),
        None => None,
    };
    let (rows, totals) = rows_of_day(frozen, zone_id, || {
        let day = crate::domain::time::day_bounds(date, tz);
        let today = crate::domain::business_date(Utc::now(), tz);
        let mut inputs = inputs_of_days(conn, &[(date, day.0, day.1)], zone_id, today)?;
        Ok::<_, diesel::result::Error>(assemble(&inputs.remove(&date).unwrap_or_default()))
    })?;
    let adjustments = adjustments(conn, date, zone_id)?
        .into_iter()
        .map(|a| AdjustmentView {
            payment_id: a.payment_id,
            gateway_txn_id: a.gateway_txn_id,
            attendant_id: a.attendant_id,
            amount: a.amount,
            paid_at: a.paid_at,
            status: a.status,
            flags: a.flags.into_iter().flatten().collect(),
        })
        .collect();
    Ok(Report {
        date,
        timezone: tz.name().to_owned(),
        zone_id,
        closed: close.is_some(),
        // The use case says whether the day has ended (services::reconciliation).
        closable: false,
        closed_at: close.as_ref().map(|c| c.closed_at),
        closed_by: close.map(|c| c.closed_by),
        rows,
        totals,
        adjustments,
    })
}

/// Closes a day: freezes its rows with who and when. `None` when the day was closed already
/// (nothing written).
pub fn close_day(
    conn: &mut PgConnection,
    date: NaiveDate,
    closed_by: &str,
    tz: chrono_tz::Tz,
) -> QueryResult<Option<Report>> {
    conn.transaction(|conn| {
        // Wait for payments of this date being written; later ones see the close.
        super::day_locks::lock_date_exclusive(conn, date)?;
        if find_close(conn, date)?.is_some() {
            return Ok(None);
        }
        let live = daily_report(conn, date, None, tz)?;
        let frozen = serde_json::to_value(Frozen {
            rows: live.rows,
            totals: live.totals,
        })
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        insert_close(conn, date, closed_by, &frozen)?;
        daily_report(conn, date, None, tz).map(Some)
    })
}
