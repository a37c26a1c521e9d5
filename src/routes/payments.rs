//! `GET /payments` and `GET /payments/{id}` with the callback history.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, Role, Staff};
use crate::db::payments as repo;
use crate::error::ApiError;
use crate::gateways::PaymentStatus;
use crate::services::payments as service;
use crate::state::AppState;
use crate::web::extract::{Page, PageParams, Paged, QueryParams};

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "gateway": "cash", "gateway_txn_id": "DEMO-20261103-1-000", "source": "cash", "reference": null, "terminal_id": null, "amount": 2000, "fee": null, "paid_at": "2026-11-03T00:00:00Z", "business_date": "2026-11-03", "status": "paid", "spot_id": 1, "attendant_id": 1, "charge_id": null, "zone_version_id": 1, "attendant_share_bps": 6000, "vehicle_class": "motorcycle", "flags": [], "created_at": "2026-12-01T05:25:50.478098Z", "updated_at": "2026-12-01T05:25:50.478098Z"}))]
pub struct PaymentView {
    pub id: i64,
    pub gateway: String,
    pub gateway_txn_id: String,
    pub source: String,
    pub reference: Option<String>,
    pub terminal_id: Option<String>,
    pub amount: i64,
    pub fee: Option<i64>,
    pub paid_at: DateTime<Utc>,
    pub business_date: NaiveDate,
    pub status: String,
    pub spot_id: Option<i64>,
    /// The spot's code (names, not numbers).
    pub spot_code: Option<String>,
    pub attendant_id: Option<i64>,
    /// The attendant's name.
    pub attendant_name: Option<String>,
    pub charge_id: Option<i64>,
    pub zone_version_id: Option<i64>,
    pub attendant_share_bps: Option<i32>,
    pub vehicle_class: Option<String>,
    /// The phone's own reference of a cash tap sent after the fact (SPEC §11.2).
    pub client_ref: Option<String>,
    pub flags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PaymentView {
    /// The payment with its spot's code and attendant's name.
    pub fn named(p: repo::Payment, names: &repo::Names) -> Self {
        let spot_code = names.spot(p.spot_id);
        let attendant_name = names.attendant(p.attendant_id);
        Self {
            spot_code,
            attendant_name,
            ..Self::from(p)
        }
    }
}

impl From<repo::Payment> for PaymentView {
    fn from(p: repo::Payment) -> Self {
        Self {
            spot_code: None,
            attendant_name: None,
            flags: p.flag_list(),
            client_ref: p.client_ref,
            id: p.id,
            gateway: p.gateway,
            gateway_txn_id: p.gateway_txn_id,
            source: p.source.as_str().to_owned(),
            reference: p.reference,
            terminal_id: p.terminal_id,
            amount: p.amount.0,
            fee: p.fee.map(|f| f.0),
            paid_at: p.paid_at,
            business_date: p.business_date,
            status: p.status.as_str().to_owned(),
            spot_id: p.spot_id,
            attendant_id: p.attendant_id,
            charge_id: p.charge_id,
            zone_version_id: p.zone_version_id,
            attendant_share_bps: p.attendant_share_bps,
            vehicle_class: p.vehicle_class,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// One callback of a payment. Every staff role sees what it did; the raw request (allow-listed
/// headers, the body with `signature_key` redacted) is shown to admins only (SPEC §10).
#[derive(Serialize, ToSchema)]
pub struct CallbackView {
    pub id: i64,
    pub gateway: String,
    pub received_at: DateTime<Utc>,
    /// accepted | duplicate | updated | regression | rejected
    pub verdict: String,
    pub reason: Option<String>,
    pub http_status: i32,
    pub reported_status: Option<String>,
    /// Admins only: the stored headers (signatures and tokens already redacted).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub headers: Option<serde_json::Value>,
    /// Admins only: the raw body (UTF-8, lossy) with `signature_key` redacted; a duplicate
    /// keeps only `body_sha256`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_sha256: Option<String>,
    pub body_truncated: bool,
}

impl CallbackView {
    fn new(c: repo::Callback, raw: bool) -> Self {
        Self {
            id: c.id,
            gateway: c.gateway,
            received_at: c.received_at,
            verdict: c.verdict,
            reason: c.reason,
            http_status: c.http_status,
            reported_status: c.reported_status,
            headers: raw.then_some(c.headers),
            body: raw.then(|| redacted_body(&c.body)),
            body_sha256: c.body_sha256,
            body_truncated: c.body_truncated,
        }
    }
}

/// The body as text. Bodies are stored with their signature redacted; one stored before that
/// rule (issue 22) is redacted here the same way, so signatures never leave.
fn redacted_body(body: &[u8]) -> String {
    String::from_utf8_lossy(&crate::gateways::midtrans::redact_signature(body)).into_owned()
}

/// The callbacks shown with a payment; the rest are paged at `/payments/{id}/callbacks`.
const DETAIL_CALLBACKS: i64 = 50;

#[derive(Serialize, ToSchema)]
pub struct PaymentDetail {
    #[serde(flatten)]
    pub payment: PaymentView,
    /// The first [`DETAIL_CALLBACKS`] callbacks, in arrival order.
    pub callbacks: Vec<CallbackView>,
    /// Set when there are more: the cursor for `GET /payments/{id}/callbacks`.
    pub callbacks_next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PaymentQuery {
    /// Business date (YYYY-MM-DD) in the configured time zone.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub date: Option<String>,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    #[param(pattern = "^(pending|paid|failed|refunded|reversed)$")]
    pub status: Option<String>,
    /// Payments carrying this flag (e.g. `unmatched`, `amount_mismatch`).
    #[param(max_length = 64, pattern = r"\S")]
    pub flag: Option<String>,
    /// The gateway's transaction id, the charge reference or the RRN, exactly.
    #[param(max_length = 128, pattern = r"\S")]
    pub reference: Option<String>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, ApiError> {
    crate::error::field(field, crate::domain::time::parse_date(raw))
}

#[utoipa::path(get, path = "/api/v1/payments", operation_id = "listPayments", tag = "payments", params(PaymentQuery),
    responses((status = 200, description = "a page of payments", body = Paged<PaymentView>)))]
pub async fn list(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<PaymentQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .page()?;
    let (date, status, flag) = (q.date, q.status, q.flag);
    let reference = q.reference.map(|r| r.trim().to_owned());
    if reference.as_ref().is_some_and(|r| r.chars().count() > 128) {
        return Err(ApiError::invalid(
            "reference",
            "must be at most 128 characters",
        ));
    }
    if flag.as_ref().is_some_and(|f| f.chars().count() > 64) {
        return Err(ApiError::invalid("flag", "must be at most 64 characters"));
    }
    if let Some(s) = &status
        && PaymentStatus::parse(s).is_none()
    {
        return Err(ApiError::invalid(
            "status",
            "must be pending, paid, failed, refunded or reversed",
        ));
    }
    let filter = repo::PaymentFilter {
        date: date.as_deref().map(|d| parse_date("date", d)).transpose()?,
        spot_id: q.spot_id,
        attendant_id: q.attendant_id,
        status,
        flag,
        reference,
    };
    let rows = service::list(&state, filter, page.after, page.limit + 1).await?;
    let (rows, names) = rows;
    let views: Vec<PaymentView> = rows
        .into_iter()
        .map(|p| PaymentView::named(p, &names))
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |p: &PaymentView| p.id)))
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", operation_id = "getPayment", tag = "payments",
    responses((status = 200, body = PaymentDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    who: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let raw = who.role() == Role::Admin;
    let page = Page {
        after: 0,
        limit: DETAIL_CALLBACKS,
    };
    let (payment, names, callbacks) = service::find(&state, id, page.limit + 1).await?;
    let views = callbacks
        .into_iter()
        .map(|c| CallbackView::new(c, raw))
        .collect();
    let paged = Paged::new(views, page, |c: &CallbackView| c.id);
    Ok(HttpResponse::Ok().json(PaymentDetail {
        payment: PaymentView::named(payment, &names),
        callbacks: paged.items,
        callbacks_next_cursor: paged.next_cursor,
    }))
}

/// `GET /payments/{id}/callbacks?limit=&cursor=`: the raw callbacks of a payment, for admins.
#[utoipa::path(get, path = "/api/v1/payments/{id}/callbacks", operation_id = "listPaymentCallbacks", tag = "payments", params(PageParams),
    responses((status = 200, description = "a page of callbacks with headers and body", body = Paged<CallbackView>),
              (status = 404, body = crate::error::Problem)))]
pub async fn callbacks(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(q): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let page = q.page()?;
    let rows = service::callbacks(&state, id, page.after, page.limit + 1).await?;
    let views: Vec<CallbackView> = rows
        .into_iter()
        .map(|c| CallbackView::new(c, true))
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |c: &CallbackView| c.id)))
}
