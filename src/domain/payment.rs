//! What a payment may become, and the flags that explain it.

use crate::gateways::PaymentStatus;

/// Flags a payment can carry; each says why it needs a human look.
pub mod flag {
    /// The reference matches none of our charges.
    pub const UNMATCHED_REFERENCE: &str = "unmatched_reference";
    /// The terminal id matches none of our spots.
    pub const UNKNOWN_TERMINAL: &str = "unknown_terminal";
    /// Neither reference nor terminal told us the spot.
    pub const UNATTRIBUTED: &str = "unattributed";
    /// Matched a charge, but for a different amount.
    pub const AMOUNT_MISMATCH: &str = "amount_mismatch";
    /// The amount is none of the zone's tariffs in force then.
    pub const AMOUNT_NOT_A_TARIFF: &str = "amount_not_a_tariff";
    /// Nobody was on duty at the spot at the payment instant.
    pub const OUTSIDE_DUTY: &str = "outside_duty";
    /// A notification tried to move the status backwards; stored, never applied.
    pub const STATUS_REGRESSION: &str = "status_regression";
    /// Arrived after its business day was closed; listed as an adjustment of that day.
    pub const LATE: &str = "late";
}

/// How one notification relates to what is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The same status again: a repeat, a no-op.
    Same,
    /// A step forward: applied.
    Forward,
    /// A step backwards (a late pending after paid, a deny after settlement): stored as an
    /// event, flagged, never applied.
    Regression,
}

/// Statuses move only forward: pending → paid → refunded | reversed, and pending → failed.
/// Anything after failed, refunded or reversed, and anything back to pending, is a regression.
pub fn transition(from: PaymentStatus, to: PaymentStatus) -> Transition {
    use PaymentStatus::*;
    if from == to {
        return Transition::Same;
    }
    match (from, to) {
        (Pending, Paid | Failed | Refunded | Reversed) => Transition::Forward,
        (Paid, Refunded | Reversed) => Transition::Forward,
        _ => Transition::Regression,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus::*;

    #[test]
    fn only_forward_moves_apply() {
        assert_eq!(transition(Pending, Paid), Transition::Forward);
        assert_eq!(transition(Paid, Refunded), Transition::Forward);
        assert_eq!(transition(Paid, Paid), Transition::Same);
        assert_eq!(transition(Paid, Pending), Transition::Regression);
        assert_eq!(transition(Paid, Failed), Transition::Regression);
        assert_eq!(transition(Refunded, Paid), Transition::Regression);
        assert_eq!(transition(Failed, Paid), Transition::Regression);
    }
}
