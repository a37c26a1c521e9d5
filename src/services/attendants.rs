//! The attendant registry: registering, listing, reading and editing attendants, and
//! resetting a PIN.

use crate::auth::hash_secret;
use crate::db::attendants;
use crate::domain::{AttendantStatus, KtaNumber, Nik, Phone, Pin};
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
    let pin = super::run(&state.pool, move |conn| {
        check_new_pin(conn, id, &pin)?;
        Ok(pin)
    })
    .await?;
    let hash = actix_web::web::block(move || hash_secret(pin.as_str()))
        .await
        .map_err(ApiError::internal)??;
    super::run(&state.pool, move |conn| {
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

/// A new attendant, every field already checked (the PIN against the NIK too).
pub struct NewAttendant {
    pub nik: Nik,
    pub name: String,
    pub phone: Phone,
    pub kta_number: KtaNumber,
    pub pin: Pin,
}

/// Registers an attendant; a NIK, phone or KTA number already taken is a 409.
pub async fn register(
    state: &AppState,
    a: NewAttendant,
) -> Result<attendants::Attendant, ApiError> {
    super::run(&state.pool, move |conn| {
        let pin_hash = hash_secret(a.pin.as_str())?;
        Ok(attendants::insert_attendant(
            conn,
            &attendants::NewAttendant {
                nik: a.nik.as_str(),
                name: &a.name,
                phone: a.phone.as_str(),
                kta_number: a.kta_number.as_str(),
                pin_hash: &pin_hash,
            },
        )?)
    })
    .await
}

/// Attendants (of one status, or all) with ids after `after`, at most `fetch`.
pub async fn list(
    state: &AppState,
    status: Option<AttendantStatus>,
    after: i64,
    fetch: i64,
) -> Result<Vec<attendants::Attendant>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(attendants::list_attendants(
            conn,
            status.map(AttendantStatus::as_str),
            after,
            fetch,
        )?)
    })
    .await
}

/// A registered attendant; 404 for an unknown id.
pub async fn find(state: &AppState, id: i64) -> Result<attendants::Attendant, ApiError> {
    super::run(&state.pool, move |conn| {
        super::duty::registered_attendant(conn, id)
    })
    .await
}

/// An attendant with their payout account, if they have one (`GET /attendants/{id}`).
pub async fn find_with_account(
    state: &AppState,
    id: i64,
) -> Result<
    (
        attendants::Attendant,
        Option<crate::db::payouts::PayoutAccount>,
    ),
    ApiError,
> {
    super::run(&state.pool, move |conn| {
        let attendant = super::duty::registered_attendant(conn, id)?;
        Ok((attendant, crate::db::payouts::account_of(conn, id)?))
    })
    .await
}

/// An edit of an attendant's record, its fields already checked; a new PIN is checked against
/// the attendant's NIK here.
pub struct Edit {
    pub name: Option<String>,
    pub phone: Option<Phone>,
    pub kta_number: Option<KtaNumber>,
    pub status: Option<AttendantStatus>,
    pub pin: Option<Pin>,
    pub photo_public: Option<bool>,
}

/// Applies an edit; 404 for an unknown attendant, 409 for a phone or KTA number taken.
pub async fn edit(
    state: &AppState,
    id: i64,
    edit: Edit,
) -> Result<attendants::Attendant, ApiError> {
    super::run(&state.pool, move |conn| {
        match &edit.pin {
            Some(pin) => check_new_pin(conn, id, pin)?,
            None => super::duty::registered_attendant(conn, id)?,
        };
        let changes = attendants::AttendantChanges {
            name: edit.name,
            phone: edit.phone.map(|p| p.as_str().to_owned()),
            kta_number: edit.kta_number.map(|k| k.as_str().to_owned()),
            status: edit.status.map(|s| s.as_str().to_owned()),
            pin_hash: edit.pin.map(|p| hash_secret(p.as_str())).transpose()?,
            photo_public: edit.photo_public,
        };
        Ok(attendants::update_attendant(conn, id, &changes)?)
    })
    .await
}
