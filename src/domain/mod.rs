//! Newtypes that parse, don't validate: a value of one of these types has passed its rule.
//!
//! Each `parse` returns the rule it broke as a message; the caller adds the field name
//! (`error::field`). The ground floor: nothing here imports anything of ours but `domain`.

pub mod attendant;
pub mod charge;
pub mod citizen;
pub mod merchant;
pub mod money;
pub mod password;
pub mod payment;
pub mod payout;
pub mod photo;
pub mod roster;
pub mod spot;
pub mod time;
pub mod zone;

pub use attendant::{AttendantStatus, KtaNumber, Nik, Phone, Pin};
pub use citizen::{Hotline, Location, ReportKind, ReportStatus};
pub use merchant::MerchantAccountSpec;
pub use money::{Rupiah, ShareBps, split};
pub use payment::{GatewayName, Notification, PaymentFlag, PaymentSource, PaymentStatus};
pub use photo::Portrait;
pub use spot::{Coordinates, SpotCode, TerminalId};
pub use time::business_date;
pub use zone::{Tariffs, VehicleClass, ZoneCode};

/// A code (a spot's, a KTA number) as one URL path segment: letters, digits, '-', '_' and '.'
/// stay, anything else is percent-encoded (`001/KTA/2026` → `001%2FKTA%2F2026`).
pub fn path_segment(code: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(code, SEGMENT).to_string()
}

/// A human name or label: trimmed, 1..=max characters, no control characters.
pub fn label(value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(value.to_owned())
}

/// Whether `code` is a city's code (SPEC §17): 2 to 8 capital letters, the prefix of its spot
/// codes by custom (`JMB`, `BPN`).
pub fn is_city_code(code: &str) -> bool {
    (2..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase())
}
