//! `/me…`: what an attendant on a phone sees of themselves and their spot.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{JsonBody, QueryParams};
use super::qr::{ImageParams, image_response, png_of, spot_payload};
use crate::auth::Attendant;
use crate::db::{self, attendants, charges, spots, zones};
use crate::domain::charge::{ChargeStatus, new_reference};
use crate::domain::{Nik, Tariffs, VehicleClass, business_date};
use crate::error::ApiError;
use crate::qris::to_dynamic;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct OnDuty {
    pub assignment_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub spot: spots::Spot,
    pub zone_code: String,
    pub zone_name: String,
    /// The tariffs in force now, rupiah per vehicle class.
    #[schema(value_type = std::collections::BTreeMap<String, i64>)]
    pub tariffs: serde_json::Value,
    pub attendant_share_bps: i32,
    /// What the payer's app will show for the spot's static QR.
    pub qris: QrisIdentity,
}

#[derive(Serialize, ToSchema)]
pub struct QrisIdentity {
    pub merchant_name: String,
    pub nmid: Option<String>,
    pub terminal_label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    /// Masked, as for every role but admin.
    pub nik: String,
    pub phone: String,
    pub kta_number: String,
    pub status: String,
    /// The spot the attendant is on duty at now; absent when off duty.
    pub on_duty: Option<OnDuty>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "attendant",
    responses((status = 200, body = Me), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn me(who: Attendant, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = who.attendant_id()?;
    let me = db::run(&state.pool, move |conn| {
        let a = attendants::find_attendant(conn, id)?
            .ok_or_else(|| ApiError::Unauthorized("this attendant no longer exists".into()))?;
        if a.status != "active" {
            return Err(ApiError::Forbidden(format!(
                "this attendant is {}",
                a.status
            )));
        }
        let now = Utc::now();
        let on_duty = match attendants::assignment_of_attendant_at(conn, id, now)? {
            None => None,
            Some(assignment) => {
                let ctx = spots::spot_context(conn, assignment.spot_id)?.ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("assignment without spot"))
                })?;
                let payload = spot_payload(&ctx)?;
                let qris = QrisIdentity {
                    merchant_name: payload.merchant_name().unwrap_or_default().to_owned(),
                    nmid: payload.nmid().map(str::to_owned),
                    terminal_label: payload.terminal_label().map(str::to_owned),
                };
                let version = zones::version_at(conn, ctx.zone.id, now)?;
                Some(OnDuty {
                    assignment_id: assignment.id,
                    starts_at: assignment.starts_at,
                    ends_at: assignment.ends_at,
                    spot: ctx.spot,
                    zone_code: ctx.zone.code,
                    zone_name: ctx.zone.name,
                    qris,
                    tariffs: version
                        .as_ref()
                        .map(|v| v.tariffs.clone())
                        .unwrap_or_else(|| serde_json::json!({})),
                    attendant_share_bps: version.map(|v| v.attendant_share_bps).unwrap_or(0),
                })
            }
        };
        Ok(Me {
            id: a.id,
            name: a.name,
            nik: Nik::mask(&a.nik),
            phone: a.phone,
            kta_number: a.kta_number,
            status: a.status,
            on_duty,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(me))
}

/// The attendant behind a token, refused once suspended or retired.
fn active_attendant(conn: &mut PgConnection, id: i64) -> Result<attendants::Attendant, ApiError> {
    let a = attendants::find_attendant(conn, id)?
        .ok_or_else(|| ApiError::Unauthorized("this attendant no longer exists".into()))?;
    if a.status != "active" {
        return Err(ApiError::Forbidden(format!(
            "this attendant is {}",
            a.status
        )));
    }
    Ok(a)
}

/// Where the attendant is on duty at `at`: 409 when off duty.
fn on_duty_at(
    conn: &mut PgConnection,
    attendant_id: i64,
    at: DateTime<Utc>,
) -> Result<spots::SpotContext, ApiError> {
    active_attendant(conn, attendant_id)?;
    let assignment =
        attendants::assignment_of_attendant_at(conn, attendant_id, at)?.ok_or_else(|| {
            ApiError::conflict(
                None,
                "you are not on duty at any spot now; ask your supervisor",
            )
        })?;
    spots::spot_context(conn, assignment.spot_id)?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("assignment without spot")))
}

/// The spot on duty, for something new there (a charge, a cash ticket): a spot taken out of
/// service takes no new payment (SPEC §10).
fn active_spot_on_duty(
    conn: &mut PgConnection,
    attendant_id: i64,
    at: DateTime<Utc>,
) -> Result<spots::SpotContext, ApiError> {
    let ctx = on_duty_at(conn, attendant_id, at)?;
    if !ctx.spot.active {
        return Err(ApiError::conflict(
            None,
            format!(
                "spot {} is not active; no new charge can be made there",
                ctx.spot.code
            ),
        ));
    }
    Ok(ctx)
}

#[utoipa::path(get, path = "/api/v1/me/qr.png", tag = "attendant", params(ImageParams),
    responses((status = 200, description = "the static QR of the spot on duty", content_type = "image/png"),
              (status = 409, description = "not on duty", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn my_qr_png(
    req: HttpRequest,
    who: Attendant,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = who.attendant_id()?;
    let (scale, ecc) = params.parse()?;
    let ctx = db::run(&state.pool, move |conn| on_duty_at(conn, id, Utc::now())).await?;
    let payload = spot_payload(&ctx)?;
    Ok(image_response(
        &req,
        png_of(&state, payload.as_str(), scale, ecc)?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChargeRequest {
    /// One of the zone's classes, e.g. `motorcycle` or `car`.
    pub vehicle_class: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChargeView {
    pub id: i64,
    pub reference: String,
    pub vehicle_class: String,
    pub amount: i64,
    pub payload: String,
    pub spot_id: i64,
    pub status: ChargeStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl ChargeView {
    fn new(c: charges::Charge) -> Self {
        Self {
            status: ChargeStatus::of(c.paid_at, c.expires_at, Utc::now()),
            id: c.id,
            reference: c.reference,
            vehicle_class: c.vehicle_class,
            amount: c.amount,
            payload: c.payload,
            spot_id: c.spot_id,
            created_at: c.created_at,
            expires_at: c.expires_at,
            paid_at: c.paid_at,
        }
    }
}

/// How many times a reference is drawn again after a (50-bit, so astronomically rare) collision.
const REFERENCE_ATTEMPTS: usize = 3;

#[utoipa::path(post, path = "/api/v1/me/charges", tag = "attendant", request_body = NewChargeRequest,
    responses((status = 201, body = ChargeView),
              (status = 400, description = "unknown vehicle class; the message lists the zone's", body = crate::error::Problem),
              (status = 409, description = "not on duty", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_charge(
    who: Attendant,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<NewChargeRequest>,
) -> Result<HttpResponse, ApiError> {
    let attendant_id = who.attendant_id()?;
    let ttl = chrono::Duration::from_std(state.charge_ttl).map_err(ApiError::internal)?;
    let tz = state.timezone;
    let charge = db::run(&state.pool, move |conn| {
        let now = Utc::now();
        let (ctx, version, amount) = tariff_now(conn, attendant_id, &body.vehicle_class, now)?;
        let fixed = spot_payload(&ctx)?;
        let mut last_err = None;
        for _ in 0..REFERENCE_ATTEMPTS {
            let reference = new_reference(business_date(now, tz));
            let payload = to_dynamic(&fixed, amount, Some(&reference))
                .map_err(|e| ApiError::internal(anyhow::anyhow!("dynamic QRIS: {}", e.message)))?;
            let new = charges::NewCharge {
                reference: &reference,
                attendant_id,
                spot_id: ctx.spot.id,
                zone_version_id: version.id,
                vehicle_class: &body.vehicle_class,
                amount,
                payload: &payload,
                created_at: now,
                expires_at: now + ttl,
            };
            match charges::insert_charge(conn, &new) {
                Ok(charge) => return Ok(charge),
                Err(e) => last_err = Some(ApiError::from(e)),
            }
        }
        Err(last_err.unwrap_or_else(|| ApiError::internal(anyhow::anyhow!("no reference"))))
    })
    .await?;
    Ok(HttpResponse::Created().json(ChargeView::new(charge)))
}

async fn my_charge(state: &AppState, who: Attendant, id: i64) -> Result<charges::Charge, ApiError> {
    let attendant_id = who.attendant_id()?;
    db::run(&state.pool, move |conn| {
        active_attendant(conn, attendant_id)?;
        charges::find_charge_of(conn, attendant_id, id)?
            .ok_or_else(|| ApiError::NotFound(format!("charge {id} does not exist")))
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/me/charges/{id}", tag = "attendant",
    responses((status = 200, body = ChargeView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_charge(
    who: Attendant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let charge = my_charge(&state, who, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(ChargeView::new(charge)))
}

#[utoipa::path(get, path = "/api/v1/me/charges/{id}/qr.png", tag = "attendant", params(ImageParams),
    responses((status = 200, description = "the dynamic QR of the charge", content_type = "image/png"),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn charge_qr_png(
    req: HttpRequest,
    who: Attendant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (scale, ecc) = params.parse()?;
    let charge = my_charge(&state, who, id.into_inner()).await?;
    Ok(image_response(
        &req,
        png_of(&state, &charge.payload, scale, ecc)?,
    ))
}

#[utoipa::path(post, path = "/api/v1/me/cash", tag = "attendant", request_body = NewChargeRequest,
    responses((status = 201, body = super::payments::PaymentView),
              (status = 400, description = "unknown vehicle class", body = crate::error::Problem),
              (status = 409, description = "not on duty", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn record_cash(
    who: Attendant,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<NewChargeRequest>,
) -> Result<HttpResponse, ApiError> {
    let attendant_id = who.attendant_id()?;
    let tz = state.timezone;
    let payment = db::run(&state.pool, move |conn| {
        let now = Utc::now();
        let (ctx, version, amount) = tariff_now(conn, attendant_id, &body.vehicle_class, now)?;
        let date = business_date(now, tz);
        let txn_id = format!("CASH-{}", new_reference(date));
        Ok(db::payments::insert_cash(
            conn,
            &db::payments::NewCash {
                txn_id: &txn_id,
                amount,
                paid_at: now,
                business_date: date,
                spot_id: ctx.spot.id,
                attendant_id,
                zone_version_id: version.id,
                attendant_share_bps: version.attendant_share_bps,
                vehicle_class: &body.vehicle_class,
            },
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(super::payments::PaymentView::from(payment)))
}

/// Where the attendant is on duty now, the zone terms in force, and the tariff of `class`
/// there: what a charge and a cash payment are both made of.
fn tariff_now(
    conn: &mut PgConnection,
    attendant_id: i64,
    class: &str,
    now: DateTime<Utc>,
) -> Result<(spots::SpotContext, zones::ZoneVersion, i64), ApiError> {
    let ctx = active_spot_on_duty(conn, attendant_id, now)?;
    let version = zones::version_at(conn, ctx.zone.id, now)?
        .ok_or_else(|| ApiError::conflict(None, "the zone has no tariff in force now"))?;
    let amount = tariff_of(&version, class)?;
    Ok((ctx, version, amount))
}

/// The tariff of `class` in `version`, or a 400 listing the zone's classes.
fn tariff_of(version: &zones::ZoneVersion, class: &str) -> Result<i64, ApiError> {
    let tariffs = Tariffs::from_json(&version.tariffs);
    VehicleClass::parse(class)
        .ok()
        .and_then(|c| tariffs.get(&c))
        .map(|r| r.0)
        .ok_or_else(|| {
            ApiError::invalid(
                "vehicle_class",
                format!(
                    "must be one of this zone's classes: {}",
                    tariffs.classes().collect::<Vec<_>>().join(", ")
                ),
            )
        })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Business date YYYY-MM-DD; default today.
    pub date: Option<String>,
}

/// The attendant's own day: what the bank will pay them for.
#[derive(Serialize, ToSchema)]
pub struct DaySummary {
    pub date: chrono::NaiveDate,
    pub tx_count: i64,
    pub noncash_gross: i64,
    pub cash_gross: i64,
    pub gross: i64,
    /// floor(gross × share / 10000) per share version, summed: the attendant's own share.
    pub attendant_share: i64,
}

#[utoipa::path(get, path = "/api/v1/me/summary", tag = "attendant", params(SummaryQuery),
    responses((status = 200, body = DaySummary)),
    security(("bearer" = [])))]
pub async fn summary(
    who: Attendant,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let attendant_id = who.attendant_id()?;
    let date = match &q.date {
        Some(d) => super::payments::parse_date("date", d)?,
        None => business_date(Utc::now(), state.timezone),
    };
    let groups = db::run(&state.pool, move |conn| {
        active_attendant(conn, attendant_id)?;
        Ok(db::reconcile::attendant_day(conn, attendant_id, date)?)
    })
    .await?;
    let mut s = DaySummary {
        date,
        tx_count: 0,
        noncash_gross: 0,
        cash_gross: 0,
        gross: 0,
        attendant_share: 0,
    };
    let mut by_share = std::collections::HashMap::<Option<i32>, i64>::new();
    for g in groups {
        s.tx_count += g.n;
        if g.cash {
            s.cash_gross += g.amount;
        } else {
            s.noncash_gross += g.amount;
        }
        *by_share.entry(g.share_bps).or_default() += g.amount;
    }
    s.gross = s.noncash_gross + s.cash_gross;
    s.attendant_share = crate::reconcile::daily::attendant_share(by_share);
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(s))
}
