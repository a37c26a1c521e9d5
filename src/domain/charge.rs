//! A dynamic charge's reference and status.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use utoipa::ToSchema;

/// Crockford's base32 alphabet: no I, L, O or U, so a reference read aloud is unambiguous.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh charge reference for 62/01: `P` + the business date (YYMMDD) + 10 random
/// characters (50 bits) = 17 characters, within QRIS's 25. Uniqueness is the database's job.
pub fn new_reference(business_date: chrono::NaiveDate) -> String {
    let mut rng = rand::rng();
    let random: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("P{}{random}", business_date.format("%y%m%d"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChargeStatus {
    Pending,
    Paid,
    Expired,
}

impl ChargeStatus {
    /// Paid once a payment matched it (even after expiry: the money arrived); otherwise
    /// pending until `expires_at`, then expired.
    pub fn of(
        paid_at: Option<DateTime<Utc>>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        match paid_at {
            Some(_) => Self::Paid,
            None if now < expires_at => Self::Pending,
            None => Self::Expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_and_distinct() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = new_reference(date);
        assert_eq!(a.len(), 17);
        assert!(a.starts_with("P261123"));
        assert_ne!(a, new_reference(date));
    }

    #[test]
    fn status_follows_payment_and_expiry() {
        let now = Utc::now();
        let later = now + chrono::Duration::minutes(10);
        assert_eq!(ChargeStatus::of(None, later, now), ChargeStatus::Pending);
        assert_eq!(ChargeStatus::of(None, now, later), ChargeStatus::Expired);
        assert_eq!(
            ChargeStatus::of(Some(later), now, later),
            ChargeStatus::Paid
        );
    }
}
