//! `GET /reconciliation/daily`, `daily.csv` and `POST /reconciliation/daily/{date}/close`.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use super::extract::QueryParams;
use super::payments::parse_date;
use crate::auth::{Admin, Staff};
use crate::db::{self, reconcile::Report};
use crate::domain::business_date;
use crate::error::ApiError;
use crate::reconcile::daily::to_csv;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DailyQuery {
    /// Business date YYYY-MM-DD (default: yesterday in the configured zone).
    pub date: Option<String>,
    pub zone_id: Option<i64>,
    /// `id` for Indonesian CSV headers.
    pub lang: Option<String>,
}

impl DailyQuery {
    fn date(&self, state: &AppState) -> Result<NaiveDate, ApiError> {
        match &self.date {
            Some(d) => parse_date("date", d),
            None => Ok(business_date(Utc::now(), state.timezone)
                .pred_opt()
                .unwrap_or_default()),
        }
    }
}

async fn report(
    state: &AppState,
    date: NaiveDate,
    zone_id: Option<i64>,
) -> Result<Report, ApiError> {
    let tz = state.timezone;
    db::run(&state.pool, move |conn| {
        if let Some(z) = zone_id {
            db::zones::find_zone(conn, z)?
                .ok_or_else(|| ApiError::NotFound(format!("zone {z} does not exist")))?;
        }
        Ok(db::reconcile::daily_report(conn, date, zone_id, tz)?)
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/reconciliation/daily", tag = "reconciliation", params(DailyQuery),
    responses((status = 200, body = Report), (status = 400, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn daily(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = q.date(&state)?;
    Ok(HttpResponse::Ok().json(report(&state, date, q.zone_id).await?))
}

#[utoipa::path(get, path = "/api/v1/reconciliation/daily.csv", tag = "reconciliation", params(DailyQuery),
    responses((status = 200, description = "the day's rows and a total line", content_type = "text/csv")),
    security(("bearer" = [])))]
pub async fn daily_csv(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = q.date(&state)?;
    let indonesian = match q.lang.as_deref() {
        None | Some("en") => false,
        Some("id") => true,
        Some(_) => return Err(ApiError::invalid("lang", "must be id or en")),
    };
    let r = report(&state, date, q.zone_id).await?;
    let bytes = to_csv(&r.rows, &r.totals, indonesian).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"rekonsiliasi-{date}.csv\""),
        ))
        .body(bytes))
}

#[utoipa::path(post, path = "/api/v1/reconciliation/daily/{date}/close", tag = "reconciliation",
    responses((status = 200, body = Report), (status = 409, description = "already closed", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn close(
    who: Admin,
    state: web::Data<AppState>,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let date = parse_date("date", &date)?;
    let tz = state.timezone;
    if date > business_date(Utc::now(), tz) {
        return Err(ApiError::invalid(
            "date",
            "a day that has not begun cannot be closed",
        ));
    }
    let by = who.subject();
    let report = db::run(&state.pool, move |conn| {
        db::reconcile::close_day(conn, date, &by, tz)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
