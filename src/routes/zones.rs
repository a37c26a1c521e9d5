//! `POST/GET /zones`, `GET/PATCH /zones/{id}`: zones and their versioned tariffs, share and
//! target. A PATCH of tariffs, share or target adds a version; it never edits one.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, Type};

use crate::auth::{Admin, Staff};
use crate::db::zones as repo;
use crate::domain::{Rupiah, ShareBps, Tariffs, ZoneCode, label};
use crate::error::{ApiError, all, field};
use crate::services::zones::{self, ZoneRecord};
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams, double_option};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "PSR", "name": "Zona Pasar", "district": "Pasar Jambi", "merchant_account_id": 1, "tariffs": {"motorcycle": 2000, "car": 3000}, "attendant_share_bps": 6000, "daily_target": 140000}))]
pub struct CreateZone {
    #[schema(pattern = "^[A-Za-z0-9._-]{1,32}$")]
    pub code: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// Kecamatan.
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub district: String,
    #[schema(minimum = 1)]
    pub merchant_account_id: i64,
    /// Rupiah per vehicle class, e.g. `{"motorcycle": 2000, "car": 3000}`.
    #[schema(schema_with = tariffs_schema)]
    pub tariffs: BTreeMap<String, i64>,
    /// The attendant's share of gross in basis points (6000 = 60%).
    #[schema(minimum = 0, maximum = 10000)]
    pub attendant_share_bps: i64,
    /// Daily target per attendant on duty, rupiah.
    #[schema(minimum = 0, maximum = 10000000)]
    pub daily_target: Option<i64>,
    /// When this first version comes into force; default: from the beginning.
    pub effective_from: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tariffs": {"motorcycle": 2000, "car": 4000}, "effective_from": "2027-01-01T00:00:00+07:00"}))]
pub struct PatchZone {
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub district: Option<String>,
    #[schema(minimum = 1)]
    pub merchant_account_id: Option<i64>,
    /// Replaces the whole tariff map in the new version.
    #[schema(schema_with = tariffs_schema)]
    pub tariffs: Option<BTreeMap<String, i64>>,
    #[schema(minimum = 0, maximum = 10000)]
    pub attendant_share_bps: Option<i64>,
    /// `null` removes the target in the new version.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
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
#[schema(example = json!({"id": 1, "code": "PSR", "name": "Zona Pasar Jambi", "district": "Pasar Jambi", "merchant_account_id": 1, "tariffs": {"car": 3000, "motorcycle": 2000}, "attendant_share_bps": 6000, "daily_target": 140000, "effective_from": "1970-01-01T00:00:00Z", "versions": [{"effective_from": "1970-01-01T00:00:00Z", "tariffs": {"car": 3000, "motorcycle": 2000}, "attendant_share_bps": 6000, "daily_target": 140000}], "created_at": "2026-12-01T05:25:50.478098Z", "updated_at": "2026-12-01T05:25:50.478098Z"}))]
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
    pub fn new(record: ZoneRecord) -> Self {
        let (tariffs, share, target, from) = match record.current() {
            Some(v) => (
                v.tariffs.clone(),
                v.attendant_share_bps,
                v.daily_target,
                v.effective_from,
            ),
            None => (serde_json::json!({}), 0, None, record.zone.created_at),
        };
        let zone = record.zone;
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
            versions: record
                .versions
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

/// A tariff map's schema (`schema_with`): vehicle class → whole rupiah, at least one class.
fn tariffs_schema() -> Object {
    let class = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[a-z][a-z0-9_]{0,31}$"))
        .build();
    let rupiah = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .maximum(Some(crate::domain::money::MAX_AMOUNT))
        .build();
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Whole rupiah per vehicle class, e.g. `{\"motorcycle\": 2000, \"car\": 3000}`.",
        ))
        .property_names(Some(class))
        .additional_properties(Some(utoipa::openapi::schema::Schema::Object(rupiah)))
        .min_properties(Some(1))
        .build()
}

fn parse_tariffs(raw: &BTreeMap<String, i64>) -> Result<Tariffs, ApiError> {
    Tariffs::parse(raw).map_err(|(f, m)| ApiError::invalid(f, m))
}

fn parse_target(raw: Option<i64>) -> Result<Option<i64>, ApiError> {
    raw.map(|t| field("daily_target", Rupiah::parse_non_negative(t)).map(|r| r.0))
        .transpose()
}

#[utoipa::path(post, path = "/api/v1/zones", operation_id = "createZone", tag = "registry", request_body = CreateZone,
    responses((status = 201, body = ZoneView), (status = 404, description = "`merchant_account_id` names no account"), (status = 400, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)))]
pub async fn create(
    _: Admin,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CreateZone>,
) -> Result<HttpResponse, ApiError> {
    let (code, name, district, tariffs, share, daily_target) = all((
        field("code", ZoneCode::parse(&body.code)),
        field("name", label(&body.name, 100)),
        field("district", label(&body.district, 100)),
        parse_tariffs(&body.tariffs),
        field(
            "attendant_share_bps",
            ShareBps::parse(body.attendant_share_bps),
        ),
        parse_target(body.daily_target),
    ))?;
    let new = zones::NewZone {
        code: code.into_inner(),
        name,
        district,
        merchant_account_id: body.merchant_account_id,
        tariffs,
        share,
        daily_target,
        effective_from: body.effective_from,
    };
    let record = zones::create(&state, new).await?;
    Ok(HttpResponse::Created().json(ZoneView::new(record)))
}

#[utoipa::path(get, path = "/api/v1/zones", operation_id = "listZones", tag = "registry", params(PageParams),
    responses((status = 200, description = "a page of zones", body = Paged<ZoneView>)))]
pub async fn list(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let rows: Vec<ZoneView> = zones::list(&state, page.after, page.limit + 1)
        .await?
        .into_iter()
        .map(ZoneView::new)
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |z| z.id)))
}

#[utoipa::path(get, path = "/api/v1/zones/{id}", operation_id = "getZone", tag = "registry",
    responses((status = 200, body = ZoneView), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let record = zones::get(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ZoneView::new(record)))
}

#[utoipa::path(patch, path = "/api/v1/zones/{id}", operation_id = "patchZone", tag = "registry", request_body = PatchZone,
    responses((status = 200, body = ZoneView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn patch(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchZone>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (name, district, tariffs, share, daily_target) = all((
        body.name
            .as_deref()
            .map(|n| field("name", label(n, 100)))
            .transpose(),
        body.district
            .as_deref()
            .map(|d| field("district", label(d, 100)))
            .transpose(),
        body.tariffs.as_ref().map(parse_tariffs).transpose(),
        body.attendant_share_bps
            .map(|s| field("attendant_share_bps", ShareBps::parse(s)))
            .transpose(),
        body.daily_target.map(parse_target).transpose(),
    ))?;
    let changes = repo::ZoneChanges {
        name,
        district,
        merchant_account_id: body.merchant_account_id,
    };
    let terms = zones::TermsChange {
        tariffs,
        share,
        daily_target,
        effective_from: body.effective_from,
    };
    let record = zones::change(&state, id, changes, terms).await?;
    Ok(HttpResponse::Ok().json(ZoneView::new(record)))
}
