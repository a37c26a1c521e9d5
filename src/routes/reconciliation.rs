//! `GET /reconciliation/daily`, `daily.csv` and `POST /reconciliation/daily/{date}/close`.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use super::payments::parse_date;
use crate::auth::{Admin, Staff};
use crate::db::reconcile::Report;
use crate::domain::business_date;
use crate::error::ApiError;
use crate::reconcile::daily::to_csv;
use crate::services::reconciliation;
use crate::state::AppState;
use crate::web::extract::QueryParams;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DailyQuery {
    /// Business date YYYY-MM-DD (default: yesterday in the configured zone).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub date: Option<String>,
    /// Only this zone's attendants.
    pub zone_id: Option<i64>,
    /// Header language of the CSV and workbook (default `en`); checked on every format.
    #[param(inline)]
    pub lang: Option<Lang>,
}

/// The language of a download's headers.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Indonesian.
    Id,
    /// English.
    En,
}

impl DailyQuery {
    fn date(&self, state: &AppState) -> Result<NaiveDate, ApiError> {
        match &self.date {
            Some(d) => parse_date("date", d),
            None => Ok(business_date(Utc::now(), state.timezone())
                .pred_opt()
                .unwrap_or_default()),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/reconciliation/daily", operation_id = "getDailyReconciliation", tag = "reconciliation", params(DailyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, body = Report), (status = 400, body = crate::error::Problem)))]
pub async fn daily(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = q.date(&state)?;
    Ok(HttpResponse::Ok().json(reconciliation::report(&state, date, q.zone_id).await?))
}

#[utoipa::path(get, path = "/api/v1/reconciliation/daily.csv", operation_id = "getDailyReconciliationCsv", tag = "reconciliation", params(DailyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, description = "the day's rows and a total line", content_type = "text/csv")))]
pub async fn daily_csv(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = q.date(&state)?;
    let indonesian = q.lang == Some(Lang::Id);
    let r = reconciliation::report(&state, date, q.zone_id).await?;
    let bytes = to_csv(&r.rows, &r.totals, indonesian).map_err(ApiError::internal)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("rekonsiliasi-{date}.csv"),
        bytes,
    ))
}

#[utoipa::path(get, path = "/api/v1/reconciliation/daily.xlsx", operation_id = "getDailyReconciliationXlsx", tag = "reconciliation", params(DailyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, description = "the day's rows and a totals row as a workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn daily_xlsx(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<DailyQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = q.date(&state)?;
    let bytes = crate::services::reports::daily_xlsx(&state, date, q.zone_id).await?;
    Ok(attachment(
        XLSX,
        &format!("rekonsiliasi-{date}.xlsx"),
        bytes,
    ))
}

/// The workbook media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to download.
pub fn attachment(content_type: &str, filename: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes)
}

#[utoipa::path(post, path = "/api/v1/reconciliation/daily/{date}/close", operation_id = "closeDay", tag = "reconciliation",
    params(("date" = chrono::NaiveDate, Path, description = "The business date to close, YYYY-MM-DD")),
    responses((status = 200, body = Report), (status = 409, description = "already closed", body = crate::error::Problem)))]
pub async fn close(
    who: Admin,
    state: web::Data<AppState>,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let date = parse_date("date", &date)?;
    let report = reconciliation::close(&state, date, who.subject()).await?;
    Ok(HttpResponse::Ok().json(report))
}
