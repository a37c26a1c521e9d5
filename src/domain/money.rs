//! Money is whole rupiah in an `i64`; shares are basis points. No floats anywhere.

use serde::{Deserialize, Serialize};

/// An amount of whole rupiah.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rupiah(pub i64);

/// The largest single tariff or target we accept (Rp10.000.000): a guard against typos.
pub const MAX_AMOUNT: i64 = 10_000_000;

impl Rupiah {
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
    fn display_uses_dot_thousands() {
        assert_eq!(Rupiah(2000).display_id(), "Rp2.000");
        assert_eq!(Rupiah(1_234_567).display_id(), "Rp1.234.567");
        assert_eq!(Rupiah(500).display_id(), "Rp500");
    }
}
