//! The payment vocabulary: where a payment came from, what its status may become, the flags
//! that explain it ([`PaymentFlag`]) and the gateway-independent [`Notification`].

use chrono::{DateTime, Utc};
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::Serialize;

use super::Rupiah;

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

/// How a payment reached Parkir: a gateway's callback, the attendant's cash ticket, or the
/// bank's settlement file (a payment no callback told us of).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, AsExpression, FromSqlRow)]
#[serde(rename_all = "lowercase")]
#[diesel(sql_type = Text)]
pub enum PaymentSource {
    Callback,
    Cash,
    Settlement,
}

impl PaymentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Callback => "callback",
            Self::Cash => "cash",
            Self::Settlement => "settlement",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "callback" => Self::Callback,
            "cash" => Self::Cash,
            "settlement" => Self::Settlement,
            _ => return None,
        })
    }
}

/// What a payment's status is according to one notification. Statuses only move forward:
/// pending → paid → refunded | reversed, and pending → failed (see `domain::payment`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, AsExpression, FromSqlRow)]
#[serde(rename_all = "lowercase")]
#[diesel(sql_type = Text)]
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

/// The one vocabulary of flags: what the attribution SQL (`db/attribute.sql`) writes on a
/// payment, what Rust adds later, and what a daily report row says; labels in JSON, CSV and
/// SQL are [`PaymentFlag::as_str`]. A unit test holds `db/attribute.sql` to this list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentFlag {
    // On a payment, set by `parkir_attribute` (db/attribute.sql):
    /// Our charge reference (62/01) names no charge.
    UnmatchedReference,
    /// The terminal id names no spot.
    UnknownTerminal,
    /// Neither reference nor terminal found a spot: credited to nobody.
    Unattributed,
    /// It paid a charge of another amount (the charge stays unpaid).
    AmountMismatch,
    /// The amount is no tariff of the zone version in force.
    AmountNotATariff,
    /// Nobody was on duty at the spot at the payment instant.
    OutsideDuty,
    /// The spot was taken out of service; the money is still recorded.
    InactiveSpot,
    /// Changed after its business day was closed; listed as an adjustment of that day.
    Late,
    // On a payment, set by Rust:
    /// A notification tried to move the status backwards; stored, never applied.
    StatusRegression,
    // On a daily report row (`reconcile::daily`):
    /// On duty all or part of the day, but no non-cash payment at all.
    NoNoncashWhileOnDuty,
    /// The row of payments credited to nobody.
    UnmatchedPayments,
    /// Short of the target.
    Shortfall,
}

impl PaymentFlag {
    pub const ALL: [Self; 12] = [
        Self::UnmatchedReference,
        Self::UnknownTerminal,
        Self::Unattributed,
        Self::AmountMismatch,
        Self::AmountNotATariff,
        Self::OutsideDuty,
        Self::InactiveSpot,
        Self::Late,
        Self::StatusRegression,
        Self::NoNoncashWhileOnDuty,
        Self::UnmatchedPayments,
        Self::Shortfall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnmatchedReference => "unmatched_reference",
            Self::UnknownTerminal => "unknown_terminal",
            Self::Unattributed => "unattributed",
            Self::AmountMismatch => "amount_mismatch",
            Self::AmountNotATariff => "amount_not_a_tariff",
            Self::OutsideDuty => "outside_duty",
            Self::InactiveSpot => "inactive_spot",
            Self::Late => "late",
            Self::StatusRegression => "status_regression",
            Self::NoNoncashWhileOnDuty => "no_noncash_while_on_duty",
            Self::UnmatchedPayments => "unmatched_payments",
            Self::Shortfall => "shortfall",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// How Dishub staff read it (the console and `lang=id` exports say the same).
    pub fn label_id(self) -> &'static str {
        match self {
            Self::UnmatchedReference => "referensi tak dikenal",
            Self::UnknownTerminal => "terminal tak dikenal",
            Self::Unattributed => "tanpa titik",
            Self::AmountMismatch => "nominal tidak cocok",
            Self::AmountNotATariff => "bukan tarif",
            Self::OutsideDuty => "di luar jam tugas",
            Self::InactiveSpot => "titik nonaktif",
            Self::Late => "terlambat",
            Self::StatusRegression => "status mundur",
            Self::NoNoncashWhileOnDuty => "tanpa non-tunai",
            Self::UnmatchedPayments => "tak tercocokkan",
            Self::Shortfall => "kurang target",
        }
    }

    /// Stored flags as Bahasa labels (an unknown one stays as stored).
    pub fn labels_id(flags: &[String]) -> Vec<String> {
        flags
            .iter()
            .map(|f| Self::parse(f).map_or_else(|| f.clone(), |f| f.label_id().to_owned()))
            .collect()
    }

    /// Whether `flags` (as stored) holds this one.
    pub fn is_in(self, flags: &[String]) -> bool {
        flags.iter().any(|f| f == self.as_str())
    }
}

impl std::fmt::Display for PaymentFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verified callback, in the gateway-independent terms Parkir records (the output of every
/// `gateways::Gateway`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub gateway: GatewayName,
    /// The gateway's id of the transaction: the payment's identity with `gateway`.
    pub txn_id: String,
    /// Our charge reference (62/01) as the gateway carries it back, if any.
    pub reference: Option<String>,
    /// The terminal label / store id of the spot, if the gateway sends one.
    pub terminal_id: Option<String>,
    /// Whole rupiah, 1…`MAX_PAYMENT`.
    pub amount: Rupiah,
    pub paid_at: DateTime<Utc>,
    pub status: PaymentStatus,
    /// The gateway's own word for the status, kept for the callback history.
    pub reported_status: String,
    /// The retrieval reference number, when the gateway sends one (settlement files may use it).
    pub rrn: Option<String>,
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
