//! The operator's use cases (SPEC §17): cities, each city's first admin, and every city's
//! totals. An operator belongs to no city; what it writes in one (the first admin) it writes
//! acting for that city alone, and what it reads of all of them are sums, never people.

use diesel::PgConnection;

use crate::auth::Role;
use crate::config::Office;
use crate::db::cities::{self as repo, City};
use crate::domain::Hotline;
use crate::error::ApiError;
use crate::state::AppState;

/// The zones a new city may keep its business day in: Indonesia's three.
pub const TIMEZONES: [&str; 3] = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];

/// A new city, checked: code 2–8 capitals, a name, one of [`TIMEZONES`].
pub struct NewCity {
    pub code: String,
    pub name: String,
    pub timezone: String,
}

impl NewCity {
    pub fn parse(code: &str, name: &str, timezone: &str) -> Result<Self, ApiError> {
        let code = if crate::domain::is_city_code(code) {
            Ok(code.to_owned())
        } else {
            Err(ApiError::invalid(
                "code",
                "must be 2 to 8 capital letters (e.g. BPN)",
            ))
        };
        let name = parse_name(name);
        let timezone = if TIMEZONES.contains(&timezone) {
            Ok(timezone.to_owned())
        } else {
            Err(ApiError::invalid(
                "timezone",
                "must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
            ))
        };
        let (code, name, timezone) = crate::error::all((code, name, timezone))?;
        Ok(Self {
            code,
            name,
            timezone,
        })
    }
}

pub fn parse_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if (1..=80).contains(&name.chars().count()) && !name.chars().any(char::is_control) {
        Ok(name.to_owned())
    } else {
        Err(ApiError::invalid(
            "name",
            "give the city's name, at most 80 characters, no control characters",
        ))
    }
}

pub async fn create(state: &AppState, new: NewCity) -> Result<City, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::insert(conn, &new.code, &new.name, &new.timezone).map_err(|e| {
            match ApiError::from(e) {
                ApiError::Conflict { .. } => {
                    ApiError::conflict(Some("code"), "another city has this code")
                }
                other => other,
            }
        })
    })
    .await
}

pub async fn list(state: &AppState) -> Result<Vec<City>, ApiError> {
    super::run(&state.pool, |conn| Ok(repo::all(conn)?)).await
}

/// What `PATCH /cities/{id}` changes: the name, the office on its documents, the hotline on
/// its citizens' pages (`Some(None)`: back to the default).
pub struct CityChange {
    pub name: Option<String>,
    pub office: Option<Option<Office>>,
    pub hotline: Option<Option<Hotline>>,
}

pub async fn change(state: &AppState, id: i64, change: CityChange) -> Result<City, ApiError> {
    let office = match change.office {
        Some(Some(o)) => Some(Some(serde_json::to_value(o).map_err(ApiError::internal)?)),
        Some(None) => Some(None),
        None => None,
    };
    let hotline = change.hotline.map(|h| h.map(|h| h.shown().to_owned()));
    super::run(&state.pool, move |conn| {
        repo::set_letterhead(conn, id, change.name.as_deref(), office, hotline)?
            .ok_or_else(|| not_found(id))
    })
    .await
}

/// The letterhead and hotline of the city the request acts for (SPEC §17): what the city set,
/// else for the default city the settings (`PARKIR_OFFICE_*`, `PARKIR_HOTLINE`), else its
/// Dinas Perhubungan by the city's name and no hotline.
pub struct Letterhead {
    pub office: Office,
    pub hotline: Option<Hotline>,
}

pub async fn letterhead(state: &AppState) -> Result<Letterhead, ApiError> {
    let Some(id) = crate::state::current_city() else {
        return Ok(Letterhead {
            office: state.office.clone(),
            hotline: state.hotline.clone(),
        });
    };
    let stored = super::run(&state.pool, move |conn| Ok(repo::letterhead(conn, id)?)).await?;
    let default = id == crate::state::DEFAULT_CITY;
    let stored = stored.unwrap_or(repo::Letterhead {
        name: String::new(),
        office: None,
        hotline: None,
    });
    let office = match stored.office.and_then(|o| serde_json::from_value(o).ok()) {
        Some(office) => office,
        None if default => state.office.clone(),
        None => Office {
            name: format!("Dinas Perhubungan {}", stored.name),
            ..Office::default()
        },
    };
    let hotline = match stored.hotline.and_then(|h| Hotline::parse(&h).ok()) {
        Some(h) => Some(h),
        None if default => state.hotline.clone(),
        None => None,
    };
    Ok(Letterhead { office, hotline })
}

/// The city the caller acts for.
pub async fn own(state: &AppState) -> Result<City, ApiError> {
    let id = crate::state::current_city()
        .ok_or_else(|| ApiError::NotFound("an operator belongs to no city".into()))?;
    super::run(&state.pool, move |conn| must_exist(conn, id)).await
}

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("city {id} does not exist"))
}

fn must_exist(conn: &mut PgConnection, id: i64) -> Result<City, ApiError> {
    repo::find(conn, id)?.ok_or_else(|| not_found(id))
}

/// A city's first admin (or any admin): created acting for that city alone.
pub async fn add_admin(
    state: &AppState,
    city: i64,
    username: String,
    password: String,
) -> Result<super::staff::StaffView, ApiError> {
    super::run(&state.pool, move |conn| must_exist(conn, city)).await?;
    let created = super::staff::create(state, username, password, Role::Admin);
    crate::state::in_city(state.acting(Some(city)).await?, created).await
}

/// One city's totals of a business day.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CityDay {
    pub city_id: i64,
    pub code: String,
    pub name: String,
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    pub city_share: i64,
}

/// Every city's totals of its own business day `date`.
pub async fn summary(state: &AppState, date: chrono::NaiveDate) -> Result<Vec<CityDay>, ApiError> {
    super::run(&state.pool, move |conn| {
        let cities = repo::all(conn)?;
        let totals = repo::totals(conn, date)?;
        Ok(cities
            .into_iter()
            .map(|c| {
                let t = totals.iter().find(|t| t.city_id == c.id);
                let sum = |f: fn(&repo::CityTotals) -> i64| t.map(f).unwrap_or(0);
                CityDay {
                    city_id: c.id,
                    code: c.code,
                    name: c.name,
                    tx_count: sum(|t| t.tx_count),
                    noncash_gross: sum(|t| t.noncash_gross),
                    cash_gross: sum(|t| t.cash_gross),
                    gross: sum(|t| t.gross),
                    city_share: sum(|t| t.city_share),
                }
            })
            .collect())
    })
    .await
}

/// A city's gateway credentials as given (`PUT /cities/{id}/gateways`), any subset.
pub struct GatewayCredentials {
    pub snap: Option<SnapCredentials>,
    pub midtrans_server_key: Option<String>,
    pub xendit_callback_token: Option<String>,
}

pub struct SnapCredentials {
    pub client_key: String,
    pub client_secret: Option<String>,
    pub public_key_pem: Option<String>,
}

/// What a city's gateways are, as the operator may see it: whether each is configured and the
/// SNAP client key (not a secret), never a secret.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct GatewaysView {
    pub city_id: i64,
    /// The SNAP client key (X-CLIENT-KEY / X-PARTNER-ID), when SNAP is configured.
    pub snap_client_key: Option<String>,
    pub snap: bool,
    pub midtrans: bool,
    pub xendit: bool,
}

/// Seals and stores a city's credentials, acting for that city alone: 404 for an unknown
/// city, 503 without `PARKIR_SECRET_KEY`, 409 when another city holds the SNAP client key or
/// the Xendit token (an acquirer serving several cities registers a partner id per city).
pub async fn put_gateways(
    state: &AppState,
    city: i64,
    given: GatewayCredentials,
) -> Result<GatewaysView, ApiError> {
    let key = state.secret_key.clone().ok_or_else(|| {
        ApiError::Unavailable(
            "PARKIR_SECRET_KEY is not set: credentials cannot be stored sealed".into(),
        )
    })?;
    super::run(&state.pool, move |conn| must_exist(conn, city)).await?;
    let put = repo::PutGateways {
        snap: given.snap.map(|s| {
            (
                s.client_key,
                s.client_secret
                    .map(|secret| key.seal(city, "snap_client_secret", &secret)),
                s.public_key_pem,
            )
        }),
        midtrans: given
            .midtrans_server_key
            .map(|k| key.seal(city, "midtrans_server_key", &k)),
        xendit: given.xendit_callback_token.map(|t| {
            (
                key.seal(city, "xendit_callback_token", &t),
                crate::gateways::credentials::token_fingerprint(&t),
            )
        }),
    };
    let stored = super::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            repo::put_gateways(conn, &put).map_err(held_elsewhere)?;
            Ok(repo::sealed(conn)?.unwrap_or_default())
        })
    });
    let sealed = crate::state::in_city(state.acting(Some(city)).await?, stored).await?;
    state.gateway_routes.forget();
    Ok(GatewaysView {
        city_id: city,
        snap: sealed.snap_client_key.is_some(),
        snap_client_key: sealed.snap_client_key,
        midtrans: sealed.midtrans_server_key.is_some(),
        xendit: sealed.xendit_callback_token.is_some(),
    })
}

/// A credential another city holds: 409 naming it.
fn held_elsewhere(e: diesel::result::Error) -> ApiError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let field = match info.constraint_name() {
                Some("city_gateways_xendit_token") => "xendit.callback_token",
                _ => "snap.client_key",
            };
            ApiError::conflict(
                Some(field),
                format!("{field}: another city holds it; register a separate one per city"),
            )
        }
        _ => e.into(),
    }
}
