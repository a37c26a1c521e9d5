//! Bagi hasil (SPEC §15): what the city owes an attendant for their non-cash share, what the
//! attendant owes the city of the cash they kept, and how a run settles the two.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an attendant's share is transferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankAccount {
    pub bank_code: String,
    pub account_number: String,
    pub account_name: String,
}

impl BankAccount {
    pub fn parse_bank_code(raw: &str) -> Result<String, String> {
        if raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(raw.to_owned())
        } else {
            Err("must be exactly 3 digits (the bank's code, e.g. 002)".into())
        }
    }

    pub fn parse_account_number(raw: &str) -> Result<String, String> {
        if (6..=20).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(raw.to_owned())
        } else {
            Err("must be 6 to 20 digits".into())
        }
    }

    /// `******7890`: the last four digits after six stars, whatever the length, so the mask
    /// tells nothing of it.
    pub fn mask(number: &str) -> String {
        let keep = number.len().min(4);
        format!("******{}", &number[number.len() - keep..])
    }
}

/// What a run's line ends as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// The city transfers `payable` to the attendant's account.
    Payable,
    /// Owed to the attendant, but there is no account to pay into: carried to the next run.
    Held,
    /// The attendant owes the city (cash kept beyond their share): carried as a negative.
    Owes,
    /// Nothing either way.
    Settled,
}

impl LineStatus {
    pub const ALL: [Self; 4] = [Self::Payable, Self::Held, Self::Owes, Self::Settled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payable => "payable",
            Self::Held => "held",
            Self::Owes => "owes",
            Self::Settled => "settled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A run's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Draft,
    Approved,
    Paid,
    Cancelled,
}

impl RunStatus {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Approved, Self::Paid, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Approved => "approved",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// The sums that go into an attendant's line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Owed {
    /// Their share of their non-cash payments (negative for refunds).
    pub noncash_share: i64,
    /// The city's share of the cash they took.
    pub cash_city_share: i64,
    /// What they paid in.
    pub deposits: i64,
    /// Their `carried_out` of the latest approved or paid run.
    pub carried_in: i64,
}

/// A settled line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub net: i64,
    pub payable: i64,
    pub carried_out: i64,
    pub status: LineStatus,
}

impl Owed {
    /// `net` = noncash_share − cash_city_share + deposits + carried_in; positive and payable
    /// to an account: paid; positive without an account: held (carried); negative: owed
    /// (carried); zero: settled. `None` only if the sums overflow.
    pub fn settle(&self, has_account: bool) -> Option<Settlement> {
        let net = self
            .noncash_share
            .checked_sub(self.cash_city_share)?
            .checked_add(self.deposits)?
            .checked_add(self.carried_in)?;
        Some(match net {
            n if n > 0 && has_account => Settlement {
                net,
                payable: n,
                carried_out: 0,
                status: LineStatus::Payable,
            },
            n if n > 0 => Settlement {
                net,
                payable: 0,
                carried_out: n,
                status: LineStatus::Held,
            },
            n if n < 0 => Settlement {
                net,
                payable: 0,
                carried_out: n,
                status: LineStatus::Owes,
            },
            _ => Settlement {
                net,
                payable: 0,
                carried_out: 0,
                status: LineStatus::Settled,
            },
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owed(noncash_share: i64, cash_city_share: i64, deposits: i64, carried_in: i64) -> Owed {
        Owed {
            noncash_share,
            cash_city_share,
            deposits,
            carried_in,
        }
    }

    #[test]
    fn a_line_settles_by_the_sign_of_net() {
        // Rp72.000 share of QRIS, Rp16.000 of cash kept for the city, Rp10.000 paid in.
        let s = owed(72_000, 16_000, 10_000, 0).settle(true).unwrap();
        assert_eq!(
            (s.net, s.payable, s.carried_out, s.status),
            (66_000, 66_000, 0, LineStatus::Payable)
        );
        let s = owed(72_000, 16_000, 10_000, 0).settle(false).unwrap();
        assert_eq!(
            (s.net, s.payable, s.carried_out, s.status),
            (66_000, 0, 66_000, LineStatus::Held)
        );
        let s = owed(1_200, 16_000, 0, -500).settle(true).unwrap();
        assert_eq!(
            (s.net, s.payable, s.carried_out, s.status),
            (-15_300, 0, -15_300, LineStatus::Owes)
        );
        let s = owed(0, 16_000, 16_000, 0).settle(true).unwrap();
        assert_eq!(
            (s.net, s.payable, s.carried_out, s.status),
            (0, 0, 0, LineStatus::Settled)
        );
        assert_eq!(owed(i64::MAX, -1, 0, 0).settle(true), None);
    }

    #[test]
    fn accounts_are_checked_and_masked() {
        assert!(BankAccount::parse_bank_code("002").is_ok());
        assert!(BankAccount::parse_bank_code("02").is_err());
        assert!(BankAccount::parse_account_number("1234567890").is_ok());
        assert!(BankAccount::parse_account_number("12345").is_err());
        assert!(BankAccount::parse_account_number("12345x7890").is_err());
        assert_eq!(BankAccount::mask("1234567890"), "******7890");
        assert_eq!(BankAccount::mask("000101123456"), "******3456");
    }
}
