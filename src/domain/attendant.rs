//! An attendant's identity: NIK, phone, KTA number, PIN and status.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Nomor Induk Kependudukan: exactly 16 digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nik(String);

impl Nik {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.len() == 16 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err("must be exactly 16 digits".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The NIK as every role but admin sees it: the first four and last two digits.
    pub fn mask(nik: &str) -> String {
        if nik.len() != 16 {
            return "*".repeat(nik.len());
        }
        format!("{}{}{}", &nik[..4], "*".repeat(10), &nik[14..])
    }
}

/// An Indonesian mobile number, stored in E.164 (`+628…`). Accepts `0812…`, `62812…` and
/// `+62 812-…` with spaces, dashes, dots or brackets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let national = compact
            .strip_prefix("+62")
            .or_else(|| compact.strip_prefix("62"))
            .or_else(|| compact.strip_prefix('0'))
            .ok_or("must be an Indonesian mobile number (08…, 628… or +628…)")?;
        let digits_ok = national.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok || !national.starts_with('8') || !(9..=12).contains(&national.len()) {
            return Err(
                "must be an Indonesian mobile number: 08 followed by 8 to 11 digits".into(),
            );
        }
        Ok(Self(format!("+62{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Kartu Tanda Anggota: the attendant's card number issued by Dishub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KtaNumber(String);

impl KtaNumber {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        let ok_chars = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.'));
        if value.is_empty() || value.len() > 32 || !ok_chars {
            return Err("must be 1 to 32 letters, digits, '-', '/' or '.'".into());
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The 6-digit PIN an attendant logs in with; only its argon2id hash is stored. Not one a
/// passer-by guesses first (SPEC §10): not one digit repeated (`000000`), not a run up or down
/// (`123456`, `876543`); and, once the attendant's NIK is known, not the birth date it
/// encodes ([`Pin::check_nik`]).
pub struct Pin(String);

impl Pin {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.len() != 6 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err("must be exactly 6 digits".into());
        }
        let digits: Vec<i8> = raw.bytes().map(|b| (b - b'0') as i8).collect();
        if digits.iter().all(|d| *d == digits[0]) {
            return Err("must not be one digit repeated".into());
        }
        let steps: Vec<i8> = digits.windows(2).map(|w| w[1] - w[0]).collect();
        if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
            return Err("must not be a run of digits up or down (123456, 876543)".into());
        }
        Ok(Self(raw.to_owned()))
    }

    /// Digits 7–12 of a NIK are the holder's birth date, DDMMYY, with 40 added to the day for
    /// women: the first thing anyone holding the KTP would try. Both that encoding and, for
    /// women, the plain date are refused.
    pub fn check_nik(&self, nik: &str) -> Result<(), String> {
        let Some(encoded) = nik.get(6..12) else {
            return Ok(());
        };
        let plain = match encoded[..2].parse::<u8>() {
            Ok(day) if day > 40 => format!("{:02}{}", day - 40, &encoded[2..]),
            _ => encoded.to_owned(),
        };
        if self.0 == encoded || self.0 == plain {
            return Err("must not be the birth date in the NIK (digits 7 to 12)".into());
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(rename_all = "lowercase")]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum AttendantStatus {
    Active,
    Suspended,
    Retired,
}

impl AttendantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Retired => "retired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "active" => Self::Active,
            "suspended" => Self::Suspended,
            "retired" => Self::Retired,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_forms_normalise_to_e164() {
        for raw in [
            "081234567890",
            "6281234567890",
            "+6281234567890",
            "+62 812-3456-7890",
        ] {
            assert_eq!(Phone::parse(raw).unwrap().as_str(), "+6281234567890");
        }
        for bad in [
            "",
            "0212345678",
            "+6512345678",
            "08123",
            "0812345678901234",
            "08l2345678",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nik_is_sixteen_digits_and_masks() {
        assert!(Nik::parse("1571010101900001").is_ok());
        assert!(Nik::parse("157101010190000").is_err());
        assert!(Nik::parse("157101010190000a").is_err());
        assert_eq!(Nik::mask("3571010101900001"), "3571**********01");
    }

    #[test]
    fn pin_is_six_digits() {
        assert!(Pin::parse("482913").is_ok());
        assert!(Pin::parse("48291").is_err());
        assert!(Pin::parse("48291x").is_err());
    }

    #[test]
    fn a_pin_is_not_what_anyone_would_guess_first() {
        for weak in ["000000", "999999", "123456", "345678", "876543", "987654"] {
            assert!(Pin::parse(weak).is_err(), "{weak}");
        }
        for fine in ["123457", "135790", "112233", "482913"] {
            assert!(Pin::parse(fine).is_ok(), "{fine}");
        }
        // Born 5 May 1985 (a man): 050585; born 5 May 1985 (a woman): 450585.
        let pin = |p: &str| Pin::parse(p).unwrap();
        assert!(pin("050585").check_nik("1571010505850001").is_err());
        assert!(pin("450585").check_nik("1571014505850001").is_err());
        assert!(pin("050585").check_nik("1571014505850001").is_err());
        assert!(pin("482913").check_nik("1571010505850001").is_ok());
    }
}
