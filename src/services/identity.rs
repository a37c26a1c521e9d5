//! Who is this attendant (SPEC §16): their photo, the consent to show it, the KTA card a
//! zone's attendants carry, and the public check of a card that anyone can make.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, attendants::Attendant};
use crate::domain::{AttendantStatus, Portrait, path_segment};
use crate::error::ApiError;
use crate::state::AppState;

/// Photos decoded at once: each may hold up to `photo::MAX_DECODER_ALLOC` bytes while it is
/// decoded, so two bound the memory uploads can take, whatever arrives together.
const DECODING_AT_ONCE: usize = 2;

fn decoders() -> &'static std::sync::Arc<tokio::sync::Semaphore> {
    static DECODERS: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::OnceLock::new();
    DECODERS.get_or_init(|| std::sync::Arc::new(tokio::sync::Semaphore::new(DECODING_AT_ONCE)))
}

/// A photo just stored.
pub struct PhotoSaved {
    pub attendant: Attendant,
    /// The stored JPEG's size.
    pub bytes: usize,
    pub etag: String,
}

/// Checks and re-encodes an upload, then stores it as the attendant's photo. An upload that
/// is refused stores nothing, and neither does an unknown attendant (checked first).
pub async fn upload_photo(
    state: &AppState,
    id: i64,
    upload: Vec<u8>,
) -> Result<PhotoSaved, ApiError> {
    super::run(&state.pool, move |conn| {
        super::duty::registered_attendant(conn, id)
    })
    .await?;
    // The permit travels with the decode: a client that hangs up does not free it while the
    // decode still runs.
    let permit = decoders()
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    let portrait = actix_web::web::block(move || {
        let decoded = Portrait::from_upload(&upload);
        drop(permit);
        decoded
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|rule| ApiError::invalid("photo", rule))?;
    super::run(&state.pool, move |conn| {
        let etag = portrait.etag();
        let attendant = db::attendants::set_photo(conn, id, portrait.jpeg(), &etag)?
            .ok_or_else(|| ApiError::NotFound(format!("attendant {id} does not exist")))?;
        Ok(PhotoSaved {
            attendant,
            bytes: portrait.jpeg().len(),
            etag,
        })
    })
    .await
}

/// A photo and its ETag.
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub etag: String,
}

/// An attendant's stored photo, for staff; 404 for an unknown attendant or one without.
pub async fn photo(state: &AppState, id: i64) -> Result<Photo, ApiError> {
    super::run(&state.pool, move |conn| {
        super::duty::registered_attendant(conn, id)?;
        let (jpeg, etag) = db::attendants::photo_of(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("attendant {id} has no photo")))?;
        Ok(Photo { jpeg, etag })
    })
    .await
}

/// Whether the public may see this attendant's face: active, consented, and a photo stored.
pub fn shows_face(a: &Attendant) -> bool {
    a.status == AttendantStatus::Active && a.photo_public && a.photo_etag.is_some()
}

/// The public address of a card's check: `/cek/kta/{kta}` for the default city's cards,
/// `/cek/kta/{city_code}/{kta}` for another city's, the number one path segment (SPEC §16,
/// §17).
pub fn check_path(city: Option<&str>, kta_number: &str) -> String {
    match city {
        Some(code) => format!(
            "/cek/kta/{}/{}",
            path_segment(code),
            path_segment(kta_number)
        ),
        None => format!("/cek/kta/{}", path_segment(kta_number)),
    }
}

/// The public address of a shown photo (`?city=CODE` for another city than the default).
pub fn public_photo_path(city: Option<&str>, kta_number: &str) -> String {
    format!(
        "/api/v1/public/attendants/{}/photo{}",
        path_segment(kta_number),
        city.map(|c| format!("?city={}", path_segment(c)))
            .unwrap_or_default()
    )
}

/// The code a city's cards name in their public addresses: none for the default city.
pub fn card_city(conn: &mut PgConnection, city: Option<i64>) -> Result<Option<String>, ApiError> {
    Ok(match city {
        Some(id) if id != crate::state::DEFAULT_CITY => db::cities::find(conn, id)?.map(|c| c.code),
        _ => None,
    })
}

/// Whom a card's public address names (SPEC §17): `/cek/kta/{city_code}/{kta}` the city of
/// that code (when there is one), anything else a KTA number of the default city.
pub async fn card_address(
    state: &AppState,
    path: String,
) -> Result<(crate::state::Acting, Option<String>, String), ApiError> {
    let split = path
        .split_once('/')
        .filter(|(head, rest)| crate::domain::is_city_code(head) && !rest.is_empty())
        .map(|(head, rest)| (head.to_owned(), rest.to_owned()));
    let default = || state.acting(Some(crate::state::DEFAULT_CITY));
    let Some((code, rest)) = split else {
        return Ok((default().await?, None, path));
    };
    let city = super::run(&state.pool, move |conn| {
        Ok(db::cities::by_code(conn, &code)?)
    })
    .await?;
    match city {
        Some(c) if c.id != crate::state::DEFAULT_CITY => {
            Ok((state.acting(Some(c.id)).await?, Some(c.code), rest))
        }
        Some(_) => Ok((default().await?, None, rest)),
        None => Ok((default().await?, None, path)),
    }
}

/// The cities that issued a KTA number typed without its city (the card's own QR names it):
/// their codes, the default city's as none.
pub async fn cities_of_kta(state: &AppState, kta: String) -> Result<Vec<Option<String>>, ApiError> {
    super::run(&state.pool, move |conn| {
        let default = db::cities::find(conn, crate::state::DEFAULT_CITY)?.map(|c| c.code);
        Ok(db::cities::of_kta(conn, &kta)?
            .into_iter()
            .map(|code| (Some(&code) != default.as_ref()).then_some(code))
            .collect())
    })
    .await
}

/// The city a public query names (`?city=CODE`): 404 for a code no city has; none, the
/// default city.
pub async fn city_named(
    state: &AppState,
    code: Option<String>,
) -> Result<crate::state::Acting, ApiError> {
    let Some(code) = code else {
        return state.acting(Some(crate::state::DEFAULT_CITY)).await;
    };
    let shown = code.clone();
    let city = super::run(&state.pool, move |conn| {
        Ok(db::cities::by_code(conn, &code)?)
    })
    .await?;
    match city {
        Some(c) => state.acting(Some(c.id)).await,
        None => Err(ApiError::NotFound(format!("city {shown} does not exist"))),
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpotOnDuty {
    pub code: String,
    pub name: String,
}

/// What anyone may know of a card's holder (SPEC §16): no NIK, no phone, no id.
#[derive(Serialize, ToSchema)]
pub struct PublicAttendant {
    pub kta_number: String,
    pub name: String,
    /// `active`, `suspended` or `retired`.
    #[schema(pattern = "^(active|suspended|retired)$")]
    pub status: String,
    /// The zone of their current duty, else of their latest.
    pub zone: Option<String>,
    /// Where they are on duty now (only while active).
    pub spot_on_duty: Option<SpotOnDuty>,
    /// Their photo, only while they are active and have agreed to show it.
    pub photo_url: Option<String>,
    /// The code of their city in public addresses (none: the default city); the pages' own.
    #[serde(skip)]
    pub city_code: Option<String>,
}

/// The name of the zone an attendant works in: of their duty now, else their latest; with
/// `or_next`, else their first still to come (a card printed before a roster starts).
fn zone_of(
    conn: &mut PgConnection,
    attendant_id: i64,
    now: DateTime<Utc>,
    or_next: bool,
) -> Result<Option<String>, ApiError> {
    Ok(
        match db::attendants::duty_of_record(conn, attendant_id, now, or_next)? {
            Some(duty) => db::spots::spot_context(conn, duty.spot_id)?.map(|ctx| ctx.zone.name),
            None => None,
        },
    )
}

fn public_attendant_in(
    conn: &mut PgConnection,
    a: &Attendant,
    now: DateTime<Utc>,
    base: &str,
    city: Option<String>,
) -> Result<PublicAttendant, ApiError> {
    let zone = zone_of(conn, a.id, now, false)?;
    let spot_on_duty = match db::attendants::assignment_of_attendant_at(conn, a.id, now)? {
        Some(duty) if a.status == AttendantStatus::Active => {
            db::spots::find_spot(conn, duty.spot_id)?.map(|s| SpotOnDuty {
                code: s.code,
                name: s.name,
            })
        }
        _ => None,
    };
    Ok(PublicAttendant {
        kta_number: a.kta_number.clone(),
        name: a.name.clone(),
        status: a.status.as_str().to_owned(),
        zone,
        spot_on_duty,
        photo_url: shows_face(a).then(|| {
            format!(
                "{base}{}",
                public_photo_path(city.as_deref(), &a.kta_number)
            )
        }),
        city_code: city,
    })
}

/// Who holds a KTA number as someone typed it: trimmed, exactly as issued, else in any case
/// when only one card matches (`kta-jmb-2026-001` is `KTA-JMB-2026-001`).
fn holder(conn: &mut PgConnection, typed: &str) -> Result<Option<Attendant>, ApiError> {
    let Ok(kta) = crate::domain::KtaNumber::parse(typed) else {
        return Ok(None);
    };
    Ok(db::attendants::find_attendant_by_kta(conn, kta.as_str())?)
}

/// The public check of a KTA number; 404 when no attendant holds it. `base` is the service's
/// public origin, for the photo's address.
pub async fn public_attendant(
    state: &AppState,
    kta_number: String,
    base: String,
) -> Result<PublicAttendant, ApiError> {
    let city = crate::state::current_city();
    super::run(&state.pool, move |conn| {
        let a = holder(conn, &kta_number)?
            .ok_or_else(|| ApiError::NotFound(format!("no attendant holds KTA {kta_number}")))?;
        let city = card_city(conn, city)?;
        public_attendant_in(conn, &a, Utc::now(), &base, city)
    })
    .await
}

/// The photo of a card's holder as the public sees it: 404 unless it is shown
/// ([`PublicAttendant::photo_url`] is set).
pub async fn public_photo(state: &AppState, kta_number: String) -> Result<Photo, ApiError> {
    super::run(&state.pool, move |conn| {
        let hidden = || ApiError::NotFound(format!("no public photo for KTA {kta_number}"));
        let a = holder(conn, &kta_number)?.ok_or_else(hidden)?;
        if !shows_face(&a) {
            return Err(hidden());
        }
        let (jpeg, etag) = db::attendants::photo_of(conn, a.id)?.ok_or_else(hidden)?;
        Ok(Photo { jpeg, etag })
    })
    .await
}

/// One KTA card, as printed.
pub struct Card {
    pub name: String,
    pub kta_number: String,
    pub zone: Option<String>,
    pub photo: Option<Vec<u8>>,
    /// The full address of the card's public check, for its QR.
    pub check_url: String,
    /// 31 December of the year it is printed, in the city's time zone.
    pub valid_until: NaiveDate,
}

/// The cards of a sheet and who issues them.
pub struct CardSheet {
    pub office: crate::config::Office,
    /// The complaint line printed on each card, when the city has one.
    pub hotline: Option<String>,
    /// False when `PARKIR_PUBLIC_URL` is not set: the QR then holds the address the request
    /// came to, which the page warns of on screen.
    pub public_url_set: bool,
    /// The zone, for a zone's sheet.
    pub zone: Option<String>,
    pub cards: Vec<Card>,
}

fn card_of(
    conn: &mut PgConnection,
    a: &Attendant,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    base: &str,
    city: Option<&str>,
) -> Result<Card, ApiError> {
    let zone = zone_of(conn, a.id, now, true)?;
    let year = now.with_timezone(&tz).year();
    Ok(Card {
        name: a.name.clone(),
        kta_number: a.kta_number.clone(),
        zone,
        photo: db::attendants::photo_of(conn, a.id)?.map(|(jpeg, _)| jpeg),
        check_url: format!("{base}{}", check_path(city, &a.kta_number)),
        valid_until: NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists"),
    })
}

/// One attendant's card; 404 for an unknown attendant, 409 for one not active (a card says
/// its holder is on the city's roll).
pub async fn card(state: &AppState, id: i64, base: String) -> Result<CardSheet, ApiError> {
    let tz = state.timezone();
    let super::cities::Letterhead { office, hotline } = super::cities::letterhead(state).await?;
    let hotline = hotline.map(|h| h.shown().to_owned());
    let public_url_set = state.public_url.is_some();
    let city = crate::state::current_city();
    super::run(&state.pool, move |conn| {
        let city = card_city(conn, city)?;
        let a = super::duty::registered_attendant(conn, id)?;
        if a.status != AttendantStatus::Active {
            return Err(ApiError::Conflict {
                detail: format!(
                    "attendant {id} is {}: cards are printed for active attendants only",
                    a.status.as_str()
                ),
                field: Some("status".into()),
            });
        }
        Ok(CardSheet {
            office,
            hotline,
            public_url_set,
            zone: None,
            cards: vec![card_of(conn, &a, Utc::now(), tz, &base, city.as_deref())?],
        })
    })
    .await
}

/// The cards of every active attendant placed in a zone (their current duty, else their
/// latest, else their next), by name; 404 for an unknown zone.
pub async fn zone_cards(
    state: &AppState,
    zone_id: i64,
    base: String,
) -> Result<CardSheet, ApiError> {
    let tz = state.timezone();
    let super::cities::Letterhead { office, hotline } = super::cities::letterhead(state).await?;
    let hotline = hotline.map(|h| h.shown().to_owned());
    let public_url_set = state.public_url.is_some();
    let city = crate::state::current_city();
    super::run(&state.pool, move |conn| {
        let city = card_city(conn, city)?;
        let zone = db::zones::find_zone(conn, zone_id)?
            .ok_or_else(|| ApiError::NotFound(format!("zone {zone_id} does not exist")))?;
        let now = Utc::now();
        let cards = db::attendants::active_in_zone(conn, zone_id, now)?
            .iter()
            .map(|a| card_of(conn, a, now, tz, &base, city.as_deref()))
            .collect::<Result<_, _>>()?;
        Ok(CardSheet {
            office,
            hotline,
            public_url_set,
            zone: Some(zone.name),
            cards,
        })
    })
    .await
}

#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn a_card_names_its_city_unless_it_is_the_default_one() {
        assert_eq!(
            check_path(None, "001/KTA/2026"),
            "/cek/kta/001%2FKTA%2F2026"
        );
        assert_eq!(check_path(Some("BPN"), "KTA-0011"), "/cek/kta/BPN/KTA-0011");
        assert_eq!(
            public_photo_path(Some("BPN"), "KTA-0011"),
            "/api/v1/public/attendants/KTA-0011/photo?city=BPN"
        );
        assert_eq!(
            public_photo_path(None, "KTA-0011"),
            "/api/v1/public/attendants/KTA-0011/photo"
        );
    }
}
