//! Newtypes that parse, don't validate: a value of one of these types has passed its rule.
//!
//! Each `parse` returns the rule it broke as a message; the caller adds the field name
//! (`error::field`). The ground floor: nothing here imports anything of ours but `domain`.

pub mod attendant;
pub mod charge;
pub mod merchant;
pub mod money;
pub mod password;
pub mod payment;
pub mod spot;
pub mod time;
pub mod zone;

pub use attendant::{AttendantStatus, KtaNumber, Nik, Phone, Pin};
pub use merchant::MerchantAccountSpec;
pub use money::{Rupiah, ShareBps, split};
pub use payment::{GatewayName, Notification, PaymentFlag, PaymentSource, PaymentStatus};
pub use spot::{Coordinates, SpotCode, TerminalId};
pub use time::business_date;
pub use zone::{Tariffs, VehicleClass, ZoneCode};

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

/// A vocabulary stored in a `text` column: written as its `as_str`, read back through its
/// `parse` (and displayed as its `as_str`); a stored word outside the vocabulary is a read error naming it, never a guess. The
/// type derives `AsExpression` and `FromSqlRow` with `#[diesel(sql_type = Text)]`.
macro_rules! text_column {
    ($t:ty, $what:literal) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $t {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                std::io::Write::write_all(out, self.as_str().as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $t {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let raw = std::str::from_utf8(bytes.as_bytes())?;
                <$t>::parse(raw)
                    .ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), raw).into())
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_column;
