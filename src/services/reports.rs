//! Reports over periods: the dashboard's day series and the monthly recap, each the sum of the
//! daily reports of its days (closed days from their frozen rows), and the workbooks. All of
//! them are pure reads, which a standby may serve (`super::read`, SPEC §18).

use chrono::{Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::domain::business_date;
use crate::error::ApiError;
use crate::reconcile::daily::{Row, Totals};
use crate::reconcile::period::{
    self, DayFigures, MAX_SERIES_DAYS, MonthlyRow, MonthlyTotals, Series,
};
use crate::reconcile::workbook::Heading;
use crate::state::AppState;

/// A period of business days, both ends included.
#[derive(Clone, Copy, Debug)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `from`..=`to` as given (`YYYY-MM-DD`), defaulting to the 30 days ending today; `to`
    /// before `from` or more than 366 days is a 400 naming the parameter.
    pub fn parse(from: Option<&str>, to: Option<&str>, tz: Tz) -> Result<Self, ApiError> {
        let date = |field: &str, raw: &str| {
            crate::error::field(field, crate::domain::time::parse_date(raw))
        };
        let to = match to {
            Some(raw) => date("to", raw)?,
            None => business_date(Utc::now(), tz),
        };
        let from = match from {
            Some(raw) => date("from", raw)?,
            None => to - Duration::days(29),
        };
        if to < from {
            return Err(ApiError::invalid("to", "must not be before from"));
        }
        if (to - from).num_days() + 1 > MAX_SERIES_DAYS {
            return Err(ApiError::invalid(
                "to",
                format!("the period may span at most {MAX_SERIES_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }

    /// A calendar month `YYYY-MM` (default: this month), up to today at most (a month ahead
    /// of today has no days yet).
    pub fn month(raw: Option<&str>, tz: Tz) -> Result<Self, ApiError> {
        let first = match raw {
            Some(raw) => NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| raw.len() == 7)
                .ok_or_else(|| ApiError::invalid("month", "must be a month YYYY-MM"))?,
            None => business_date(Utc::now(), tz)
                .with_day(1)
                .unwrap_or_default(),
        };
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(|| ApiError::invalid("month", "is out of range"))?;
        // The current month runs to today: days that have not begun have duty rows with
        // targets but no payments yet, and would count as shortfalls.
        let today = business_date(Utc::now(), tz);
        let to = (next - Duration::days(1)).min(today);
        Ok(Self {
            from: first,
            to: to.max(first - Duration::days(1)),
        })
    }

    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        self.from.iter_days().take_while(move |d| *d <= self.to)
    }
}

/// Every day of the period as its daily report shows it (404 for an unknown zone).
fn reports_of(
    conn: &mut PgConnection,
    period: Period,
    zone_id: Option<i64>,
    tz: Tz,
) -> Result<Vec<(NaiveDate, Vec<Row>, Totals)>, ApiError> {
    if let Some(z) = zone_id {
        db::zones::find_zone(conn, z)?
            .ok_or_else(|| ApiError::NotFound(format!("zone {z} does not exist")))?;
    }
    let dates: Vec<NaiveDate> = period.days().collect();
    Ok(db::reconcile::rows_of_days(conn, &dates, zone_id, tz)?)
}

/// Every day of the period with that day's report totals.
pub fn series_of(
    conn: &mut PgConnection,
    period: Period,
    zone_id: Option<i64>,
    tz: Tz,
) -> Result<Series, ApiError> {
    let days = reports_of(conn, period, zone_id, tz)?
        .into_iter()
        .map(|(date, _, totals)| DayFigures::of(date, &totals))
        .collect();
    Ok(period::series(days))
}

pub async fn series(
    state: &AppState,
    period: Period,
    zone_id: Option<i64>,
) -> Result<Series, ApiError> {
    let tz = state.timezone();
    super::read(state, move |conn| series_of(conn, period, zone_id, tz)).await
}

/// The month per attendant, as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct Monthly {
    /// `YYYY-MM`.
    pub month: String,
    pub timezone: String,
    pub zone_id: Option<i64>,
    pub rows: Vec<MonthlyRow>,
    pub totals: MonthlyTotals,
}

pub fn monthly_of(
    conn: &mut PgConnection,
    month: Period,
    zone_id: Option<i64>,
    tz: Tz,
) -> Result<Monthly, ApiError> {
    let days: Vec<Vec<Row>> = reports_of(conn, month, zone_id, tz)?
        .into_iter()
        .map(|(_, rows, _)| rows)
        .collect();
    let (rows, totals) = period::monthly(&days);
    Ok(Monthly {
        month: month.from.format("%Y-%m").to_string(),
        timezone: tz.name().to_owned(),
        zone_id,
        rows,
        totals,
    })
}

pub async fn monthly(
    state: &AppState,
    month: Period,
    zone_id: Option<i64>,
) -> Result<Monthly, ApiError> {
    let tz = state.timezone();
    super::read(state, move |conn| monthly_of(conn, month, zone_id, tz)).await
}

/// The monthly recap as a workbook, under its title block.
pub async fn monthly_xlsx(
    state: &AppState,
    month: Period,
    zone_id: Option<i64>,
) -> Result<(String, Vec<u8>), ApiError> {
    let m = monthly(state, month, zone_id).await?;
    let zone = zone_line(state, zone_id).await?;
    let [y, mo] = [&m.month[..4], &m.month[5..]];
    let heading = Heading {
        office: super::cities::letterhead(state).await?.office.name,
        report: "Rekap Bulanan Retribusi Parkir per Juru Parkir".into(),
        period: format!("Bulan: {} {y}", month_name(mo)),
        zone,
        status: String::new(),
        printed_at: printed_at(state),
    };
    let bytes = crate::reconcile::workbook::monthly(&heading, &m.month, &m.rows, &m.totals)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("workbook: {e}")))?;
    Ok((m.month, bytes))
}

/// A day's reconciliation as a workbook, under its title block.
pub async fn daily_xlsx(
    state: &AppState,
    date: NaiveDate,
    zone_id: Option<i64>,
) -> Result<Vec<u8>, ApiError> {
    let report = super::reconciliation::report(state, date, zone_id).await?;
    let zone = zone_line(state, zone_id).await?;
    let tz = state.timezone();
    let status = match (&report.closed_at, &report.closed_by) {
        (Some(at), by) => format!(
            "Status: ditutup {} oleh {}",
            crate::domain::time::local_stamp(*at, tz),
            by.as_deref().unwrap_or("-")
        ),
        _ => "Status: belum ditutup (angka dapat berubah)".into(),
    };
    let heading = Heading {
        office: super::cities::letterhead(state).await?.office.name,
        report: "Rekap Harian Retribusi Parkir".into(),
        period: format!("Tanggal: {}", date.format("%d/%m/%Y")),
        zone,
        status,
        printed_at: printed_at(state),
    };
    crate::reconcile::workbook::daily(&heading, report.date, &report.rows, &report.totals)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("workbook: {e}")))
}

/// "Zona: Pasar (PSR)", or "Zona: semua zona"; 404 for an unknown zone.
async fn zone_line(state: &AppState, zone_id: Option<i64>) -> Result<String, ApiError> {
    let Some(id) = zone_id else {
        return Ok("Zona: semua zona".into());
    };
    let zone = super::read(state, move |conn| super::zones::load(conn, id)).await?;
    Ok(format!("Zona: {} ({})", zone.zone.name, zone.zone.code))
}

fn printed_at(state: &AppState) -> String {
    format!(
        "Dicetak: {}",
        crate::domain::time::local_stamp(Utc::now(), state.timezone())
    )
}

fn month_name(mm: &str) -> &'static str {
    const NAMES: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    mm.parse::<usize>()
        .ok()
        .and_then(|m| NAMES.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("")
}
