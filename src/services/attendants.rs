//! The attendant registry's use cases beyond plain records: resetting a PIN.

use crate::auth::hash_secret;
use crate::db::{self, attendants};
use crate::domain::Pin;
use crate::error::ApiError;
use crate::state::AppState;

/// Sets a new PIN (the attendant's old sessions end: a new token version).
pub async fn reset_pin(state: &AppState, id: i64, pin: Pin) -> Result<(), ApiError> {
    let registered = db::run(&state.pool, move |conn| {
        super::duty::registered_attendant(conn, id)
    })
    .await?;
    crate::error::field("pin", pin.check_nik(&registered.nik))?;
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
