//! Leakage signals (SPEC §12): the rules that notice revenue that should have come through QRIS
//! and did not. Pure: the database layer hands in each subject's history and day, these rules
//! say what is alerted and why; the server's job, `POST /alerts/evaluate`, the CLI and
//! `parkir bench alerts` all run this same code. The model and its false-alarm reasoning are in
//! docs/alerts.md.

pub mod input;
pub mod profile;
pub mod signals;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use profile::{DayDetail, HourCounts, MINUTES, Profile};
pub use signals::{DayInput, Finding, ShortfallDay, SubjectDay, evaluate};

/// What an alert is about (SPEC §12); the subject is in brackets.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum AlertKind {
    /// (spot) non-cash far below what the spot's history predicts for the hours on duty.
    NoncashDrop,
    /// (spot) no non-cash payment for duty hours in which several were near-certain.
    QrSilence,
    /// (attendant) the day's cash share far above the attendant's usual, non-cash falling.
    CashShift,
    /// (attendant) a shortfall against target on 3 or more consecutive duty days.
    ShortfallStreak,
    /// (payment) paid non-cash that no settlement file covered 2 days on.
    Unsettled,
    /// (spot) citizens reported the spot.
    CitizenReports,
    /// (the city) every on-duty spot silent at once: a gateway or acquirer outage, raised
    /// instead of one spot alert per spot.
    GatewaySilence,
}

impl AlertKind {
    pub const ALL: [AlertKind; 7] = [
        Self::NoncashDrop,
        Self::QrSilence,
        Self::CashShift,
        Self::ShortfallStreak,
        Self::Unsettled,
        Self::CitizenReports,
        Self::GatewaySilence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoncashDrop => "noncash_drop",
            Self::QrSilence => "qr_silence",
            Self::CashShift => "cash_shift",
            Self::ShortfallStreak => "shortfall_streak",
            Self::Unsettled => "unsettled",
            Self::CitizenReports => "citizen_reports",
            Self::GatewaySilence => "gateway_silence",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

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
    ToSchema,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Low, Self::Medium, Self::High]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Where a supervisor's triage of an alert stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Open, Self::Acknowledged, Self::Resolved]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// The knobs of the model. The defaults are the ones `parkir bench alerts` measured
/// (docs/alerts.md has the table of how recall and false alarms move with them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Fewest previous duty days that make a baseline.
    pub min_history_days: usize,
    /// Most previous duty days a baseline uses (the newest).
    pub baseline_days: usize,
    /// The tail probability under which a count is called too low (per test).
    pub alpha: f64,
    /// The share of the expectation the model forgives before testing: a spot may run this
    /// much below its history for reasons nobody controls.
    pub slack: f64,
    /// A drop is reported only when what came is at most this share of what was expected.
    pub max_ratio: f64,
    /// Fewest expected non-cash payments for a day test to speak at all.
    pub min_expected: f64,
    /// Fewest expected non-cash payments in a silent stretch that make silence an alert.
    pub silence_expected: f64,
    /// Chance per spot-day that luck alone makes a silence alert (it sets the silence
    /// threshold from the spot's usual day: `signals::silence_threshold`).
    pub silence_rate: f64,
    /// Fewest non-cash payments the city expects in a stretch with none at all, anywhere, for
    /// the stretch to be a gateway outage: P(city-wide silence by luck) = e^−this.
    pub outage_expected: f64,
    /// Fewest spots on duty, each expecting at least one payment in the stretch, for a
    /// city-wide silence to be told apart from one spot's.
    pub outage_spots: usize,
    /// A whole hour in which the city had at most this share of its expected non-cash is
    /// silent too (an acquirer letting a trickle through); a rainy hour keeps half or more.
    pub outage_ratio: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_history_days: 7,
            baseline_days: 28,
            alpha: 0.005,
            slack: 0.1,
            max_ratio: 0.65,
            min_expected: 8.0,
            silence_expected: 7.0,
            silence_rate: 0.002,
            outage_expected: 20.0,
            outage_spots: 3,
            outage_ratio: 0.1,
        }
    }
}
