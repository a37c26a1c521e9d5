//! The acquirer-issued QRIS merchant account a zone's spots are paid into.

use serde::Deserialize;
use utoipa::ToSchema;

/// QRIS merchant criteria (Bank Indonesia): micro, small, medium, large, regular.
pub const CRITERIA: &[&str] = &["UMI", "UKE", "UME", "UBE", "URE"];

/// What an acquirer issues for a QRIS merchant, as registered by an admin.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"gui": "ID.CO.BANKJAMBI.WWW", "pan": "9360011300000001234", "merchant_id": "DSHJMB000000001", "criteria": "UKE", "nmid": "ID1026100000123", "name": "DISHUB KOTA JAMBI", "city": "JAMBI", "postal_code": "36124", "mcc": "7523"}))]
pub struct MerchantAccountSpec {
    /// Globally unique identifier of the acquirer (template 26/00), e.g. `ID.CO.BANKJATIM.WWW`.
    #[schema(pattern = "^[ -{}~]{1,32}$")]
    pub gui: String,
    /// Merchant PAN (26/01): 16 to 19 digits.
    #[schema(pattern = "^[0-9]{16,19}$")]
    pub pan: String,
    /// Merchant id at the acquirer (26/02), up to 15 characters.
    #[schema(pattern = "^[ -{}~]{1,15}$")]
    pub merchant_id: String,
    /// Merchant criteria (26/03): UMI, UKE, UME, UBE or URE.
    #[schema(pattern = "^(UMI|UKE|UME|UBE|URE)$")]
    pub criteria: String,
    /// National Merchant ID from the QRIS repository (51/02): `ID` and 10 to 13 digits.
    #[schema(pattern = "^ID[0-9]{10,13}$")]
    pub nmid: String,
    /// Merchant name (59) exactly as payers' apps show it: up to 25 characters.
    #[schema(pattern = "^[ -{}~]{1,25}$")]
    pub name: String,
    /// Merchant city (60): up to 15 characters.
    #[schema(pattern = "^[ -{}~]{1,15}$")]
    pub city: String,
    /// Postal code (61): 5 digits.
    #[schema(pattern = "^[0-9]{5}$")]
    pub postal_code: String,
    /// Merchant category code (52): 4 digits, 7523 for parking.
    #[schema(pattern = "^[0-9]{4}$")]
    pub mcc: String,
}

/// QRIS text fields are printable ASCII without '|' (QRIS 4.7: the pipe is reserved).
fn qris_text(value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() || value.chars().count() > max {
        return Err(format!("must be 1 to {max} characters"));
    }
    if !value.chars().all(|c| (' '..='~').contains(&c) && c != '|') {
        return Err("must be printable ASCII without '|' (QRIS)".into());
    }
    Ok(())
}

fn digits(value: &str, range: std::ops::RangeInclusive<usize>) -> bool {
    range.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

impl MerchantAccountSpec {
    /// Checks every field against the QRIS rules; the first broken one is `(field, rule)`.
    /// Every broken rule, field by field (empty when the account is well-formed).
    pub fn check(&self) -> Vec<(&'static str, String)> {
        let mut broken = Vec::new();
        let mut rule = |field: &'static str, result: Result<(), String>| {
            if let Err(m) = result {
                broken.push((field, m));
            }
        };
        let given = |ok: bool, message: &str| if ok { Ok(()) } else { Err(message.to_owned()) };
        rule("gui", qris_text(&self.gui, 32));
        rule(
            "pan",
            given(digits(&self.pan, 16..=19), "must be 16 to 19 digits"),
        );
        rule("merchant_id", qris_text(&self.merchant_id, 15));
        rule(
            "criteria",
            given(
                CRITERIA.contains(&self.criteria.as_str()),
                &format!("must be one of {}", CRITERIA.join(", ")),
            ),
        );
        let nmid_ok = self
            .nmid
            .strip_prefix("ID")
            .is_some_and(|rest| digits(rest, 10..=13));
        rule(
            "nmid",
            given(nmid_ok, "must be ID followed by 10 to 13 digits"),
        );
        rule("name", qris_text(&self.name, 25));
        rule("city", qris_text(&self.city, 15));
        rule(
            "postal_code",
            given(digits(&self.postal_code, 5..=5), "must be 5 digits"),
        );
        rule(
            "mcc",
            given(
                digits(&self.mcc, 4..=4),
                "must be 4 digits (7523 for parking)",
            ),
        );
        broken
    }
}
