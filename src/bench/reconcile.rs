//! `parkir bench reconcile --payments N`: N payments over 1 000 attendants for one business
//! day, loaded with COPY; the daily reconciliation exactly as the API computes it, against one
//! hand-written SQL aggregate over the same rows: first cold (the day's first reconciliation,
//! which computes and stores its roll-up), then warm (best of three, reading the roll-up).

use std::io::Write;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use diesel::connection::SimpleConnection;
use diesel::pg::CopyFormat;
use diesel::prelude::*;

use super::BenchDb;
use crate::db::schema::payments;
use crate::domain::time::day_bounds;

pub const ATTENDANTS: i64 = 1000;

pub struct ReconcileBench {
    pub payments: i64,
    /// Best of three after the first: the stored roll-up read.
    pub reconcile_ms: f64,
    /// The first reconciliation of the day: nothing stored for it yet.
    pub cold_ms: f64,
    pub baseline_ms: f64,
    pub rows: usize,
}

/// The baseline: the aggregate a DBA would write by hand for the same numbers (per attendant
/// and share version: count, gross, cash, fees) of the business date `$1`. The reconciliation
/// adds spots, targets, flags, the late exclusion and the unattributed row on top.
pub const BASELINE_SQL: &str = "
    SELECT attendant_id, attendant_share_bps, count(*) AS n, sum(amount) AS gross,
           sum(amount) FILTER (WHERE source = 'cash') AS cash, sum(fee) AS fees
    FROM payments
    WHERE business_date = $1 AND status = 'paid'
    GROUP BY 1, 2";

/// Runs [`BASELINE_SQL`] for `date`: the rows it returns.
pub fn baseline(conn: &mut PgConnection, date: NaiveDate) -> anyhow::Result<usize> {
    Ok(diesel::sql_query(BASELINE_SQL)
        .bind::<diesel::sql_types::Date, _>(date)
        .execute(conn)?)
}

/// Cold and warm daily reconciliations of `date` against the bare SQL, in this order: one
/// reconciliation of the day before, so that the connection has read the catalog as a server's
/// pooled connection has (it stores that day's roll-up, not this one's); the baseline, best of
/// three (its first run brings the day's pages into the cache, so the cold reconciliation after
/// it reads the same cached pages and the cold ratio is what the reconciliation adds, not the
/// disk); the cold run, checked to find nothing stored for the day and to leave its roll-up
/// stored; then the warm runs, best of three.
pub fn measure_day(
    conn: &mut PgConnection,
    date: NaiveDate,
    tz: chrono_tz::Tz,
) -> anyhow::Result<(DayTimes, crate::db::reconcile::Report)> {
    crate::db::reconcile::daily_report(conn, date - Duration::days(1), None, tz)?;
    let (baseline_ms, _) = best_of(3, || baseline(conn, date))?;
    anyhow::ensure!(
        !rollup_stored(conn, date)?,
        "a roll-up of {date} is stored before its first reconciliation"
    );
    let started = Instant::now();
    crate::db::reconcile::daily_report(conn, date, None, tz)?;
    let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        rollup_stored(conn, date)?,
        "the first reconciliation of {date} stored no roll-up (is {date} before today?)"
    );
    let (warm_ms, report) = best_of(3, || {
        Ok(crate::db::reconcile::daily_report(conn, date, None, tz)?)
    })?;
    Ok((
        DayTimes {
            cold_ms,
            warm_ms,
            baseline_ms,
        },
        report,
    ))
}

/// The times of one day's reconciliation, in milliseconds.
pub struct DayTimes {
    pub cold_ms: f64,
    pub warm_ms: f64,
    pub baseline_ms: f64,
}

/// Whether `date`'s roll-up is stored (`day_rollup_dates`, migration 000009).
pub fn rollup_stored(conn: &mut PgConnection, date: NaiveDate) -> anyhow::Result<bool> {
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        stored: bool,
    }
    Ok(diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM day_rollup_dates WHERE business_date = $1) AS stored",
    )
    .bind::<diesel::sql_types::Date, _>(date)
    .get_result::<Stored>(conn)?
    .stored)
}

pub fn best_of<T>(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<(f64, T)> {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let value = f()?;
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(value);
    }
    Ok((best, last.expect("at least one run")))
}

/// A bench city: one zone (target Rp60.000), [`ATTENDANTS`] spots and attendants, each on duty
/// at their own spot from the day before `day_start`, open-ended.
pub fn seed_city(
    conn: &mut PgConnection,
    day_start: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    conn.batch_execute(&format!(
        "INSERT INTO merchant_accounts (gui, pan, merchant_id, criteria, nmid, name, city, postal_code, mcc)
         VALUES ('ID.CO.BANKJAMBI.WWW', '9360011300000001234', 'DSHJMB000000001', 'UKE', 'ID1026100000123',
                 'DISHUB KOTA JAMBI', 'JAMBI', '36124', '7523');
         INSERT INTO zones (code, name, district, merchant_account_id) VALUES ('BENCH', 'Bench', 'Bench', 1);
         INSERT INTO zone_versions (zone_id, effective_from, tariffs, attendant_share_bps, daily_target)
         VALUES (1, '1970-01-01', '{{\"motorcycle\": 2000, \"car\": 3000}}', 6000, 60000);
         INSERT INTO spots (zone_id, code, name, latitude, longitude, terminal_id)
         SELECT 1, 'B-' || i, 'Spot ' || i, -1.6, 103.6, 'B' || i FROM generate_series(1, {ATTENDANTS}) i;
         INSERT INTO attendants (nik, name, phone, kta_number, pin_hash)
         SELECT '1571' || lpad(i::text, 12, '0'), 'Jukir ' || i, '+6281200' || lpad(i::text, 6, '0'), 'KTA-' || i, 'x'
         FROM generate_series(1, {ATTENDANTS}) i;
         INSERT INTO assignments (attendant_id, spot_id, starts_at)
         SELECT i, i, '{}' FROM generate_series(1, {ATTENDANTS}) i;",
        (day_start - Duration::days(1)).to_rfc3339()
    ))?;
    Ok(())
}

/// Loads `n` paid payments with COPY, round-robin over the attendants and over `days` (each
/// with the instant its business day starts), between 07:00 and 17:00; every seventh is cash.
/// Counted on a progress bar (drawn when stderr is a terminal).
pub fn load_payments(
    conn: &mut PgConnection,
    n: i64,
    days: &[(NaiveDate, chrono::DateTime<chrono::Utc>)],
) -> anyhow::Result<usize> {
    let columns = (
        payments::gateway,
        payments::gateway_txn_id,
        payments::source,
        payments::amount,
        payments::paid_at,
        payments::business_date,
        payments::status,
        payments::spot_id,
        payments::attendant_id,
        payments::zone_version_id,
        payments::attendant_share_bps,
        payments::vehicle_class,
        payments::flags,
    );
    let progress = crate::progress::bar(n as u64, "loading payments");
    let loaded = diesel::copy_from(payments::table)
        .from_raw_data(columns, |w| -> Result<(), diesel::result::Error> {
            let io = |e: std::io::Error| diesel::result::Error::SerializationError(Box::new(e));
            let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
            for i in 0..n {
                if i % 10_000 == 0 {
                    progress.set_position(i as u64);
                }
                let who = i % ATTENDANTS + 1;
                let (date, day_start) = days[(i / ATTENDANTS) as usize % days.len()];
                let cash = i % 7 == 0;
                let (class, amount) = if i % 3 == 0 {
                    ("car", 3000)
                } else {
                    ("motorcycle", 2000)
                };
                let paid_at = day_start + Duration::hours(7) + Duration::seconds(i % 36_000);
                writeln!(
                    w,
                    "{},B-{i},{},{amount},{},{date},paid,{who},{who},1,6000,{class},{{}}",
                    if cash { "cash" } else { "snap" },
                    if cash { "cash" } else { "callback" },
                    paid_at.to_rfc3339(),
                )
                .map_err(io)?;
            }
            w.flush().map_err(io)
        })
        .with_format(CopyFormat::Csv)
        .execute(conn)?;
    progress.finish_and_clear();
    // What autovacuum does soon after a load like this (and would otherwise do in the middle
    // of the measurements): visibility map, hint bits, statistics.
    let _spinner = crate::progress::spinner("VACUUM (ANALYZE) payments");
    conn.batch_execute("VACUUM (ANALYZE) payments")?;
    Ok(loaded)
}

pub fn run(database_url: &str, n: i64, tz: chrono_tz::Tz) -> anyhow::Result<ReconcileBench> {
    let db = BenchDb::create(database_url)?;
    let mut conn = PgConnection::establish(&db.url)?;
    let date = NaiveDate::from_ymd_opt(2026, 11, 10).expect("a date");
    let (day_start, _) = day_bounds(date, tz);
    seed_city(&mut conn, day_start)?;
    let loaded = load_payments(&mut conn, n, &[(date, day_start)])?;

    let (times, report) = measure_day(&mut conn, date, tz)?;
    anyhow::ensure!(
        report.totals.tx_count == n,
        "the reconciliation counted {} of {n} payments",
        report.totals.tx_count
    );
    Ok(ReconcileBench {
        payments: loaded as i64,
        reconcile_ms: times.warm_ms,
        cold_ms: times.cold_ms,
        baseline_ms: times.baseline_ms,
        rows: report.rows.len(),
    })
}
