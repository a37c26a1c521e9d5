//! The queries behind the daily reconciliation and the day's close. The heavy one is a single
//! aggregate over the day's payments; the rest are small.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Int4, Int8, Nullable, Text, Timestamptz};

use super::schema::{reconciliation_closes, spots};
use super::zones;
use crate::domain::PaymentFlag;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::reconcile::daily::{
    Frozen, Inputs, PaymentAggregate, Row, SpotOfDay, Totals, assemble, rows_of_day,
};

/// (attendant, spot, share version): the groups of [`AGGREGATE_SQL`].
type GroupKey = (Option<i64>, Option<i64>, Option<i32>);

#[derive(QueryableByName)]
struct AggregateRow {
    #[diesel(sql_type = Nullable<Int8>)]
    attendant_id: Option<i64>,
    #[diesel(sql_type = Nullable<Int8>)]
    spot_id: Option<i64>,
    #[diesel(sql_type = Nullable<Int4>)]
    share_bps: Option<i32>,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    n_cash: i64,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = BigInt)]
    amount_cash: i64,
    #[diesel(sql_type = BigInt)]
    fees: i64,
    #[diesel(sql_type = BigInt)]
    fees_cash: i64,
    #[diesel(sql_type = Bool)]
    not_a_tariff: bool,
    #[diesel(sql_type = Bool)]
    outside_duty: bool,
}

#[derive(QueryableByName)]
struct SpotRow {
    #[diesel(sql_type = Nullable<Int8>)]
    attendant_id: Option<i64>,
    #[diesel(sql_type = Int8)]
    spot_id: i64,
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Int8)]
    zone_id: i64,
}

impl From<SpotRow> for SpotOfDay {
    fn from(r: SpotRow) -> Self {
        Self {
            attendant_id: r.attendant_id,
            spot_id: r.spot_id,
            spot_code: r.code,
            zone_id: r.zone_id,
        }
    }
}

/// The aggregate the reconciliation stands on, in one pass over the day's paid payments: by
/// attendant, spot and share version, cash and non-cash side by side. Flags are left to
/// [`FLAGGED_SQL`]: the few flagged payments of a day are read through a partial index.
pub const AGGREGATE_SQL: &str = "
    SELECT attendant_id, spot_id, attendant_share_bps AS share_bps,
           count(*) AS n, count(*) FILTER (WHERE source = 'cash') AS n_cash,
           coalesce(sum(amount), 0)::bigint AS amount,
           coalesce(sum(amount) FILTER (WHERE source = 'cash'), 0)::bigint AS amount_cash,
           coalesce(sum(fee), 0)::bigint AS fees,
           coalesce(sum(fee) FILTER (WHERE source = 'cash'), 0)::bigint AS fees_cash,
           false AS not_a_tariff, false AS outside_duty
    FROM payments
    WHERE business_date = $1 AND status = 'paid'
    GROUP BY 1, 2, 3";

/// The same groups over the day's flagged payments only: what the flags say, and the `late`
/// ones (which belong to the adjustments, not the rows) to take back out.
/// The flags are bound from [`PaymentFlag`]: `$2` amount_not_a_tariff, `$3` outside_duty,
/// `$4` late.
pub const FLAGGED_SQL: &str = "
    SELECT attendant_id, spot_id, attendant_share_bps AS share_bps,
           count(*) FILTER (WHERE late) AS n,
           count(*) FILTER (WHERE late AND source = 'cash') AS n_cash,
           coalesce(sum(amount) FILTER (WHERE late), 0)::bigint AS amount,
           coalesce(sum(amount) FILTER (WHERE late AND source = 'cash'), 0)::bigint AS amount_cash,
           coalesce(sum(fee) FILTER (WHERE late), 0)::bigint AS fees,
           coalesce(sum(fee) FILTER (WHERE late AND source = 'cash'), 0)::bigint AS fees_cash,
           coalesce(bool_or($2 = ANY(flags)) FILTER (WHERE NOT late), false) AS not_a_tariff,
           coalesce(bool_or($3 = ANY(flags)) FILTER (WHERE NOT late), false) AS outside_duty
    FROM (SELECT *, $4 = ANY(flags) AS late FROM payments
          WHERE business_date = $1 AND status = 'paid' AND cardinality(flags) > 0) p
    GROUP BY 1, 2, 3";

/// Everything [`crate::reconcile::daily::assemble`] needs for one business day.
pub fn inputs(
    conn: &mut PgConnection,
    date: NaiveDate,
    day: (DateTime<Utc>, DateTime<Utc>),
    zone_id: Option<i64>,
) -> QueryResult<Inputs> {
    let mut groups: BTreeMap<GroupKey, AggregateRow> = BTreeMap::new();
    for r in diesel::sql_query(AGGREGATE_SQL)
        .bind::<Date, _>(date)
        .load::<AggregateRow>(conn)?
    {
        groups.insert((r.attendant_id, r.spot_id, r.share_bps), r);
    }
    for f in diesel::sql_query(FLAGGED_SQL)
        .bind::<Date, _>(date)
        .bind::<Text, _>(PaymentFlag::AmountNotATariff.as_str())
        .bind::<Text, _>(PaymentFlag::OutsideDuty.as_str())
        .bind::<Text, _>(PaymentFlag::Late.as_str())
        .load::<AggregateRow>(conn)?
    {
        if let Some(g) = groups.get_mut(&(f.attendant_id, f.spot_id, f.share_bps)) {
            g.n -= f.n;
            g.n_cash -= f.n_cash;
            g.amount -= f.amount;
            g.amount_cash -= f.amount_cash;
            g.fees -= f.fees;
            g.fees_cash -= f.fees_cash;
            g.not_a_tariff |= f.not_a_tariff;
            g.outside_duty |= f.outside_duty;
        }
    }
    let zone_of: HashMap<i64, (String, i64)> = spots::table
        .select((spots::id, spots::code, spots::zone_id))
        .load::<(i64, String, i64)>(conn)?
        .into_iter()
        .map(|(id, code, zone)| (id, (code, zone)))
        .collect();
    let mut paid_at_spots = Vec::new();
    let mut outside_duty_spots = BTreeSet::new();
    let mut aggregates = Vec::with_capacity(groups.len() * 2);
    for ((attendant_id, spot_id, share_bps), g) in groups {
        if g.n == 0 {
            continue;
        }
        let spot = spot_id.and_then(|s| zone_of.get(&s).map(|(code, zone)| (s, code, *zone)));
        if zone_id.is_some() && spot.map(|s| s.2) != zone_id {
            continue;
        }
        if let Some((spot_id, code, zone)) = spot {
            if attendant_id.is_none() && g.outside_duty {
                outside_duty_spots.insert(spot_id);
            }
            paid_at_spots.push(SpotOfDay {
                attendant_id,
                spot_id,
                spot_code: code.clone(),
                zone_id: zone,
            });
        }
        for (cash, count, amount, fees) in [
            (
                false,
                g.n - g.n_cash,
                g.amount - g.amount_cash,
                g.fees - g.fees_cash,
            ),
            (true, g.n_cash, g.amount_cash, g.fees_cash),
        ] {
            if count > 0 {
                aggregates.push(PaymentAggregate {
                    attendant_id,
                    share_bps,
                    cash,
                    count,
                    amount,
                    fees,
                    not_a_tariff: g.not_a_tariff,
                    outside_duty: g.outside_duty,
                });
            }
        }
    }
    let duties: Vec<SpotOfDay> = diesel::sql_query(
        "SELECT a.attendant_id, s.id AS spot_id, s.code, s.zone_id
         FROM assignments a JOIN spots s ON s.id = a.spot_id
         WHERE a.starts_at < $2 AND (a.ends_at IS NULL OR a.ends_at > $1)
           AND ($3::bigint IS NULL OR s.zone_id = $3)",
    )
    .bind::<Timestamptz, _>(day.0)
    .bind::<Timestamptz, _>(day.1)
    .bind::<Nullable<Int8>, _>(zone_id)
    .load::<SpotRow>(conn)?
    .into_iter()
    .map(SpotOfDay::from)
    .collect();
    let ids: Vec<i64> = duties
        .iter()
        .chain(&paid_at_spots)
        .filter_map(|s| s.attendant_id)
        .chain(
            aggregates
                .iter()
                .filter_map(|a: &PaymentAggregate| a.attendant_id),
        )
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = names_of(conn, &ids)?;
    let mut targets = HashMap::new();
    for zone in duties.iter().map(|d| d.zone_id).collect::<BTreeSet<_>>() {
        let target = zones::version_at(conn, zone, day.0)?
            .or(zones::versions_of(conn, zone)?.into_iter().next())
            .and_then(|v| v.daily_target);
        targets.insert(zone, target);
    }
    Ok(Inputs {
        aggregates,
        duties,
        paid_at_spots,
        names,
        targets,
        outside_duty_spots,
    })
}

/// Attendant names by id.
pub fn names_of(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    use super::schema::attendants;
    Ok(attendants::table
        .filter(attendants::id.eq_any(ids))
        .select((attendants::id, attendants::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
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
pub struct Report {
    pub date: NaiveDate,
    pub timezone: String,
    pub zone_id: Option<i64>,
    pub closed: bool,
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
        inputs(conn, date, day, zone_id).map(|i| assemble(&i))
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
        closed_at: close.as_ref().map(|c| c.closed_at),
        closed_by: close.map(|c| c.closed_by),
        rows,
        totals,
        adjustments,
    })
}

/// The advisory-lock class of business dates: closing a day holds its date exclusively, every
/// write of a payment holds the dates it touches shared, so a payment lands either before the
/// close's snapshot (in the frozen rows) or after its commit (flagged `late`), never between.
const DATE_LOCK_CLASS: i32 = 0x7061_726b; // "park"

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
fn lock_date_exclusive(conn: &mut PgConnection, date: NaiveDate) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<diesel::sql_types::Int4, _>(DATE_LOCK_CLASS)
        .bind::<diesel::sql_types::Int4, _>(date_key(date))
        .execute(conn)
        .map(|_| ())
}

/// Closes a day: freezes its rows with who and when. Closing twice is a 409.
pub fn close_day(
    conn: &mut PgConnection,
    date: NaiveDate,
    closed_by: &str,
    tz: chrono_tz::Tz,
) -> Result<Report, crate::error::ApiError> {
    conn.transaction(|conn| {
        // Wait for payments of this date being written; later ones see the close.
        lock_date_exclusive(conn, date)?;
        if find_close(conn, date)?.is_some() {
            return Err(crate::error::ApiError::conflict(
                Some("date"),
                format!("{date} is already closed"),
            ));
        }
        let live = daily_report(conn, date, None, tz)?;
        let frozen = serde_json::to_value(Frozen {
            rows: live.rows,
            totals: live.totals,
        })
        .map_err(crate::error::ApiError::internal)?;
        insert_close(conn, date, closed_by, &frozen)?;
        Ok(daily_report(conn, date, None, tz)?)
    })
}
