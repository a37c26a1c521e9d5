//! `GET /payments` and `GET /payments/{id}` with the callback history.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{PageParams, Paged, QueryParams};
use crate::auth::Staff;
use crate::db::{self, payments as repo};
use crate::error::ApiError;
use crate::gateways::PaymentStatus;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
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
    pub attendant_id: Option<i64>,
    pub charge_id: Option<i64>,
    pub zone_version_id: Option<i64>,
    pub attendant_share_bps: Option<i32>,
    pub vehicle_class: Option<String>,
    pub flags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<repo::Payment> for PaymentView {
    fn from(p: repo::Payment) -> Self {
        Self {
            flags: p.flag_list(),
            id: p.id,
            gateway: p.gateway,
            gateway_txn_id: p.gateway_txn_id,
            source: p.source,
            reference: p.reference,
            terminal_id: p.terminal_id,
            amount: p.amount,
            fee: p.fee,
            paid_at: p.paid_at,
            business_date: p.business_date,
            status: p.status,
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
    #[schema(value_type = Object)]
    pub headers: serde_json::Value,
    /// The raw body as received (UTF-8, lossy).
    pub body: String,
    pub body_truncated: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentDetail {
    #[serde(flatten)]
    pub payment: PaymentView,
    pub callbacks: Vec<CallbackView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PaymentQuery {
    /// Business date (YYYY-MM-DD) in the configured time zone.
    pub date: Option<String>,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub status: Option<String>,
    pub flag: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, "must be a date YYYY-MM-DD"))
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "payments", params(PaymentQuery),
    responses((status = 200, description = "`{items, next_cursor}` of payments")),
    security(("bearer" = [])))]
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
    // An empty parameter (`?flag=`) means no filter, as forms send it.
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (date, status, flag) = (given(q.date), given(q.status), given(q.flag));
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
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(repo::list_payments(
            conn,
            &filter,
            page.after,
            page.limit + 1,
        )?)
    })
    .await?;
    let views: Vec<PaymentView> = rows.into_iter().map(PaymentView::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |p: &PaymentView| p.id)))
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments",
    responses((status = 200, body = PaymentDetail), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (payment, callbacks) = db::run(&state.pool, move |conn| {
        let payment = repo::find_payment(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("payment {id} does not exist")))?;
        Ok((payment, repo::callbacks_of(conn, id)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(PaymentDetail {
        payment: payment.into(),
        callbacks: callbacks
            .into_iter()
            .map(|c| CallbackView {
                id: c.id,
                gateway: c.gateway,
                received_at: c.received_at,
                verdict: c.verdict,
                reason: c.reason,
                http_status: c.http_status,
                reported_status: c.reported_status,
                headers: c.headers,
                body: String::from_utf8_lossy(&c.body).into_owned(),
                body_truncated: c.body_truncated,
            })
            .collect(),
    }))
}
