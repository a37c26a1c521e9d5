//! The vocabulary of a citizen's report (SPEC §13): what was reported, and where Dishub's
//! review of it stands.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::Serialize;

/// What a motorist reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, AsExpression, FromSqlRow)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = Text)]
pub enum ReportKind {
    Pungli,
    TarifBerlebih,
    QrBerbeda,
    JukirTidakResmi,
    Lainnya,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        Self::Pungli,
        Self::TarifBerlebih,
        Self::QrBerbeda,
        Self::JukirTidakResmi,
        Self::Lainnya,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pungli => "pungli",
            Self::TarifBerlebih => "tarif_berlebih",
            Self::QrBerbeda => "qr_berbeda",
            Self::JukirTidakResmi => "jukir_tidak_resmi",
            Self::Lainnya => "lainnya",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// How the citizen's form names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pungli => "Pungutan liar / diminta bayar di luar QRIS resmi",
            Self::TarifBerlebih => "Tarif melebihi ketentuan",
            Self::QrBerbeda => "QR berbeda / nama merchant tidak sama",
            Self::JukirTidakResmi => "Juru parkir tidak resmi",
            Self::Lainnya => "Lainnya",
        }
    }
}

/// Where Dishub's review of a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, AsExpression, FromSqlRow)]
#[serde(rename_all = "snake_case")]
#[diesel(sql_type = Text)]
pub enum ReportStatus {
    New,
    InReview,
    Valid,
    Invalid,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InReview => "in_review",
            Self::Valid => "valid",
            Self::Invalid => "invalid",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::New, Self::InReview, Self::Valid, Self::Invalid]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}
