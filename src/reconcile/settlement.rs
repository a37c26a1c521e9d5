//! Settlement files from the acquirer or bank: CSV with a header row naming at least
//! `reference` (gateway transaction id or RRN; `rrn` is accepted as its name), `paid_at` and
//! `amount`, and optionally `fee`, `net`, `terminal_id`, `nmid` — names matched
//! case-insensitively, other columns ignored. A file is parsed whole before anything is written:
//! the first bad value is a 400 naming its line and column.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::money::parse_rupiah_text;
use crate::domain::time::parse_instant;
use crate::domain::{PaymentStatus, Rupiah};
use serde::Serialize;
use utoipa::ToSchema;

/// One line of a settlement file, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementLine {
    /// The file's line number (the header is line 1).
    pub line: i32,
    pub reference: String,
    pub paid_at: DateTime<Utc>,
    pub amount: i64,
    pub fee: Option<i64>,
    pub net: Option<i64>,
    pub terminal_id: Option<String>,
    pub nmid: Option<String>,
}

/// What a row ended as (SPEC §8).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    ToSchema,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum RowStatus {
    /// In Parkir and in the file, same amount: the file's fee is recorded on the payment.
    MATCHED,
    /// In both, different amounts.
    AMOUNT_MISMATCH,
    /// In both, but Parkir holds the payment as pending or failed, not paid (SPEC §10).
    STATUS_MISMATCH,
    /// The reference appears again in the file, or was already settled by an earlier file.
    DUPLICATE,
    /// Unknown to Parkir but its terminal or NMID is ours: it becomes a payment.
    MISSING_CALLBACK,
    /// Unknown reference, and neither terminal nor NMID is ours: kept for review, no payment.
    UNKNOWN_MERCHANT,
    /// A non-cash payment in Parkir on a date the file covers, absent from the file.
    UNSETTLED,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MATCHED => "MATCHED",
            Self::AMOUNT_MISMATCH => "AMOUNT_MISMATCH",
            Self::STATUS_MISMATCH => "STATUS_MISMATCH",
            Self::DUPLICATE => "DUPLICATE",
            Self::MISSING_CALLBACK => "MISSING_CALLBACK",
            Self::UNKNOWN_MERCHANT => "UNKNOWN_MERCHANT",
            Self::UNSETTLED => "UNSETTLED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub const ALL: [RowStatus; 7] = [
        Self::MATCHED,
        Self::AMOUNT_MISMATCH,
        Self::STATUS_MISMATCH,
        Self::DUPLICATE,
        Self::MISSING_CALLBACK,
        Self::UNKNOWN_MERCHANT,
        Self::UNSETTLED,
    ];
}

/// The payment Parkir already holds under a line's reference (its gateway transaction id or
/// RRN; cash is never settled by a bank).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub payment_id: i64,
    pub amount: i64,
    pub status: PaymentStatus,
    /// An earlier file settled it (MATCHED, or created it as MISSING_CALLBACK).
    pub settled_before: bool,
}

/// What one line of a file becomes: its row's status, the payment it concerns and why.
/// `MATCHED` records the file's fee on the payment; `MISSING_CALLBACK` makes a payment of the
/// line (its id is known once it is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub status: RowStatus,
    pub payment_id: Option<i64>,
    pub detail: Option<String>,
}

/// Judges a line (SPEC §8): `repeated` when its reference came earlier in the same file, `held`
/// what Parkir has under the reference, `ours` whether its terminal id or NMID names one of the
/// city's spots or merchant accounts (asked only when nothing is held).
pub fn judge(line: &SettlementLine, repeated: bool, held: Option<&Held>, ours: bool) -> Judgement {
    let row = |status, payment_id, detail: Option<String>| Judgement {
        status,
        payment_id,
        detail,
    };
    if repeated {
        let why = "the reference appears earlier in this file";
        return row(RowStatus::DUPLICATE, None, Some(why.into()));
    }
    match held {
        Some(h) if h.settled_before => row(
            RowStatus::DUPLICATE,
            Some(h.payment_id),
            Some("settled by an earlier file".into()),
        ),
        Some(h) if h.amount != line.amount => row(
            RowStatus::AMOUNT_MISMATCH,
            Some(h.payment_id),
            Some(format!(
                "the file says {}, Parkir recorded {}",
                line.amount, h.amount
            )),
        ),
        Some(h) if h.status != PaymentStatus::Paid => row(
            RowStatus::STATUS_MISMATCH,
            Some(h.payment_id),
            Some(format!(
                "the bank settled it; Parkir holds it as {}",
                h.status.as_str()
            )),
        ),
        Some(h) => row(RowStatus::MATCHED, Some(h.payment_id), None),
        None if ours => row(
            RowStatus::MISSING_CALLBACK,
            None,
            Some("no callback was received; recorded from the file".into()),
        ),
        None => row(
            RowStatus::UNKNOWN_MERCHANT,
            None,
            Some("neither terminal_id nor nmid is ours".into()),
        ),
    }
}

/// A file that cannot be read, with where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct FileError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

fn err(line: u64, column: &str, message: impl Into<String>) -> FileError {
    FileError {
        line,
        column: column.to_owned(),
        message: message.into(),
    }
}

/// A row's amount: the one rupiah text rule ([`parse_rupiah_text`]: whole, optionally `.0` or
/// `.00`, as bank files write it), within 1…Rp100.000.000.
pub fn parse_amount(raw: &str) -> Option<i64> {
    parse_rupiah_text(raw).filter(|a| Rupiah::parse_payment(*a).is_ok())
}

/// A fee or net: the same text rule, within 0…Rp100.000.000.
pub fn parse_fee(raw: &str) -> Option<i64> {
    parse_rupiah_text(raw).filter(|a| Rupiah::parse_fee(*a).is_ok())
}

/// The longest terminal id or NMID a row may carry (QRIS caps both far below this).
pub const MAX_ID_CHARS: usize = 64;

/// Parses a whole file; the first problem is the error.
pub fn parse(bytes: &[u8], tz: Tz) -> Result<Vec<SettlementLine>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, "header", format!("not CSV: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let reference = col("reference").or_else(|| col("rrn")).ok_or_else(|| {
        err(
            1,
            "reference",
            "the header has no reference (or rrn) column",
        )
    })?;
    let paid_at =
        col("paid_at").ok_or_else(|| err(1, "paid_at", "the header has no paid_at column"))?;
    let amount =
        col("amount").ok_or_else(|| err(1, "amount", "the header has no amount column"))?;
    let (fee, net, terminal, nmid) = (col("fee"), col("net"), col("terminal_id"), col("nmid"));

    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            err(line, "row", format!("not a CSV row: {e}"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        // PostgreSQL text holds no NUL: refused here, naming the column (SPEC §10).
        if let Some(i) = record.iter().position(|f| f.contains('\0')) {
            let column = headers.get(i).map_or("row", String::as_str);
            return Err(err(line, column, "must not contain a NUL byte"));
        }
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let optional_amount = |i: Option<usize>, name: &str| -> Result<Option<i64>, FileError> {
            match i.map(get).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => parse_fee(v).map(Some).ok_or_else(|| {
                    err(
                        line,
                        name,
                        "must be a whole rupiah amount from 0 to 100000000",
                    )
                }),
            }
        };
        let text = |i: Option<usize>, name: &str| -> Result<Option<String>, FileError> {
            match i.map(get).filter(|v| !v.is_empty()) {
                Some(v) if v.chars().count() > MAX_ID_CHARS => Err(err(
                    line,
                    name,
                    format!("must be at most {MAX_ID_CHARS} characters"),
                )),
                v => Ok(v.map(str::to_owned)),
            }
        };
        let reference_value = get(reference);
        if reference_value.is_empty() || reference_value.len() > 64 {
            return Err(err(line, "reference", "must be 1 to 64 characters"));
        }
        let paid_at_value = get(paid_at);
        let paid = parse_instant(paid_at_value, tz).ok_or_else(|| {
            err(
                line,
                "paid_at",
                format!("{paid_at_value:?} is not RFC 3339 or YYYY-MM-DD HH:MM:SS"),
            )
        })?;
        let amount_value = get(amount);
        let amount = parse_amount(amount_value).ok_or_else(|| {
            err(
                line,
                "amount",
                format!(
                    "{:?} is not a whole rupiah amount from 1 to 100000000",
                    amount_value.chars().take(32).collect::<String>()
                ),
            )
        })?;
        lines.push(SettlementLine {
            line: line as i32,
            reference: reference_value.to_owned(),
            paid_at: paid,
            amount,
            fee: optional_amount(fee, "fee")?,
            net: optional_amount(net, "net")?,
            terminal_id: text(terminal, "terminal_id")?,
            nmid: text(nmid, "nmid")?,
        });
    }
    if lines.is_empty() {
        return Err(err(2, "row", "the file has no rows"));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIB: Tz = chrono_tz::Asia::Jakarta;

    #[test]
    fn headers_are_case_insensitive_and_times_local() {
        let csv = "RRN,Paid_At,AMOUNT,Fee,Terminal_ID,extra\nabc,2026-11-22 06:30:00,2000.00,14,JMBPSR001,x\n";
        let lines = parse(csv.as_bytes(), WIB).unwrap();
        assert_eq!(lines[0].reference, "abc");
        assert_eq!(lines[0].amount, 2000);
        assert_eq!(lines[0].fee, Some(14));
        assert_eq!(lines[0].paid_at.to_rfc3339(), "2026-11-21T23:30:00+00:00");
        assert_eq!(lines[0].line, 2);
    }

    #[test]
    fn the_first_bad_value_names_line_and_column() {
        let missing = parse(b"reference,amount\nx,1\n", WIB).unwrap_err();
        assert_eq!((missing.line, missing.column.as_str()), (1, "paid_at"));
        let amount = parse(b"reference,paid_at,amount\nx,2026-11-22T10:00:00+07:00,2000\ny,2026-11-22T10:00:00+07:00,2.000\n", WIB).unwrap_err();
        assert_eq!((amount.line, amount.column.as_str()), (3, "amount"));
        let date = parse(b"reference,paid_at,amount\nx,22/11/2026,2000\n", WIB).unwrap_err();
        assert_eq!((date.line, date.column.as_str()), (2, "paid_at"));
        assert!(parse(b"reference,paid_at,amount\n", WIB).is_err());
    }

    fn line(amount: i64) -> SettlementLine {
        parse(
            format!("reference,paid_at,amount\nR1,2026-11-22T10:00:00+07:00,{amount}\n").as_bytes(),
            WIB,
        )
        .unwrap()
        .remove(0)
    }

    fn held(amount: i64, status: &str, settled_before: bool) -> Held {
        Held {
            payment_id: 7,
            amount,
            status: PaymentStatus::parse(status).unwrap(),
            settled_before,
        }
    }

    #[test]
    fn a_line_is_judged_by_what_parkir_holds() {
        let l = line(2000);
        let status = |repeated, h: Option<Held>, ours| judge(&l, repeated, h.as_ref(), ours).status;
        assert_eq!(
            status(false, Some(held(2000, "paid", false)), false),
            RowStatus::MATCHED
        );
        assert_eq!(
            status(true, Some(held(2000, "paid", false)), true),
            RowStatus::DUPLICATE
        );
        assert_eq!(
            status(false, Some(held(2000, "paid", true)), false),
            RowStatus::DUPLICATE
        );
        assert_eq!(
            status(false, Some(held(3000, "paid", false)), false),
            RowStatus::AMOUNT_MISMATCH
        );
        assert_eq!(
            status(false, Some(held(2000, "pending", false)), false),
            RowStatus::STATUS_MISMATCH
        );
        assert_eq!(status(false, None, true), RowStatus::MISSING_CALLBACK);
        assert_eq!(status(false, None, false), RowStatus::UNKNOWN_MERCHANT);
    }

    #[test]
    fn a_judgement_names_the_payment_and_says_why() {
        let l = line(2000);
        let matched = judge(&l, false, Some(&held(2000, "paid", false)), false);
        assert_eq!((matched.payment_id, matched.detail), (Some(7), None));
        let mismatch = judge(&l, false, Some(&held(3000, "paid", false)), false);
        assert_eq!(
            mismatch.detail.as_deref(),
            Some("the file says 2000, Parkir recorded 3000")
        );
        let repeated = judge(&l, true, None, false);
        assert_eq!(
            repeated.payment_id, None,
            "a repeat in the file points at nothing"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_are_refused_or_read_as_rows_within_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(file) = super::parse(&bytes, chrono_tz::Asia::Jakarta) {
                for row in &file {
                    prop_assert!((1..=crate::domain::money::MAX_PAYMENT).contains(&row.amount));
                }
            }
        }
    }
}
