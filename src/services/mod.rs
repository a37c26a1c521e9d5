//! Use cases: one function per thing a user does, called by routes, the CLI, `demo`, the
//! benches and background jobs alike. A service takes domain types and the state it needs,
//! reaches the database only through `db`, and returns domain results or an `ApiError`.

pub mod alerts;
pub mod attendants;
pub mod callbacks;
pub mod cash;
pub mod charges;
pub mod citizen;
pub mod duty;
pub mod login;
pub mod qr;
pub mod reconciliation;
pub mod reports;
pub mod snap_tokens;
pub mod staff;
pub mod zones;

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
