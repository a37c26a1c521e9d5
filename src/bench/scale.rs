//! `parkir bench scale --payments N --days D` (SPEC §18): a city of [`ATTENDANTS`] attendants
//! with N payments over the D days ending 2026-11-30, loaded with COPY in time order as a year
//! of callbacks and cash would have left them (settled, paid out but for the last week); then,
//! at that size, what §9 measures — the daily reconciliation cold and warm of a day in the
//! middle against its bare SQL, the monthly recap of that day's month against its bare SQL,
//! signed callbacks against single-row INSERTs into the same payments table — and the bytes on
//! disk of the payments (table, each index) and of the raw callbacks.

use std::io::Write;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use diesel::pg::CopyFormat;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::BenchDb;
use super::callbacks::{Baseline, CallbackBench};
use super::reconcile::{ATTENDANTS, DayTimes, best_of, measure_day, seed_city};
use crate::config::Settings;
use crate::db::schema::payments;
use crate::domain::time::day_bounds;
use crate::services::reports::{Period, monthly_of};

/// Rows per COPY statement (and transaction): a failed load loses at most one chunk's work,
/// and the progress bar moves.
const CHUNK: i64 = 1_000_000;

/// Days before the last loaded day that are paid out to the attendants (weekly runs); the
/// last week is still waiting for its run.
const UNPAID_DAYS: usize = 7;

/// Payments at or after this many rows are measured in bytes per million.
const MILLION: f64 = 1_000_000.0;

pub struct ScaleBench {
    pub payments: i64,
    pub days: usize,
    pub load_s: f64,
    /// `VACUUM (ANALYZE)` after the load, as an operator (or autovacuum) would.
    pub vacuum_s: f64,
    pub day: NaiveDate,
    pub day_payments: i64,
    pub daily: DayTimes,
    pub month: Period,
    pub month_payments: i64,
    pub monthly_cold_ms: f64,
    pub monthly_ms: f64,
    pub monthly_baseline_ms: f64,
    pub callbacks: CallbackBench,
    /// The same INSERTs into a fresh small table (`bench callbacks`' baseline), for scale.
    pub scratch_inserts_per_s: f64,
    pub sizes: Sizes,
}

/// Bytes on disk of the payments and of the raw callbacks.
pub struct Sizes {
    /// `pg_table_size('payments')`: heap, TOAST, free space and visibility maps.
    pub table: i64,
    /// `pg_indexes_size('payments')`.
    pub indexes: i64,
    /// `pg_total_relation_size('payments')`.
    pub total: i64,
    /// Each index of payments by name, largest first.
    pub each_index: Vec<(String, i64)>,
    /// `pg_total_relation_size('callbacks')` and its rows, after the callbacks' measurement.
    pub callbacks_total: i64,
    pub callbacks_rows: i64,
    pub database: i64,
}

/// What a DBA would write by hand for the month per attendant (as `bench monthly`).
const MONTHLY_BASELINE_SQL: &str = "
    SELECT attendant_id, count(*) AS n, sum(amount) AS gross,
           sum(amount) FILTER (WHERE source = 'cash') AS cash, sum(fee) AS fees
    FROM payments
    WHERE business_date BETWEEN $1 AND $2 AND status = 'paid'
    GROUP BY 1";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

pub fn run(
    settings: Settings,
    n: i64,
    days: usize,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<ScaleBench> {
    use secrecy::ExposeSecret;
    anyhow::ensure!(n > 0 && days > 0, "--payments and --days must be positive");
    let tz = settings.timezone;
    let db = BenchDb::create(settings.database_url.expose_secret())?;
    let mut conn = PgConnection::establish(&db.url)?;
    let last = NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let dates: Vec<(NaiveDate, DateTime<Utc>)> = (0..days)
        .map(|k| last - Duration::days((days - 1 - k) as i64))
        .map(|d| (d, day_bounds(d, tz).0))
        .collect();
    seed_city(&mut conn, dates[0].1)?;

    let started = Instant::now();
    load_year(&mut conn, n, &dates)?;
    let load_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    {
        let _spinner = crate::progress::spinner("VACUUM (ANALYZE) payments");
        conn.batch_execute("VACUUM (ANALYZE) payments")?;
    }
    let vacuum_s = started.elapsed().as_secs_f64();
    let sizes_of_payments = sizes(&mut conn)?;

    // A day in the middle, cold then warm; its roll-up forgotten afterwards so that the
    // month's first read is cold for every one of its days.
    let day = dates[days / 2].0;
    let day_payments = count_between(&mut conn, day, day)?;
    let (daily, report) = {
        let _spinner = crate::progress::spinner(&format!("daily reconciliation of {day}"));
        measure_day(&mut conn, day, tz)?
    };
    anyhow::ensure!(
        report.totals.tx_count == day_payments,
        "the reconciliation of {day} counted {} of {day_payments} payments",
        report.totals.tx_count
    );
    conn.batch_execute(&format!(
        "DELETE FROM day_rollup_dates WHERE business_date IN ('{day}', '{}')",
        day - Duration::days(1)
    ))?;

    let month = Period::month(Some(&format!("{}-{:02}", day.year(), day.month())), tz)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let month_payments = count_between(&mut conn, month.from, month.to)?;
    let (monthly_cold_ms, monthly_ms, monthly_baseline_ms) = {
        let _spinner = crate::progress::spinner(&format!("monthly recap of {}", month.from));
        measure_month(&mut conn, month, month_payments, tz)?
    };

    // Callbacks at the end: what they add to payments is today's, outside every measured day.
    let mut settings = settings;
    settings.alerts.interval = std::time::Duration::ZERO;
    let targets: Vec<_> = (1..=ATTENDANTS)
        .map(|i| super::callbacks::Target {
            partner: crate::demo::SNAP_CLIENT_KEY.to_owned(),
            terminal: format!("B{i}"),
        })
        .collect();
    let callbacks = super::callbacks::measure(
        settings,
        &db.url,
        requests,
        concurrency,
        &targets,
        Baseline::Payments { who: 1 },
    )?;
    let scratch_inserts_per_s =
        super::callbacks::baseline(&db.url, requests, concurrency, Baseline::Scratch)?;
    let callbacks_size: Named = diesel::sql_query(
        "SELECT 'callbacks' AS name, pg_total_relation_size('callbacks') AS bytes",
    )
    .get_result(&mut conn)?;
    let callbacks_rows = diesel::sql_query("SELECT count(*) AS n FROM callbacks")
        .get_result::<Count>(&mut conn)?
        .n;
    Ok(ScaleBench {
        payments: n,
        days,
        load_s,
        vacuum_s,
        day,
        day_payments,
        daily,
        month,
        month_payments,
        monthly_cold_ms,
        monthly_ms,
        monthly_baseline_ms,
        callbacks,
        scratch_inserts_per_s,
        sizes: Sizes {
            callbacks_total: callbacks_size.bytes,
            callbacks_rows,
            ..sizes_of_payments
        },
    })
}

impl Sizes {
    /// Bytes per million of `rows`.
    pub fn per_million(bytes: i64, rows: i64) -> f64 {
        bytes as f64 / (rows.max(1) as f64 / MILLION)
    }
}

fn sizes(conn: &mut PgConnection) -> anyhow::Result<Sizes> {
    let size = |conn: &mut PgConnection, sql: &str| -> anyhow::Result<i64> {
        Ok(
            diesel::sql_query(format!("SELECT 'x' AS name, {sql} AS bytes"))
                .get_result::<Named>(conn)?
                .bytes,
        )
    };
    let each_index = diesel::sql_query(
        "SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes
         FROM pg_index WHERE indrelid = 'payments'::regclass ORDER BY 2 DESC, 1",
    )
    .load::<Named>(conn)?
    .into_iter()
    .map(|r| (r.name, r.bytes))
    .collect();
    Ok(Sizes {
        table: size(conn, "pg_table_size('payments')")?,
        indexes: size(conn, "pg_indexes_size('payments')")?,
        total: size(conn, "pg_total_relation_size('payments')")?,
        each_index,
        callbacks_total: 0,
        callbacks_rows: 0,
        database: size(conn, "pg_database_size(current_database())")?,
    })
}

fn count_between(conn: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> anyhow::Result<i64> {
    Ok(diesel::sql_query(
        "SELECT count(*) AS n FROM payments WHERE business_date BETWEEN $1 AND $2",
    )
    .bind::<diesel::sql_types::Date, _>(from)
    .bind::<diesel::sql_types::Date, _>(to)
    .get_result::<Count>(conn)?
    .n)
}

/// The month's recap as `GET /reports/monthly` computes and serialises it: the first read
/// (nothing stored for its days) and the best of three after it, against the bare SQL (best of
/// three, run first, as for the day).
fn measure_month(
    conn: &mut PgConnection,
    month: Period,
    expected: i64,
    tz: chrono_tz::Tz,
) -> anyhow::Result<(f64, f64, f64)> {
    let (baseline_ms, _) = best_of(3, || {
        Ok(diesel::sql_query(MONTHLY_BASELINE_SQL)
            .bind::<diesel::sql_types::Date, _>(month.from)
            .bind::<diesel::sql_types::Date, _>(month.to)
            .execute(conn)?)
    })?;
    for d in month.days() {
        anyhow::ensure!(
            !super::reconcile::rollup_stored(conn, d)?,
            "a roll-up of {d} is stored before the month's first read"
        );
    }
    let recap = |conn: &mut PgConnection| -> anyhow::Result<i64> {
        let m = monthly_of(conn, month, None, tz).map_err(|e| anyhow::anyhow!("{e}"))?;
        serde_json::to_vec(&m)?;
        Ok(m.totals.tx_count)
    };
    let started = Instant::now();
    let counted = recap(conn)?;
    let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        counted == expected,
        "the recap of {} counted {counted} of {expected} payments",
        month.from
    );
    let (warm_ms, _) = best_of(3, || recap(conn))?;
    Ok((cold_ms, warm_ms, baseline_ms))
}

/// Weekly payout runs, paid, covering all `dates` but the last [`UNPAID_DAYS`]: run `k`
/// (id k + 1) pays days `7k .. 7k + 6`.
fn seed_payout_runs(
    conn: &mut PgConnection,
    dates: &[(NaiveDate, DateTime<Utc>)],
) -> anyhow::Result<()> {
    let paid = dates.len().saturating_sub(UNPAID_DAYS);
    for (k, week) in dates[..paid].chunks(7).enumerate() {
        let (from, to) = (week[0].0, week[week.len() - 1].0);
        conn.batch_execute(&format!(
            "INSERT INTO payout_runs (id, from_date, to_date, status, created_by, created_by_id,
                                      approved_by, approved_at, paid_at)
             VALUES ({}, '{from}', '{to}', 'paid', 'bench', 1, 'bench', now(), now())",
            k + 1
        ))?;
    }
    Ok(())
}

/// Where the `i`-th of `n` payments over `days` falls: its day, and its position among that
/// day's payments and their number. Payments are in time order, the days as even as integers
/// allow.
fn place(i: i64, n: i64, days: i64) -> (i64, i64, i64) {
    let first = |d: i64| (d * n + days - 1) / days;
    // The day d holds the payments from ceil(d·n/days): i is on the last d with d·n ≤ i·days.
    let day = i * days / n;
    let (start, end) = (first(day), first(day + 1));
    (day, i - start, end - start)
}

/// Loads `n` payments over `dates` in time order with COPY, [`CHUNK`] rows a statement,
/// shaped as the application leaves them: six in seven QRIS callbacks at the spot's terminal
/// (a 20-character issuer reference, RRN, fee 0 once settled — all but the last day), one in
/// seven cash (`CASH-P…`, 22 characters, in no order); every payment of a paid-out day carries
/// its run. The table's triggers are disabled during the load, as `pg_restore
/// --disable-triggers` does: the phones' NOTIFY and the forgetting of roll-ups (no phone
/// listens, nothing is stored yet) and the foreign keys' checks (every row names spot and
/// attendant 1..=[`ATTENDANTS`], zone version 1 and a seeded run, by construction). They are
/// enabled again before anything is measured; every index is kept and grows row by row, as
/// in a real year, so that the bytes measured are those of a grown index, not a rebuilt one.
fn load_year(
    conn: &mut PgConnection,
    n: i64,
    dates: &[(NaiveDate, DateTime<Utc>)],
) -> anyhow::Result<()> {
    seed_payout_runs(conn, dates)?;
    let paid_days = dates.len().saturating_sub(UNPAID_DAYS) as i64;
    let days = dates.len() as i64;
    conn.batch_execute("ALTER TABLE payments DISABLE TRIGGER ALL")?;
    let progress = crate::progress::bar(n as u64, "loading payments");
    let mut start = 0;
    while start < n {
        let end = (start + CHUNK).min(n);
        let columns = (
            payments::gateway,
            payments::gateway_txn_id,
            payments::source,
            payments::terminal_id,
            payments::amount,
            payments::fee,
            payments::paid_at,
            payments::business_date,
            payments::status,
            payments::spot_id,
            payments::attendant_id,
            payments::zone_version_id,
            payments::attendant_share_bps,
            payments::vehicle_class,
            payments::flags,
            payments::rrn,
            payments::payout_run_id,
        );
        diesel::copy_from(payments::table)
            .from_raw_data(columns, |w| -> Result<(), diesel::result::Error> {
                let io = |e: std::io::Error| diesel::result::Error::SerializationError(Box::new(e));
                let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
                for i in start..end {
                    if i % 10_000 == 0 {
                        progress.set_position(i as u64);
                    }
                    write_row(&mut w, i, n, days, paid_days, dates).map_err(io)?;
                }
                w.flush().map_err(io)
            })
            .with_format(CopyFormat::Csv)
            .execute(conn)?;
        start = end;
    }
    progress.finish_and_clear();
    conn.batch_execute("ALTER TABLE payments ENABLE TRIGGER ALL")?;
    Ok(())
}

/// One CSV row of [`load_year`].
fn write_row(
    w: &mut impl Write,
    i: i64,
    n: i64,
    days: i64,
    paid_days: i64,
    dates: &[(NaiveDate, DateTime<Utc>)],
) -> std::io::Result<()> {
    const ISSUERS: [&str; 6] = ["A1", "B2", "C3", "D4", "E5", "F6"];
    let (day, k, per_day) = place(i, n, days);
    let (date, day_start) = dates[day as usize];
    let who = i % ATTENDANTS + 1;
    let (class, amount) = if i % 3 == 0 {
        ("car", 3000)
    } else {
        ("motorcycle", 2000)
    };
    let paid_at = day_start + Duration::hours(7) + Duration::seconds(k * 36_000 / per_day.max(1));
    let run = if day < paid_days {
        (day / 7 + 1).to_string()
    } else {
        String::new()
    };
    let tag = date.format("%Y%m%d");
    let paid_at = paid_at.format("%Y-%m-%d %H:%M:%S+00");
    if i % 7 == 0 {
        // A cash ticket's reference is random: its place in the indexes is anywhere.
        let scrambled = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) % 10_000_000_000;
        let short = date.format("%y%m%d");
        writeln!(
            w,
            "cash,CASH-P{short}{scrambled:010},cash,,{amount},,{paid_at},{date},paid,{who},{who},1,6000,{class},{{}},,{run}"
        )
    } else {
        let issuer = ISSUERS[(i % 6) as usize];
        let fee = if day + 1 < days { "0" } else { "" };
        writeln!(
            w,
            "snap,{issuer}{tag}{k:010},callback,B{who},{amount},{fee},{paid_at},{date},paid,{who},{who},1,6000,{class},{{}},{i:012},{run}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::place;

    #[test]
    fn payments_fall_on_the_days_in_order_and_evenly() {
        let (n, days) = (1_000, 7);
        let mut per_day = vec![0i64; days as usize];
        let mut last = (0, -1);
        for i in 0..n {
            let (day, k, count) = place(i, n, days);
            assert!((day, k) > last, "payment {i} is out of order");
            assert!(k < count, "payment {i} is past its day's count");
            per_day[day as usize] += 1;
            last = (day, k);
        }
        assert_eq!(per_day.iter().sum::<i64>(), n);
        for (day, &count) in per_day.iter().enumerate() {
            assert!((142..=143).contains(&count), "day {day} has {count}");
            assert_eq!(place(day as i64 * 1_000 / 7 + 1, n, days).2, count);
        }
    }
}
