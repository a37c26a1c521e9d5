//! `/me…`: what an attendant on a phone sees of themselves and their spot. Each handler asks
//! `services` (duty, charges, cash) and shapes the answer.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::payments::PaymentView;
use super::qr::{ImageParams, image_response};
use crate::auth::Attendant;
use crate::db::charges;
use crate::domain::business_date;
use crate::domain::charge::ChargeStatus;
use crate::error::{ApiError, all, field};
use crate::services::{cash, charges as charge_service, duty, feed, qr};
use crate::state::AppState;
use crate::web::extract::{JsonBody, QueryParams};

#[utoipa::path(get, path = "/api/v1/me", operation_id = "getMe", tag = "attendant",
    responses((status = 200, body = duty::Me), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)))]
pub async fn me(who: Attendant, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let me = duty::me(&state, who.attendant_id()?, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(me))
}

#[utoipa::path(get, path = "/api/v1/me/qr.png", operation_id = "getMyQrPng", tag = "attendant", params(ImageParams),
    responses((status = 200, description = "the static QR of the spot on duty", content_type = "image/png"),
              (status = 409, description = "not on duty", body = crate::error::Problem)))]
pub async fn my_qr_png(
    req: HttpRequest,
    who: Attendant,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (scale, ecc) = params.parse()?;
    let payload = duty::my_spot_payload(&state, who.attendant_id()?, Utc::now()).await?;
    Ok(image_response(
        &req,
        qr::png_of(&state, payload.as_str(), scale, ecc)?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vehicle_class": "motorcycle"}))]
pub struct NewChargeRequest {
    /// One of the zone's classes, e.g. `motorcycle` or `car`.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,31}$")]
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
            amount: c.amount.0,
            payload: c.payload,
            spot_id: c.spot_id,
            created_at: c.created_at,
            expires_at: c.expires_at,
            paid_at: c.paid_at,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/me/charges", operation_id = "createCharge", tag = "attendant", request_body = NewChargeRequest,
    responses((status = 201, body = ChargeView),
              (status = 400, description = "unknown vehicle class; the message lists the zone's", body = crate::error::Problem),
              (status = 409, description = "not on duty", body = crate::error::Problem)))]
pub async fn create_charge(
    who: Attendant,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<NewChargeRequest>,
) -> Result<HttpResponse, ApiError> {
    let charge =
        charge_service::create_now(&state, who.attendant_id()?, body.vehicle_class).await?;
    Ok(HttpResponse::Created().json(ChargeView::new(charge)))
}

#[utoipa::path(get, path = "/api/v1/me/charges/{id}", operation_id = "getCharge", tag = "attendant",
    responses((status = 200, body = ChargeView), (status = 404, body = crate::error::Problem)))]
pub async fn get_charge(
    who: Attendant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let charge = charge_service::mine(&state, who.attendant_id()?, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(ChargeView::new(charge)))
}

#[utoipa::path(get, path = "/api/v1/me/charges/{id}/qr.png", operation_id = "getChargeQrPng", tag = "attendant", params(ImageParams),
    responses((status = 200, description = "the dynamic QR of the charge", content_type = "image/png"),
              (status = 404, body = crate::error::Problem)))]
pub async fn charge_qr_png(
    req: HttpRequest,
    who: Attendant,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<ImageParams>,
) -> Result<HttpResponse, ApiError> {
    let (scale, ecc) = params.parse()?;
    let charge = charge_service::mine(&state, who.attendant_id()?, id.into_inner()).await?;
    Ok(image_response(
        &req,
        qr::png_of(&state, &charge.payload, scale, ecc)?,
    ))
}

/// A cash tap: now, or one the phone kept while it had no signal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vehicle_class": "motorcycle", "client_ref": "tap-7f3a9c2e-0001", "recorded_at": "2026-12-01T03:15:00Z"}))]
pub struct CashRequest {
    /// One of the zone's classes, e.g. `motorcycle` or `car`.
    #[schema(pattern = "^[a-z][a-z0-9_]{0,31}$")]
    pub vehicle_class: String,
    /// The phone's own reference for the tap, unique per attendant: the same one again
    /// answers 200 with the first payment, never a second one.
    #[schema(min_length = 1, max_length = 64)]
    pub client_ref: Option<String>,
    /// When the tap was made (RFC 3339): at most 24 h old, at most 2 min ahead. The payment's
    /// business day follows it. Absent: now.
    pub recorded_at: Option<DateTime<Utc>>,
}

#[utoipa::path(post, path = "/api/v1/me/cash", operation_id = "recordCash", tag = "attendant", request_body = CashRequest,
    responses((status = 201, body = super::payments::PaymentView),
              (status = 200, description = "this `client_ref` was sent before: its payment", body = super::payments::PaymentView),
              (status = 400, description = "unknown vehicle class, a bad `client_ref` or `recorded_at`", body = crate::error::Problem),
              (status = 409, description = "not on duty at `recorded_at`", body = crate::error::Problem)))]
pub async fn record_cash(
    who: Attendant,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CashRequest>,
) -> Result<HttpResponse, ApiError> {
    let (recorded_at, client_ref) = all((
        body.recorded_at
            .map(|at| field("recorded_at", cash::check_recorded_at(at, Utc::now())))
            .transpose(),
        body.client_ref
            .map(|r| field("client_ref", client_ref(r)))
            .transpose(),
    ))?;
    let tap = cash::record_tap(
        &state,
        who.attendant_id()?,
        body.vehicle_class,
        recorded_at,
        client_ref,
    )
    .await?;
    Ok(match tap {
        cash::Recorded::New(p) => HttpResponse::Created().json(PaymentView::from(p)),
        cash::Recorded::Again(p) => HttpResponse::Ok().json(PaymentView::from(p)),
    })
}

fn client_ref(raw: String) -> Result<String, String> {
    let n = raw.chars().count();
    if n == 0 || n > 64 {
        return Err("must be 1 to 64 characters".into());
    }
    if raw.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(raw)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Business date YYYY-MM-DD; default today.
    #[param(value_type = Option<chrono::NaiveDate>)]
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

#[utoipa::path(get, path = "/api/v1/me/summary", operation_id = "getMySummary", tag = "attendant", params(SummaryQuery),
    responses((status = 200, body = DaySummary)))]
pub async fn summary(
    who: Attendant,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let attendant_id = who.attendant_id()?;
    let date = match &q.date {
        Some(d) => super::payments::parse_date("date", d)?,
        None => business_date(Utc::now(), state.timezone()),
    };
    let groups = duty::my_day(&state, attendant_id, date).await?;
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

#[derive(Serialize, ToSchema)]
pub struct MyPayments {
    /// Newest first.
    pub items: Vec<feed::MyPayment>,
}

#[utoipa::path(get, path = "/api/v1/me/payments", operation_id = "getMyPayments", tag = "attendant", params(SummaryQuery),
    responses((status = 200, description = "the attendant's paid payments of the day (today by default), newest first", body = MyPayments),
              (status = 400, body = crate::error::Problem)))]
pub async fn payments(
    who: Attendant,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = match &q.date {
        Some(d) => super::payments::parse_date("date", d)?,
        None => business_date(Utc::now(), state.timezone()),
    };
    let items = feed::my_day(&state, who.attendant_id()?, date).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(MyPayments { items }))
}

#[utoipa::path(get, path = "/api/v1/me/events", operation_id = "getMyEvents", tag = "attendant",
    responses((status = 200, content_type = "text/event-stream",
               description = "`event: payment` with a `MyPayment` as `data` for each of the attendant's payments once committed (callback or cash), and a comment line at least every 25 s. The stream ends after 15 minutes; reconnect, and reload `/me/payments` for what came meanwhile.")))]
pub async fn events(who: Attendant, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let frames = feed::frames(&state, who.attendant_id()?);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(frames))
}
