//! The operator's use cases (SPEC §17): cities, each city's first admin, and every city's
//! totals. An operator belongs to no city; what it writes in one (the first admin) it writes
//! acting for that city alone, and what it reads of all of them are sums, never people.

use diesel::PgConnection;

use crate::auth::Role;
use crate::db::cities::{self as repo, City};
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
        let code_ok = (2..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase());
        let code = if code_ok {
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
            "1 to 80 characters, no control characters",
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

pub async fn rename(state: &AppState, id: i64, name: String) -> Result<City, ApiError> {
    super::run(&state.pool, move |conn| {
        repo::rename(conn, id, &name)?.ok_or_else(|| not_found(id))
    })
    .await
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
