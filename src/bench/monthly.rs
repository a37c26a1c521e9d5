//! `parkir bench monthly --payments N`: N payments over 1 000 attendants spread over the 30
//! days of November 2026, loaded with COPY; the monthly recap exactly as `GET /reports/monthly`
//! computes and serialises it, against one hand-written SQL aggregate over the same rows; and
//! the dashboard's 30-day series.

use std::time::Instant;

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::BenchDb;
use super::reconcile::{ATTENDANTS, best_of, load_payments, seed_city};
use crate::domain::time::day_bounds;
use crate::services::reports::{Period, monthly_of, series_of};

pub struct MonthlyBench {
    pub payments: i64,
    pub monthly_ms: f64,
    /// The first read, which computes and stores the roll-ups.
    pub cold_ms: f64,
    pub baseline_ms: f64,
    pub series_ms: f64,
    pub rows: usize,
}

/// What a DBA would write by hand for the month per attendant: count, gross, cash, fees.
const BASELINE_SQL: &str = "
    SELECT attendant_id, count(*) AS n, sum(amount) AS gross,
           sum(amount) FILTER (WHERE source = 'cash') AS cash, sum(fee) AS fees
    FROM payments
    WHERE business_date BETWEEN '2026-11-01' AND '2026-11-30' AND status = 'paid'
    GROUP BY 1";

pub fn run(database_url: &str, n: i64, tz: chrono_tz::Tz) -> anyhow::Result<MonthlyBench> {
    let db = BenchDb::create(database_url)?;
    let mut conn = PgConnection::establish(&db.url)?;
    let month = Period::month(Some("2026-11"), tz).map_err(|e| anyhow::anyhow!("{e}"))?;
    let days: Vec<(NaiveDate, chrono::DateTime<chrono::Utc>)> =
        month.days().map(|d| (d, day_bounds(d, tz).0)).collect();
    seed_city(&mut conn, days[0].1)?;
    let loaded = load_payments(&mut conn, n, &days)?;
    // The first read computes and stores the month's roll-ups; the next ones read them.
    let started = Instant::now();
    monthly_of(&mut conn, month, None, tz).map_err(|e| anyhow::anyhow!("{e}"))?;
    let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (monthly_ms, (report, _json)) = best_of(3, || {
        let m = monthly_of(&mut conn, month, None, tz).map_err(|e| anyhow::anyhow!("{e}"))?;
        let json = serde_json::to_vec(&m)?;
        Ok((m, json))
    })?;
    let (baseline_ms, _) = best_of(3, || Ok(conn.batch_execute(BASELINE_SQL)?))?;
    let started = Instant::now();
    let series = series_of(&mut conn, month, None, tz).map_err(|e| anyhow::anyhow!("{e}"))?;
    let series_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        report.totals.tx_count == n && series.totals.tx_count == n,
        "the recap counted {} and the series {} of {n} payments",
        report.totals.tx_count,
        series.totals.tx_count
    );
    anyhow::ensure!(
        report.rows.len() as i64 == ATTENDANTS,
        "one row per attendant"
    );
    Ok(MonthlyBench {
        payments: loaded as i64,
        monthly_ms,
        cold_ms,
        baseline_ms,
        series_ms,
        rows: report.rows.len(),
    })
}
