//! The vocabulary of a citizen's report (SPEC §13): what was reported, where when no registered
//! spot is named, and where Dishub's review of it stands; and the city's hotline the citizen's
//! page shows.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::Serialize;

use super::Phone;

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

    /// What may be reported without a registered spot (SPEC §13): what an attendant does at
    /// any kerb. A different QR or an excessive tariff is about a spot's own QR and tariffs.
    pub const WITHOUT_SPOT: [ReportKind; 3] = [Self::Pungli, Self::JukirTidakResmi, Self::Lainnya];

    pub fn needs_spot(self) -> bool {
        !Self::WITHOUT_SPOT.contains(&self)
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

/// Where a report without a registered spot was made, as the citizen says it (the code on a
/// sign nobody issued, a street): trimmed, 1 to [`Location::MAX_CHARS`] characters, no control
/// characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location(String);

impl Location {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, String> {
        super::label(raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The city's hotline (`PARKIR_HOTLINE`, e.g. `0811-7400-100`): shown as written, dialled from
/// a `tel:` link, and offered on WhatsApp when it is an Indonesian mobile number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hotline {
    shown: String,
    dial: String,
    whatsapp: Option<String>,
}

impl Hotline {
    /// Digits with spaces, `-`, `.`, `(`, `)` and a leading `+`; 3 digits (`112`) to 15 (the
    /// longest E.164 number).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let shown = raw.trim();
        let chars_ok = shown.char_indices().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
        });
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        if !chars_ok || !(3..=15).contains(&digits.len()) {
            return Err(
                "must be a phone number: 3 to 15 digits with spaces, '-', '.', '(', ')' and a leading '+' (e.g. 0811-7400-100)"
                    .into(),
            );
        }
        let dial = if shown.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        };
        let whatsapp = Phone::parse(shown)
            .ok()
            .map(|p| format!("https://wa.me/{}", p.as_str().trim_start_matches('+')));
        Ok(Self {
            shown: shown.to_owned(),
            dial,
            whatsapp,
        })
    }

    /// As the operator wrote it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// `tel:` and the digits (with a leading `+` if written).
    pub fn tel_href(&self) -> String {
        format!("tel:{}", self.dial)
    }

    /// `https://wa.me/62…` for a mobile number, else none.
    pub fn whatsapp_href(&self) -> Option<&str> {
        self.whatsapp.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hotline_dials_and_chats_when_it_is_a_mobile_number() {
        let h = Hotline::parse(" 0811-7400-100 ").unwrap();
        assert_eq!(h.shown(), "0811-7400-100");
        assert_eq!(h.tel_href(), "tel:08117400100");
        assert_eq!(h.whatsapp_href(), Some("https://wa.me/628117400100"));
        let h = Hotline::parse("+62 811 7400 100").unwrap();
        assert_eq!(h.tel_href(), "tel:+628117400100");
        assert_eq!(h.whatsapp_href(), Some("https://wa.me/628117400100"));
        let landline = Hotline::parse("(0741) 123456").unwrap();
        assert_eq!(landline.tel_href(), "tel:0741123456");
        assert_eq!(landline.whatsapp_href(), None);
        assert_eq!(Hotline::parse("112").unwrap().tel_href(), "tel:112");
        for bad in [
            "",
            "12",
            "0811-7400-100 ext 5",
            "08+11",
            "1234567890123456",
            "wa.me/62811",
        ] {
            assert!(Hotline::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_location_is_a_short_line_of_text() {
        assert_eq!(
            Location::parse("  JMB-ZZZ-404 ").unwrap().as_str(),
            "JMB-ZZZ-404"
        );
        assert!(Location::parse("   ").is_err());
        assert!(Location::parse(&"x".repeat(201)).is_err());
        assert!(Location::parse(&"é".repeat(200)).is_ok());
        assert!(Location::parse("Jl. Sudirman\u{7}").is_err());
    }

    #[test]
    fn only_what_an_attendant_does_anywhere_may_name_no_spot() {
        let free: Vec<&str> = ReportKind::ALL
            .into_iter()
            .filter(|k| !k.needs_spot())
            .map(ReportKind::as_str)
            .collect();
        assert_eq!(free, ["pungli", "jukir_tidak_resmi", "lainnya"]);
    }
}
