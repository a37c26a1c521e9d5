//! `POST/GET /zones`, `GET/PATCH /zones/{id}`: zones and their versioned tariffs, share and
//! target. A PATCH of tariffs, share or target adds a version; it never edits one.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{JsonBody, PageParams, Paged, QueryParams, double_option};
use crate::auth::{Admin, Staff};
use crate::db::{self, zones as repo};
use crate::domain::{Rupiah, ShareBps, Tariffs, ZoneCode, label};
use crate::error::ApiError;
use crate::error::field;
use crate::state::AppState;

/// "In force from the beginning": the effective instant of a zone's first version by default.
pub fn beginning() -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0).single().unwrap_or_default()
}

/// How far in the past a new version may start: a little clock skew, never a revaluation.
const BACKDATE_TOLERANCE_SECS: i64 = 60;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateZone {
    pub code: String,
    pub name: String,
    /// Kecamatan.
    pub district: String,
    pub merchant_account_id: i64,
    /// Rupiah per vehicle class, e.g. `{"motorcycle": 2000, "car": 3000}`.
    pub tariffs: BTreeMap<String, i64>,
    /// The attendant's share of gross in basis points (6000 = 60%).
    pub attendant_share_bps: i64,
    /// Daily target per attendant on duty, rupiah.
    pub daily_target: Option<i64>,
    /// When this first version comes into force; default: from the beginning.
    pub effective_from: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchZone {
    pub name: Option<String>,
    pub district: Option<String>,
    pub merchant_account_id: Option<i64>,
    /// Replaces the whole tariff map in the new version.
    pub tariffs: Option<BTreeMap<String, i64>>,
    pub attendant_share_bps: Option<i64>,
    /// `null` removes the target in the new version.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub daily_target: Option<Option<i64>>,
    /// When the new version comes into force; default now; never in the past.
    pub effective_from: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionView {
    pub effective_from: DateTime<Utc>,
    #[schema(value_type = BTreeMap<String, i64>)]
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    pub daily_target: Option<i64>,
}

/// A zone with the version in force now flattened in, and every version.
#[derive(Serialize, ToSchema)]
pub struct ZoneView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub district: String,
    pub merchant_account_id: i64,
    #[schema(value_type = BTreeMap<String, i64>)]
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    pub daily_target: Option<i64>,
    pub effective_from: DateTime<Utc>,
    pub versions: Vec<VersionView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ZoneView {
    pub fn new(zone: repo::Zone, versions: Vec<repo::ZoneVersion>) -> Self {
        let now = Utc::now();
        let current = versions
            .iter()
            .rev()
            .find(|v| v.effective_from <= now)
            .or(versions.first());
        let (tariffs, share, target, from) = match current {
            Some(v) => (
                v.tariffs.clone(),
                v.attendant_share_bps,
                v.daily_target,
                v.effective_from,
            ),
            None => (serde_json::json!({}), 0, None, zone.created_at),
        };
        Self {
            id: zone.id,
            code: zone.code,
            name: zone.name,
            district: zone.district,
            merchant_account_id: zone.merchant_account_id,
            tariffs,
            attendant_share_bps: share,
            daily_target: target,
            effective_from: from,
            versions: versions
                .into_iter()
                .map(|v| VersionView {
                    effective_from: v.effective_from,
                    tariffs: v.tariffs,
                    attendant_share_bps: v.attendant_share_bps,
                    daily_target: v.daily_target,
                })
                .collect(),
            created_at: zone.created_at,
            updated_at: zone.updated_at,
        }
    }
}

fn parse_tariffs(raw: &BTreeMap<String, i64>) -> Result<Tariffs, ApiError> {
    Tariffs::parse(raw).map_err(|(f, m)| ApiError::invalid(f, m))
}

fn parse_target(raw: Option<i64>) -> Result<Option<i64>, ApiError> {
    raw.map(|t| field("daily_target", Rupiah::parse_non_negative(t)).map(|r| r.0))
        .transpose()
}

fn merchant_must_exist(conn: &mut diesel::PgConnection, id: i64) -> Result<(), ApiError> {
    match db::zones::find_merchant_account(conn, id)? {
        Some(_) => Ok(()),
        None => Err(ApiError::NotFound(format!(
            "merchant_account_id: merchant account {id} does not exist"
        ))),
    }
}

#[utoipa::path(post, path = "/api/v1/zones", tag = "registry", request_body = CreateZone,
    responses((status = 201, body = ZoneView), (status = 400, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create(
    _: Admin,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CreateZone>,
) -> Result<HttpResponse, ApiError> {
    let code = field("code", ZoneCode::parse(&body.code))?.into_inner();
    let name = field("name", label(&body.name, 100))?;
    let district = field("district", label(&body.district, 100))?;
    let tariffs = parse_tariffs(&body.tariffs)?;
    let share = field(
        "attendant_share_bps",
        ShareBps::parse(body.attendant_share_bps),
    )?;
    let target = parse_target(body.daily_target)?;
    let version = repo::NewZoneVersion {
        effective_from: body.effective_from.unwrap_or_else(beginning),
        tariffs: tariffs.to_json(),
        attendant_share_bps: share.0,
        daily_target: target,
    };
    let merchant_account_id = body.merchant_account_id;
    let (zone, versions) = db::run(&state.pool, move |conn| {
        merchant_must_exist(conn, merchant_account_id)?;
        let new = repo::NewZone {
            code: &code,
            name: &name,
            district: &district,
            merchant_account_id,
        };
        Ok(repo::insert_zone(conn, &new, &version)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(ZoneView::new(zone, versions)))
}

#[utoipa::path(get, path = "/api/v1/zones", tag = "registry", params(PageParams),
    responses((status = 200, description = "`{items, next_cursor}` of zones")),
    security(("bearer" = [])))]
pub async fn list(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let rows = db::run(&state.pool, move |conn| {
        let zones = repo::list_zones(conn, page.after, page.limit + 1)?;
        let mut out = Vec::with_capacity(zones.len());
        for zone in zones {
            let versions = repo::versions_of(conn, zone.id)?;
            out.push(ZoneView::new(zone, versions));
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |z| z.id)))
}

fn load_view(conn: &mut diesel::PgConnection, id: i64) -> Result<ZoneView, ApiError> {
    let zone = repo::find_zone(conn, id)?
        .ok_or_else(|| ApiError::NotFound(format!("zone {id} does not exist")))?;
    let versions = repo::versions_of(conn, id)?;
    Ok(ZoneView::new(zone, versions))
}

#[utoipa::path(get, path = "/api/v1/zones/{id}", tag = "registry",
    responses((status = 200, body = ZoneView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = db::run(&state.pool, move |conn| load_view(conn, id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(patch, path = "/api/v1/zones/{id}", tag = "registry", request_body = PatchZone,
    responses((status = 200, body = ZoneView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn patch(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchZone>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let changes = repo::ZoneChanges {
        name: body
            .name
            .as_deref()
            .map(|n| field("name", label(n, 100)))
            .transpose()?,
        district: body
            .district
            .as_deref()
            .map(|d| field("district", label(d, 100)))
            .transpose()?,
        merchant_account_id: body.merchant_account_id,
    };
    let tariffs = body.tariffs.as_ref().map(parse_tariffs).transpose()?;
    let share = body
        .attendant_share_bps
        .map(|s| field("attendant_share_bps", ShareBps::parse(s)))
        .transpose()?;
    let target = body.daily_target.map(parse_target).transpose()?;
    let versioned = tariffs.is_some() || share.is_some() || target.is_some();
    let now = Utc::now();
    let effective_from = match body.effective_from {
        Some(_) if !versioned => {
            return Err(ApiError::invalid(
                "effective_from",
                "only applies with tariffs, attendant_share_bps or daily_target",
            ));
        }
        Some(at) if at < now - Duration::seconds(BACKDATE_TOLERANCE_SECS) => {
            return Err(ApiError::invalid(
                "effective_from",
                "must not be in the past: a change never revalues past payments",
            ));
        }
        Some(at) => at,
        None => now,
    };
    let view = db::run(&state.pool, move |conn| {
        use diesel::Connection;
        conn.transaction(|conn| {
            repo::find_zone(conn, id)?
                .ok_or_else(|| ApiError::NotFound(format!("zone {id} does not exist")))?;
            if let Some(m) = changes.merchant_account_id {
                merchant_must_exist(conn, m)?;
            }
            repo::update_zone(conn, id, &changes)?;
            if versioned {
                let base = repo::version_at(conn, id, effective_from)?;
                let version = repo::NewZoneVersion {
                    effective_from,
                    tariffs: match (&tariffs, &base) {
                        (Some(t), _) => t.to_json(),
                        (None, Some(b)) => b.tariffs.clone(),
                        (None, None) => {
                            return Err(ApiError::invalid(
                                "tariffs",
                                "is required: no earlier version to inherit from",
                            ));
                        }
                    },
                    attendant_share_bps: share
                        .map(|s| s.0)
                        .or(base.as_ref().map(|b| b.attendant_share_bps))
                        .ok_or_else(|| {
                            ApiError::invalid(
                                "attendant_share_bps",
                                "is required: no earlier version to inherit from",
                            )
                        })?,
                    daily_target: match target {
                        Some(t) => t,
                        None => base.as_ref().and_then(|b| b.daily_target),
                    },
                };
                repo::insert_version(conn, id, &version)?;
            }
            load_view(conn, id)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
