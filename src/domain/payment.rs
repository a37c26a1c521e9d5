//! What a payment may become, and the flags that explain it.

use serde::Serialize;

/// Where a payment came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayName {
    Snap,
    Midtrans,
    Xendit,
}

impl GatewayName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Snap => "snap",
            Self::Midtrans => "midtrans",
            Self::Xendit => "xendit",
        }
    }
}

/// What a payment's status is according to one notification. Statuses only move forward:
/// pending → paid → refunded | reversed, and pending → failed (see `domain::payment`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Pending,
    Paid,
    Failed,
    Refunded,
    Reversed,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
            Self::Reversed => "reversed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "pending" => Self::Pending,
            "paid" => Self::Paid,
            "failed" => Self::Failed,
            "refunded" => Self::Refunded,
            "reversed" => Self::Reversed,
            _ => return None,
        })
    }
}

/// Flags a payment can carry; each says why it needs a human look. The matching flags —
/// `unmatched_reference`, `unknown_terminal`, `unattributed`, `amount_mismatch`,
/// `amount_not_a_tariff`, `outside_duty` and, on arrival, `late` — are set where payments are
/// attributed, the `parkir_attribute` function (migration `record_functions`); these are the
/// ones Rust sets later.
pub mod flag {
    /// A notification tried to move the status backwards; stored, never applied.
    pub const STATUS_REGRESSION: &str = "status_regression";
    /// Changed after its business day was closed; listed as an adjustment of that day.
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
