//! Excel workbooks of the recaps (SPEC §11, §11.1): a title block (office, report, date or
//! period, zone, whether closed, printed at) above the header row, which is bold, frozen and
//! repeated on every printed page; landscape A4 fitted to one page wide; money as numbers in a
//! rupiah format (never text), dates as dates, a percentage as a fraction, a totals row.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::daily::{Row, Totals, csv_headers, safe_cell};
use super::period::{MonthlyRow, MonthlyTotals, monthly_headers};

/// How rupiah read in a cell: `Rp 12.345` in an Indonesian Excel, `Rp 12,345` elsewhere (the
/// separator is the reader's locale; the cell holds the number).
const RUPIAH: &str = "\"Rp\" #,##0";
const COUNT: &str = "#,##0";
const DATE: &str = "dd/mm/yyyy";
const PERCENT: &str = "0.0%";

/// What a printed recap says above its table.
#[derive(Clone, Debug, Default)]
pub struct Heading {
    /// `PARKIR_OFFICE_NAME`.
    pub office: String,
    /// E.g. "Rekap Harian Retribusi Parkir".
    pub report: String,
    /// E.g. "Tanggal: 30/11/2026".
    pub period: String,
    /// E.g. "Zona: Pasar Angso Duo (PSR)" or "Zona: semua".
    pub zone: String,
    /// E.g. "Status: ditutup 01/12/2026 08.10 WIB oleh admin".
    pub status: String,
    /// E.g. "Dicetak: 03/12/2026 10.15 WIB".
    pub printed_at: String,
}

/// The rows the title block takes; the header row follows them.
const HEADER_ROW: u32 = 7;

struct Formats {
    header: Format,
    money: Format,
    count: Format,
    date: Format,
    total_label: Format,
    total_money: Format,
    total_count: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format(RUPIAH),
            count: Format::new().set_num_format(COUNT),
            date: Format::new().set_num_format(DATE),
            total_label: Format::new().set_bold(),
            total_money: Format::new().set_bold().set_num_format(RUPIAH),
            total_count: Format::new().set_bold().set_num_format(COUNT),
        }
    }
}

/// The title block, the header row below it (bold, frozen, repeated on each printed page) and
/// the page set-up: A4 landscape, one page wide.
fn headers(
    sheet: &mut Worksheet,
    f: &Formats,
    heading: &Heading,
    names: &[&str],
) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let subtitle = Format::new().set_bold().set_font_size(12);
    sheet.write_string_with_format(0, 0, safe_cell(&heading.office), &title)?;
    sheet.write_string_with_format(1, 0, safe_cell(&heading.report), &subtitle)?;
    for (row, line) in [
        (2, &heading.period),
        (3, &heading.zone),
        (4, &heading.status),
        (5, &heading.printed_at),
    ] {
        sheet.write_string(row, 0, safe_cell(line))?;
    }
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *name, &f.header)?;
        sheet.set_column_width(col as u16, if col == 0 { 28 } else { 14 })?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
}

/// A date cell: an Excel date, or the ISO date as text where Excel has none (before 1900).
fn write_day(
    sheet: &mut Worksheet,
    row: u32,
    date: NaiveDate,
    format: &Format,
) -> Result<(), XlsxError> {
    match excel_date(date) {
        Ok(day) => sheet.write_date_with_format(row, 0, &day, format)?,
        Err(_) => sheet.write_string(row, 0, date.to_string())?,
    };
    Ok(())
}

/// The daily reconciliation of `date`: Tanggal, then the CSV's columns (Indonesian headers).
pub fn daily(
    heading: &Heading,
    date: NaiveDate,
    rows: &[Row],
    totals: &Totals,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("Rekap {date}"))?;
    let mut names = vec!["Tanggal"];
    names.extend(csv_headers(true));
    headers(sheet, &f, heading, &names)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 28)?;
    let money = |v: i64| v as f64;
    for (i, r) in rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        write_day(sheet, row, date, &f.date)?;
        sheet.write_string(row, 1, safe_cell(&r.name))?;
        sheet.write_string(row, 2, safe_cell(&r.spots.join(" ")))?;
        sheet.write_number_with_format(row, 3, r.tx_count as f64, &f.count)?;
        for (col, v) in [
            (4, r.noncash_gross),
            (5, r.cash_gross),
            (6, r.gross),
            (7, r.fees),
            (8, r.attendant_share),
            (9, r.city_share),
        ] {
            sheet.write_number_with_format(row, col, money(v), &f.money)?;
        }
        if let Some(t) = r.target {
            sheet.write_number_with_format(row, 10, money(t), &f.money)?;
        }
        sheet.write_number_with_format(row, 11, money(r.shortfall), &f.money)?;
        let flags = crate::domain::PaymentFlag::labels_id(&r.flags);
        sheet.write_string(row, 12, safe_cell(&flags.join(", ")))?;
    }
    let row = HEADER_ROW + 1 + rows.len() as u32;
    sheet.write_string_with_format(row, 0, "TOTAL", &f.total_label)?;
    sheet.write_number_with_format(row, 3, totals.tx_count as f64, &f.total_count)?;
    for (col, v) in [
        (4, totals.noncash_gross),
        (5, totals.cash_gross),
        (6, totals.gross),
        (7, totals.fees),
        (8, totals.attendant_share),
        (9, totals.city_share),
        (10, totals.target),
        (11, totals.shortfall),
    ] {
        sheet.write_number_with_format(row, col, money(v), &f.total_money)?;
    }
    book.save_to_buffer()
}

/// The month per attendant (Indonesian headers); achievement as a fraction shown as `0.0%`.
pub fn monthly(
    heading: &Heading,
    month: &str,
    rows: &[MonthlyRow],
    totals: &MonthlyTotals,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let percent = Format::new().set_num_format(PERCENT);
    let total_percent = Format::new().set_bold().set_num_format(PERCENT);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("Rekap {month}"))?;
    headers(sheet, &f, heading, &monthly_headers(true))?;
    for (i, r) in rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        sheet.write_string(row, 0, safe_cell(&r.name))?;
        sheet.write_number_with_format(row, 1, r.days_on_duty as f64, &f.count)?;
        sheet.write_number_with_format(row, 2, r.tx_count as f64, &f.count)?;
        for (col, v) in [
            (3, r.noncash_gross),
            (4, r.cash_gross),
            (5, r.gross),
            (6, r.attendant_share),
            (7, r.city_share),
        ] {
            sheet.write_number_with_format(row, col, v as f64, &f.money)?;
        }
        if let Some(t) = r.target {
            sheet.write_number_with_format(row, 8, t as f64, &f.money)?;
        }
        sheet.write_number_with_format(row, 9, r.shortfall as f64, &f.money)?;
        if let Some(bps) = r.achievement_bps {
            sheet.write_number_with_format(row, 10, bps as f64 / 10_000.0, &percent)?;
        }
    }
    let row = HEADER_ROW + 1 + rows.len() as u32;
    sheet.write_string_with_format(row, 0, "TOTAL", &f.total_label)?;
    sheet.write_number_with_format(row, 2, totals.tx_count as f64, &f.total_count)?;
    for (col, v) in [
        (3, totals.noncash_gross),
        (4, totals.cash_gross),
        (5, totals.gross),
        (6, totals.attendant_share),
        (7, totals.city_share),
        (8, totals.target),
        (9, totals.shortfall),
    ] {
        sheet.write_number_with_format(row, col, v as f64, &f.total_money)?;
    }
    if let Some(bps) = totals.achievement_bps {
        sheet.write_number_with_format(row, 10, bps as f64 / 10_000.0, &total_percent)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_excel_cannot_date_is_written_as_text_not_an_error() {
        let totals = Totals::default();
        let old = NaiveDate::from_ymd_opt(164, 3, 5).unwrap();
        let row = Row {
            name: "Jukir".into(),
            ..Row::default()
        };
        assert!(daily(&Heading::default(), old, &[row], &totals).is_ok());
    }
}
