//! Money is whole rupiah in an `i64`; shares are basis points. No floats anywhere.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::BigInt;
use serde::{Deserialize, Serialize};

/// An amount of whole rupiah; a `bigint` column reads and writes as one (`db::columns`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    AsExpression,
    FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = BigInt)]
pub struct Rupiah(pub i64);

/// The largest single tariff or target we accept (Rp10.000.000): a guard against typos.
pub const MAX_AMOUNT: i64 = 10_000_000;

/// The largest amount one payment may carry (Rp100.000.000, SPEC §10): callbacks, cash,
/// settlement rows. Far above any parking fee, far below what sums of a city's month can
/// overflow.
pub const MAX_PAYMENT: i64 = 100_000_000;

/// A rupiah amount written as text, the one rule for every source (gateway JSON strings,
/// settlement files): ASCII digits, optionally followed by `.0` or `.00` (a zero fraction, as
/// gateways and banks write whole rupiah). No sign, no exponent, no thousands separator, at
/// most 15 digits; the caller applies its bounds.
pub fn parse_rupiah_text(raw: &str) -> Option<i64> {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let fraction_ok = raw.contains('.') && matches!(fraction, "0" | "00") || !raw.contains('.');
    if whole.is_empty() || whole.len() > 15 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction_ok {
        return None;
    }
    whole.parse().ok()
}

impl Rupiah {
    /// One payment's amount: 1 to [`MAX_PAYMENT`].
    pub fn parse_payment(value: i64) -> Result<Self, String> {
        if (1..=MAX_PAYMENT).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!(
                "must be a whole rupiah amount from 1 to {MAX_PAYMENT}"
            ))
        }
    }

    /// A fee or net amount reported with a payment: 0 to [`MAX_PAYMENT`].
    pub fn parse_fee(value: i64) -> Result<Self, String> {
        if (0..=MAX_PAYMENT).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!(
                "must be a whole rupiah amount from 0 to {MAX_PAYMENT}"
            ))
        }
    }

    /// A tariff: a positive whole amount up to [`MAX_AMOUNT`].
    pub fn parse_positive(value: i64) -> Result<Self, String> {
        if (1..=MAX_AMOUNT).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!(
                "must be a whole rupiah amount from 1 to {MAX_AMOUNT}"
            ))
        }
    }

    /// A target: zero or more, up to [`MAX_AMOUNT`].
    pub fn parse_non_negative(value: i64) -> Result<Self, String> {
        if (0..=MAX_AMOUNT).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!(
                "must be a whole rupiah amount from 0 to {MAX_AMOUNT}"
            ))
        }
    }

    /// "Rp2.000": how Indonesian signage writes an amount.
    pub fn display_id(self) -> String {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        format!("{}Rp{out}", if self.0 < 0 { "-" } else { "" })
    }
}

/// The attendant's share in basis points of gross (6000 = 60%).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShareBps(pub i32);

impl ShareBps {
    pub fn parse(value: i64) -> Result<Self, String> {
        if (0..=10_000).contains(&value) {
            Ok(Self(value as i32))
        } else {
            Err("must be basis points from 0 to 10000 (6000 = 60%)".into())
        }
    }
}

/// Splits gross between attendant and city: the attendant gets floor(gross × bps / 10000), the
/// city the remainder, so the two always add up to gross exactly (SPEC §4).
pub fn split(gross: i64, share: ShareBps) -> (i64, i64) {
    let attendant = (i128::from(gross) * i128::from(share.0)).div_euclid(10_000) as i64;
    (attendant, gross - attendant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_and_floors() {
        assert_eq!(split(2000, ShareBps(6000)), (1200, 800));
        assert_eq!(split(2001, ShareBps(6000)), (1200, 801));
        assert_eq!(split(0, ShareBps(6000)), (0, 0));
        assert_eq!(split(7, ShareBps(10_000)), (7, 0));
    }

    #[test]
    fn rupiah_text_is_whole_with_an_optional_zero_fraction() {
        for (raw, want) in [
            ("2000", Some(2000)),
            ("2000.0", Some(2000)),
            ("2000.00", Some(2000)),
            ("2000.", None),
            ("2000.000", None),
            ("2000.50", None),
            ("-5", None),
            ("+5", None),
            ("1e3", None),
            ("2.000", None),
            ("", None),
            (".00", None),
            ("1234567890123456", None),
        ] {
            assert_eq!(parse_rupiah_text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn payments_are_bounded() {
        assert!(Rupiah::parse_payment(0).is_err());
        assert!(Rupiah::parse_payment(1).is_ok());
        assert!(Rupiah::parse_payment(MAX_PAYMENT).is_ok());
        assert!(Rupiah::parse_payment(MAX_PAYMENT + 1).is_err());
        assert!(Rupiah::parse_payment(i64::MAX).is_err());
        assert!(Rupiah::parse_fee(0).is_ok());
    }

    #[test]
    fn display_uses_dot_thousands() {
        assert_eq!(Rupiah(2000).display_id(), "Rp2.000");
        assert_eq!(Rupiah(1_234_567).display_id(), "Rp1.234.567");
        assert_eq!(Rupiah(500).display_id(), "Rp500");
    }
}

#[cfg(test)]
mod properties {
    use super::{ShareBps, split};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn shares_always_add_up_to_gross(gross in 0i64..10_000_000_000, bps in 0i32..=10_000) {
            let (attendant, city) = split(gross, ShareBps(bps));
            prop_assert_eq!(attendant + city, gross);
            prop_assert!(attendant >= 0 && city >= 0);
            prop_assert!(i128::from(attendant) * 10_000 <= i128::from(gross) * i128::from(bps));
            prop_assert!(i128::from(attendant + 1) * 10_000 > i128::from(gross) * i128::from(bps));
        }
    }
}
