//! What the daily reconciliation stands on ([`Inputs`]), read for one business day or for many
//! at once with the same statements: one aggregate over the days' paid payments, one over the
//! few flagged ones, the duty periods overlapping each day, the names and the targets in force.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Int4, Int8, Nullable, Text, Timestamptz};

use super::schema::spots;
use super::zones;
use crate::domain::PaymentFlag;
use crate::reconcile::daily::{Inputs, PaymentAggregate, SpotOfDay};

/// (day, attendant, spot, share version): the groups of [`AGGREGATE_SQL`].
type GroupKey = (NaiveDate, Option<i64>, Option<i64>, Option<i32>);

#[derive(QueryableByName)]
struct AggregateRow {
    #[diesel(sql_type = Date)]
    business_date: NaiveDate,
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

/// The aggregate the reconciliation stands on, in one pass over the days' paid payments: by
/// day, attendant, spot and share version, cash and non-cash side by side. Flags are left to
/// [`FLAGGED_SQL`]: the few flagged payments are read through a partial index.
pub const AGGREGATE_SQL: &str = "
    SELECT business_date, attendant_id, spot_id, attendant_share_bps AS share_bps,
           count(*) AS n, count(*) FILTER (WHERE source = 'cash') AS n_cash,
           coalesce(sum(amount), 0)::bigint AS amount,
           coalesce(sum(amount) FILTER (WHERE source = 'cash'), 0)::bigint AS amount_cash,
           coalesce(sum(fee), 0)::bigint AS fees,
           coalesce(sum(fee) FILTER (WHERE source = 'cash'), 0)::bigint AS fees_cash,
           false AS not_a_tariff, false AS outside_duty
    FROM payments
    WHERE business_date = ANY($1) AND status = 'paid'
    GROUP BY 1, 2, 3, 4";

/// The same groups over the days' flagged payments only: what the flags say, and the `late`
/// ones (which belong to the adjustments, not the rows) to take back out. The flags are bound
/// from [`PaymentFlag`]: `$2` amount_not_a_tariff, `$3` outside_duty, `$4` late.
pub const FLAGGED_SQL: &str = "
    SELECT business_date, attendant_id, spot_id, attendant_share_bps AS share_bps,
           count(*) FILTER (WHERE late) AS n,
           count(*) FILTER (WHERE late AND source = 'cash') AS n_cash,
           coalesce(sum(amount) FILTER (WHERE late), 0)::bigint AS amount,
           coalesce(sum(amount) FILTER (WHERE late AND source = 'cash'), 0)::bigint AS amount_cash,
           coalesce(sum(fee) FILTER (WHERE late), 0)::bigint AS fees,
           coalesce(sum(fee) FILTER (WHERE late AND source = 'cash'), 0)::bigint AS fees_cash,
           coalesce(bool_or($2 = ANY(flags)) FILTER (WHERE NOT late), false) AS not_a_tariff,
           coalesce(bool_or($3 = ANY(flags)) FILTER (WHERE NOT late), false) AS outside_duty
    FROM (SELECT *, $4 = ANY(flags) AS late FROM payments
          WHERE business_date = ANY($1) AND status = 'paid' AND cardinality(flags) > 0) p
    GROUP BY 1, 2, 3, 4";

#[derive(QueryableByName)]
struct DutyRow {
    #[diesel(sql_type = Date)]
    business_date: NaiveDate,
    #[diesel(sql_type = Nullable<Int8>)]
    attendant_id: Option<i64>,
    #[diesel(sql_type = Int8)]
    spot_id: i64,
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Int8)]
    zone_id: i64,
}

#[derive(QueryableByName)]
struct TargetRow {
    #[diesel(sql_type = Date)]
    business_date: NaiveDate,
    #[diesel(sql_type = Int8)]
    zone_id: i64,
    #[diesel(sql_type = Nullable<Int8>)]
    version_id: Option<i64>,
    #[diesel(sql_type = Nullable<Int8>)]
    daily_target: Option<i64>,
}

/// The payment groups of `dates` computed from `payments`: the aggregate, less the late
/// payments, with what the flags say.
fn compute_groups(
    conn: &mut PgConnection,
    dates: &[NaiveDate],
) -> QueryResult<BTreeMap<GroupKey, AggregateRow>> {
    let mut groups: BTreeMap<GroupKey, AggregateRow> = BTreeMap::new();
    if dates.is_empty() {
        return Ok(groups);
    }
    for r in diesel::sql_query(AGGREGATE_SQL)
        .bind::<Array<Date>, _>(dates)
        .load::<AggregateRow>(conn)?
    {
        groups.insert((r.business_date, r.attendant_id, r.spot_id, r.share_bps), r);
    }
    for f in diesel::sql_query(FLAGGED_SQL)
        .bind::<Array<Date>, _>(dates)
        .bind::<Text, _>(PaymentFlag::AmountNotATariff.as_str())
        .bind::<Text, _>(PaymentFlag::OutsideDuty.as_str())
        .bind::<Text, _>(PaymentFlag::Late.as_str())
        .load::<AggregateRow>(conn)?
    {
        let key = (f.business_date, f.attendant_id, f.spot_id, f.share_bps);
        if let Some(g) = groups.get_mut(&key) {
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
    Ok(groups)
}

#[derive(QueryableByName)]
struct StoredDate {
    #[diesel(sql_type = Date)]
    business_date: NaiveDate,
}

/// Which of `dates` have their roll-ups stored.
fn stored_dates(conn: &mut PgConnection, dates: &[NaiveDate]) -> QueryResult<BTreeSet<NaiveDate>> {
    Ok(diesel::sql_query(
        "SELECT business_date FROM day_rollup_dates WHERE business_date = ANY($1)",
    )
    .bind::<Array<Date>, _>(dates)
    .load::<StoredDate>(conn)?
    .into_iter()
    .map(|d| d.business_date)
    .collect())
}

fn load_rollups(
    conn: &mut PgConnection,
    dates: &BTreeSet<NaiveDate>,
) -> QueryResult<Vec<AggregateRow>> {
    if dates.is_empty() {
        return Ok(Vec::new());
    }
    let dates: Vec<NaiveDate> = dates.iter().copied().collect();
    diesel::sql_query(
        "SELECT business_date, attendant_id, spot_id, share_bps, n, n_cash, amount, amount_cash,
                fees, fees_cash, not_a_tariff, outside_duty
         FROM day_rollups WHERE business_date = ANY($1)",
    )
    .bind::<Array<Date>, _>(dates)
    .load(conn)
}

fn store_rollups(
    conn: &mut PgConnection,
    dates: &[NaiveDate],
    groups: &BTreeMap<GroupKey, AggregateRow>,
) -> QueryResult<()> {
    diesel::sql_query("INSERT INTO day_rollup_dates (business_date) SELECT unnest($1::date[])")
        .bind::<Array<Date>, _>(dates)
        .execute(conn)?;
    let rows: Vec<&AggregateRow> = groups.values().collect();
    let col = |f: &dyn Fn(&AggregateRow) -> i64| rows.iter().map(|r| f(r)).collect::<Vec<i64>>();
    diesel::sql_query(
        "INSERT INTO day_rollups (business_date, attendant_id, spot_id, share_bps, n, n_cash,
                                  amount, amount_cash, fees, fees_cash, not_a_tariff, outside_duty)
         SELECT * FROM unnest($1::date[], $2::int8[], $3::int8[], $4::int4[], $5::int8[],
                              $6::int8[], $7::int8[], $8::int8[], $9::int8[], $10::int8[],
                              $11::bool[], $12::bool[])",
    )
    .bind::<Array<Date>, _>(rows.iter().map(|r| r.business_date).collect::<Vec<_>>())
    .bind::<Array<Nullable<Int8>>, _>(rows.iter().map(|r| r.attendant_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Int8>>, _>(rows.iter().map(|r| r.spot_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Int4>>, _>(rows.iter().map(|r| r.share_bps).collect::<Vec<_>>())
    .bind::<Array<Int8>, _>(col(&|r| r.n))
    .bind::<Array<Int8>, _>(col(&|r| r.n_cash))
    .bind::<Array<Int8>, _>(col(&|r| r.amount))
    .bind::<Array<Int8>, _>(col(&|r| r.amount_cash))
    .bind::<Array<Int8>, _>(col(&|r| r.fees))
    .bind::<Array<Int8>, _>(col(&|r| r.fees_cash))
    .bind::<Array<Bool>, _>(rows.iter().map(|r| r.not_a_tariff).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(rows.iter().map(|r| r.outside_duty).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(())
}

/// The payment groups of `dates`: read from the roll-ups where stored; the others computed,
/// and those before `today` stored for the next reader. Computing and storing happen under the
/// days' exclusive advisory lock (writers of a payment hold their dates shared), so a payment
/// is either in the stored roll-up or forgets it when it lands. A reader that may not write (a
/// standby, a read-only transaction: SPEC §18) computes the missing ones and stores nothing.
fn groups_of_days(
    conn: &mut PgConnection,
    dates: &[NaiveDate],
    today: NaiveDate,
) -> QueryResult<BTreeMap<GroupKey, AggregateRow>> {
    let stored = stored_dates(conn, dates)?;
    let mut groups: BTreeMap<GroupKey, AggregateRow> = load_rollups(conn, &stored)?
        .into_iter()
        .map(|r| ((r.business_date, r.attendant_id, r.spot_id, r.share_bps), r))
        .collect();
    let (past, live): (Vec<NaiveDate>, Vec<NaiveDate>) = dates
        .iter()
        .copied()
        .filter(|d| !stored.contains(d))
        .partition(|d| *d < today);
    if !past.is_empty() && super::replica::read_only(conn)? {
        groups.extend(compute_groups(conn, &past)?);
    } else if !past.is_empty() {
        let computed = conn.transaction(|conn| {
            super::day_locks::lock_dates_exclusive(conn, &past)?;
            // Another reader may have stored some of them meanwhile.
            let now_stored = stored_dates(conn, &past)?;
            let mut out: BTreeMap<GroupKey, AggregateRow> = load_rollups(conn, &now_stored)?
                .into_iter()
                .map(|r| ((r.business_date, r.attendant_id, r.spot_id, r.share_bps), r))
                .collect();
            let todo: Vec<NaiveDate> = past
                .iter()
                .copied()
                .filter(|d| !now_stored.contains(d))
                .collect();
            if !todo.is_empty() {
                let fresh = compute_groups(conn, &todo)?;
                store_rollups(conn, &todo, &fresh)?;
                out.extend(fresh);
            }
            Ok::<_, diesel::result::Error>(out)
        })?;
        groups.extend(computed);
    }
    groups.extend(compute_groups(conn, &live)?);
    Ok(groups)
}

/// The inputs of each day in `days` (date, start and end instant of the business day), of one
/// zone when `zone_id` is given.
pub fn inputs_of_days(
    conn: &mut PgConnection,
    days: &[(NaiveDate, DateTime<Utc>, DateTime<Utc>)],
    zone_id: Option<i64>,
    today: NaiveDate,
) -> QueryResult<BTreeMap<NaiveDate, Inputs>> {
    let mut out: BTreeMap<NaiveDate, Inputs> = BTreeMap::new();
    if days.is_empty() {
        return Ok(out);
    }
    let dates: Vec<NaiveDate> = days.iter().map(|d| d.0).collect();
    let starts: Vec<DateTime<Utc>> = days.iter().map(|d| d.1).collect();
    let ends: Vec<DateTime<Utc>> = days.iter().map(|d| d.2).collect();

    let groups = groups_of_days(conn, &dates, today)?;
    let zone_of: HashMap<i64, (String, i64)> = spots::table
        .select((spots::id, spots::code, spots::zone_id))
        .load::<(i64, String, i64)>(conn)?
        .into_iter()
        .map(|(id, code, zone)| (id, (code, zone)))
        .collect();
    for date in &dates {
        out.insert(*date, Inputs::default());
    }
    for ((date, attendant_id, spot_id, share_bps), g) in groups {
        if g.n == 0 {
            continue;
        }
        let spot = spot_id.and_then(|s| zone_of.get(&s).map(|(code, zone)| (s, code, *zone)));
        if zone_id.is_some() && spot.map(|s| s.2) != zone_id {
            continue;
        }
        let Some(day) = out.get_mut(&date) else {
            continue;
        };
        if let Some((spot_id, code, zone)) = spot {
            if attendant_id.is_none() && g.outside_duty {
                day.outside_duty_spots.insert(spot_id);
            }
            day.paid_at_spots.push(SpotOfDay {
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
                day.aggregates.push(PaymentAggregate {
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
    // Who was on duty during each day: a period overlapping [start, end).
    for r in diesel::sql_query(
        "SELECT d.business_date, a.attendant_id, s.id AS spot_id, s.code, s.zone_id
         FROM unnest($1::date[], $2::timestamptz[], $3::timestamptz[])
              AS d(business_date, starts, ends)
         JOIN assignments a ON a.starts_at < d.ends AND (a.ends_at IS NULL OR a.ends_at > d.starts)
         JOIN spots s ON s.id = a.spot_id
         WHERE ($4::bigint IS NULL OR s.zone_id = $4)",
    )
    .bind::<Array<Date>, _>(&dates)
    .bind::<Array<Timestamptz>, _>(&starts)
    .bind::<Array<Timestamptz>, _>(&ends)
    .bind::<Nullable<Int8>, _>(zone_id)
    .load::<DutyRow>(conn)?
    {
        if let Some(day) = out.get_mut(&r.business_date) {
            day.duties.push(SpotOfDay {
                attendant_id: r.attendant_id,
                spot_id: r.spot_id,
                spot_code: r.code,
                zone_id: r.zone_id,
            });
        }
    }
    let ids: Vec<i64> = out
        .values()
        .flat_map(|d| {
            d.duties
                .iter()
                .chain(&d.paid_at_spots)
                .filter_map(|s| s.attendant_id)
                .chain(d.aggregates.iter().filter_map(|a| a.attendant_id))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = super::attendants::names_of(conn, &ids)?;
    // The daily target of each zone on duty: the version in force at the start of the day, or
    // the zone's first version for a day before it had one.
    let zones_on_duty: Vec<i64> = out
        .values()
        .flat_map(|d| d.duties.iter().map(|s| s.zone_id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut first_target: HashMap<i64, Option<i64>> = HashMap::new();
    for zone in &zones_on_duty {
        let first = zones::versions_of(conn, *zone)?.into_iter().next();
        first_target.insert(*zone, first.and_then(|v| v.daily_target));
    }
    for r in diesel::sql_query(
        "SELECT d.business_date, z.zone_id, v.id AS version_id, v.daily_target
         FROM unnest($1::date[], $2::timestamptz[]) AS d(business_date, starts)
         CROSS JOIN unnest($3::bigint[]) AS z(zone_id)
         LEFT JOIN LATERAL parkir_version_in_force(z.zone_id, d.starts) v ON true",
    )
    .bind::<Array<Date>, _>(&dates)
    .bind::<Array<Timestamptz>, _>(&starts)
    .bind::<Array<Int8>, _>(&zones_on_duty)
    .load::<TargetRow>(conn)?
    {
        if let Some(day) = out.get_mut(&r.business_date) {
            let target = match r.version_id {
                Some(_) => r.daily_target,
                None => first_target.get(&r.zone_id).copied().flatten(),
            };
            day.targets.insert(r.zone_id, target);
        }
    }
    for day in out.values_mut() {
        day.names = names.clone();
    }
    Ok(out)
}
