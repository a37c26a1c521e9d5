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

/// The 6-digit PIN an attendant logs in with; only its argon2id hash is stored.
pub struct Pin(String);

impl Pin {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err("must be exactly 6 digits".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
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
}
