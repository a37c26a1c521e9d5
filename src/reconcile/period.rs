//! Periods of days: the dashboard's series and the monthly recap, both sums of daily reports
//! (closed days from their frozen rows), so a period never disagrees with the days it is made
//! of (SPEC §11).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::daily::{Row, Totals, safe_cell};

/// The longest period a series may span.
pub const MAX_SERIES_DAYS: i64 = 366;

/// The sums over a period (or one day).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PeriodTotals {
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub attendant_share: i64,
    pub city_share: i64,
    pub target: i64,
    pub shortfall: i64,
}

/// One business day's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct DayFigures {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub figures: PeriodTotals,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Series {
    pub days: Vec<DayFigures>,
    pub totals: PeriodTotals,
}

impl DayFigures {
    pub fn of(date: NaiveDate, t: &Totals) -> Self {
        Self {
            date,
            figures: PeriodTotals {
                tx_count: t.tx_count,
                noncash_gross: t.noncash_gross,
                cash_gross: t.cash_gross,
                gross: t.gross,
                attendant_share: t.attendant_share,
                city_share: t.city_share,
                target: t.target,
                shortfall: t.shortfall,
            },
        }
    }
}

/// The series of `days` (every date of the period, in order) and its totals.
pub fn series(days: Vec<DayFigures>) -> Series {
    let mut totals = PeriodTotals::default();
    for d in days.iter().map(|d| &d.figures) {
        totals.tx_count += d.tx_count;
        totals.noncash_gross += d.noncash_gross;
        totals.cash_gross += d.cash_gross;
        totals.gross += d.gross;
        totals.attendant_share += d.attendant_share;
        totals.city_share += d.city_share;
        totals.target += d.target;
        totals.shortfall += d.shortfall;
    }
    Series { days, totals }
}

/// One attendant's month (or the month of the payments credited to nobody: `attendant_id`
/// null).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MonthlyRow {
    pub attendant_id: Option<i64>,
    pub name: String,
    /// Days with a row in the daily report.
    pub days_on_duty: i64,
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub attendant_share: i64,
    pub city_share: i64,
    /// Sum of the daily targets; null when no day had one.
    pub target: Option<i64>,
    pub shortfall: i64,
    /// floor(gross × 10000 / target); null without a target.
    pub achievement_bps: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MonthlyTotals {
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub attendant_share: i64,
    pub city_share: i64,
    pub target: i64,
    pub shortfall: i64,
    pub achievement_bps: Option<i64>,
}

/// floor(gross × 10000 / target), null without a (positive) target.
pub fn achievement_bps(gross: i64, target: Option<i64>) -> Option<i64> {
    target
        .filter(|t| *t > 0)
        .map(|t| (i128::from(gross) * 10_000 / i128::from(t)) as i64)
}

/// Sums each attendant's daily rows of the month: `rows_by_day` holds every day's rows.
/// Rows come out by gross, largest first (then name).
pub fn monthly(rows_by_day: &[Vec<Row>]) -> (Vec<MonthlyRow>, MonthlyTotals) {
    let mut by: BTreeMap<Option<i64>, MonthlyRow> = BTreeMap::new();
    for day in rows_by_day {
        for r in day {
            let m = by.entry(r.attendant_id).or_insert_with(|| MonthlyRow {
                attendant_id: r.attendant_id,
                name: r.name.clone(),
                ..Default::default()
            });
            m.days_on_duty += 1;
            m.tx_count += r.tx_count;
            m.noncash_gross += r.noncash_gross;
            m.cash_gross += r.cash_gross;
            m.gross += r.gross;
            m.attendant_share += r.attendant_share;
            m.city_share += r.city_share;
            if let Some(t) = r.target {
                m.target = Some(m.target.unwrap_or(0) + t);
            }
            m.shortfall += r.shortfall;
        }
    }
    let mut rows: Vec<MonthlyRow> = by.into_values().collect();
    let mut totals = MonthlyTotals::default();
    for m in &mut rows {
        m.achievement_bps = achievement_bps(m.gross, m.target);
        totals.tx_count += m.tx_count;
        totals.noncash_gross += m.noncash_gross;
        totals.cash_gross += m.cash_gross;
        totals.gross += m.gross;
        totals.attendant_share += m.attendant_share;
        totals.city_share += m.city_share;
        totals.target += m.target.unwrap_or(0);
        totals.shortfall += m.shortfall;
    }
    totals.achievement_bps = achievement_bps(totals.gross, Some(totals.target));
    rows.sort_by(|a, b| b.gross.cmp(&a.gross).then_with(|| a.name.cmp(&b.name)));
    (rows, totals)
}

pub fn monthly_headers(indonesian: bool) -> [&'static str; 11] {
    if indonesian {
        [
            "Juru Parkir",
            "Hari Bertugas",
            "Transaksi",
            "Non-Tunai",
            "Tunai",
            "Bruto",
            "Bagian Jukir",
            "Bagian Pemkot",
            "Target",
            "Kurang Setor",
            "Capaian (%)",
        ]
    } else {
        [
            "attendant",
            "days_on_duty",
            "tx_count",
            "noncash_gross",
            "cash_gross",
            "gross",
            "attendant_share",
            "city_share",
            "target",
            "shortfall",
            "achievement_pct",
        ]
    }
}

/// An achievement in basis points as a percentage with two decimals (`8750` → `87.50`).
pub fn percent(bps: Option<i64>) -> String {
    bps.map(|b| format!("{}.{:02}", b / 100, b % 100))
        .unwrap_or_default()
}

/// The month as CSV: the rows and a total line (whole rupiah).
pub fn monthly_csv(
    rows: &[MonthlyRow],
    totals: &MonthlyTotals,
    indonesian: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = super::daily::csv_writer(indonesian);
    // Indonesian Excel writes decimals with a comma.
    let decimal = |p: String| if indonesian { p.replace('.', ",") } else { p };
    w.write_record(monthly_headers(indonesian))?;
    for r in rows {
        w.write_record([
            safe_cell(&r.name),
            r.days_on_duty.to_string(),
            r.tx_count.to_string(),
            r.noncash_gross.to_string(),
            r.cash_gross.to_string(),
            r.gross.to_string(),
            r.attendant_share.to_string(),
            r.city_share.to_string(),
            r.target.map(|t| t.to_string()).unwrap_or_default(),
            r.shortfall.to_string(),
            decimal(percent(r.achievement_bps)),
        ])?;
    }
    w.write_record([
        if indonesian { "TOTAL" } else { "total" }.to_owned(),
        String::new(),
        totals.tx_count.to_string(),
        totals.noncash_gross.to_string(),
        totals.cash_gross.to_string(),
        totals.gross.to_string(),
        totals.attendant_share.to_string(),
        totals.city_share.to_string(),
        totals.target.to_string(),
        totals.shortfall.to_string(),
        decimal(percent(totals.achievement_bps)),
    ])?;
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: Option<i64>, name: &str, gross: i64, target: Option<i64>, shortfall: i64) -> Row {
        Row {
            attendant_id: id,
            name: name.into(),
            tx_count: gross / 2000,
            noncash_gross: gross,
            gross,
            target,
            shortfall,
            ..Default::default()
        }
    }

    #[test]
    fn a_month_sums_the_days_and_rounds_achievement_down() {
        let days = vec![
            vec![row(Some(1), "Ahmad", 50_000, Some(60_000), 10_000)],
            vec![
                row(Some(1), "Ahmad", 70_000, Some(60_000), 0),
                row(None, "(unmatched)", 2_000, None, 0),
            ],
            vec![],
        ];
        let (rows, totals) = monthly(&days);
        assert_eq!(rows.len(), 2);
        let a = &rows[0];
        assert_eq!(
            (a.days_on_duty, a.gross, a.target),
            (2, 120_000, Some(120_000))
        );
        assert_eq!((a.shortfall, a.achievement_bps), (10_000, Some(10_000)));
        assert_eq!(rows[1].achievement_bps, None);
        assert_eq!(totals.gross, 122_000);
        assert_eq!(totals.target, 120_000);
        assert_eq!(achievement_bps(2, Some(3)), Some(6666));
        assert_eq!(percent(Some(6666)), "66.66");
    }
}
