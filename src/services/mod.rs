//! Use cases: one function per thing a user does, called by routes, the CLI, `demo`, the
//! benches and background jobs alike. A service takes domain types and the state it needs,
//! reaches the database only through `db`, and returns domain results or an `ApiError`.

pub mod alerts;
pub mod attendants;
pub mod callbacks;
pub mod cash;
pub mod charges;
pub mod cities;
pub mod citizen;
pub mod duty;
pub mod feed;
pub mod health;
pub mod identity;
pub mod login;
pub mod merchant_accounts;
pub mod payments;
pub mod payouts;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod routing;
pub mod settlements;
pub mod snap_tokens;
pub mod spots;
pub mod staff;
pub mod zones;

pub use crate::state::read;
pub use crate::state::run;

/// A supervisor's triage of an alert or a citizen report: a new status and/or a note.
pub struct Triage {
    pub status: Option<String>,
    pub note: Option<String>,
}

impl Triage {
    /// The note to store (`{at, by, text}`, or none), once the triage is known to change
    /// something: a status, or a note that is not empty.
    pub fn note_by(
        &self,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<serde_json::Value>, crate::error::ApiError> {
        let note = staff_note(self.note.as_deref(), by, at)?;
        if self.status.is_none() && note.is_none() {
            return Err(crate::error::ApiError::invalid(
                "status",
                "give a status or a note",
            ));
        }
        Ok(note)
    }
}

/// A staff member's note on a record (an alert, a citizen report): `{at, by, text}`, or
/// nothing for an empty one; at most 1000 characters.
pub fn staff_note(
    note: Option<&str>,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Option<serde_json::Value>, crate::error::ApiError> {
    match note.map(str::trim) {
        Some(n) if n.chars().count() > 1000 => Err(crate::error::ApiError::invalid(
            "note",
            "must be at most 1000 characters",
        )),
        Some("") | None => Ok(None),
        Some(n) => Ok(Some(serde_json::json!({"at": at, "by": by, "text": n}))),
    }
}
