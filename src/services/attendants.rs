//! The attendant registry's use cases beyond plain records: resetting a PIN.

use crate::auth::hash_secret;
use crate::db::{self, attendants};
use crate::domain::Pin;
use crate::error::ApiError;
use crate::state::AppState;

/// The registered attendant `id`, when `pin` may be theirs: not the birth date their NIK
/// encodes (SPEC §10; the PIN's own rules are checked when it is parsed). 404 for an unknown id.
pub fn check_new_pin(
    conn: &mut diesel::PgConnection,
    id: i64,
    pin: &Pin,
) -> Result<attendants::Attendant, ApiError> {
    let registered = super::duty::registered_attendant(conn, id)?;
    crate::error::field("pin", pin.check_nik(&registered.nik))?;
    Ok(registered)
}

/// Sets a new PIN (the attendant's old sessions end: a new token version).
pub async fn reset_pin(state: &AppState, id: i64, pin: Pin) -> Result<(), ApiError> {
    let pin = db::run(&state.pool, move |conn| {
        check_new_pin(conn, id, &pin)?;
        Ok(pin)
    })
    .await?;
    let hash = actix_web::web::block(move || hash_secret(pin.as_str()))
        .await
        .map_err(ApiError::internal)??;
    db::run(&state.pool, move |conn| {
        super::duty::registered_attendant(conn, id)?;
        let changes = attendants::AttendantChanges {
            pin_hash: Some(hash),
            ..Default::default()
        };
        attendants::update_attendant(conn, id, &changes)?;
        Ok(())
    })
    .await
}
