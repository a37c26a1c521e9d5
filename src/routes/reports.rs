//! `GET /reports/series` (the dashboard's days) and `GET /reports/monthly` (+ `.csv`,
//! `.xlsx`): sums of the daily reconciliations of their days.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::reconciliation::Lang;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::reconcile::period::{Series, monthly_csv};
use crate::services::reports::{self, Monthly, Period};
use crate::state::AppState;
use crate::web::extract::QueryParams;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SeriesQuery {
    /// First business date YYYY-MM-DD (default: 29 days before `to`).
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last business date YYYY-MM-DD, inclusive (default: today); at most 366 days in all.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// Only this zone.
    pub zone_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/reports/series", operation_id = "getSeries", tag = "reports", params(SeriesQuery),
    responses((status = 200, body = Series), (status = 400, body = crate::error::Problem),
              (status = 404, description = "unknown zone", body = crate::error::Problem)))]
pub async fn series(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<SeriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = Period::parse(q.from.as_deref(), q.to.as_deref(), state.timezone())?;
    Ok(HttpResponse::Ok().json(reports::series(&state, period, q.zone_id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthlyQuery {
    /// YYYY-MM (default: this month in the configured zone).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    /// Only this zone.
    pub zone_id: Option<i64>,
    /// Header language of the CSV and workbook (default `en`); checked on every format.
    #[param(inline)]
    pub lang: Option<Lang>,
}

async fn month(state: &AppState, q: &MonthlyQuery) -> Result<Monthly, ApiError> {
    let month = Period::month(q.month.as_deref(), state.timezone())?;
    reports::monthly(state, month, q.zone_id).await
}

#[utoipa::path(get, path = "/api/v1/reports/monthly", operation_id = "getMonthlyReport", tag = "reports", params(MonthlyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, body = Monthly), (status = 400, body = crate::error::Problem)))]
pub async fn monthly(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(month(&state, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/reports/monthly.csv", operation_id = "getMonthlyReportCsv", tag = "reports", params(MonthlyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, description = "the month per attendant and a total line", content_type = "text/csv")))]
pub async fn monthly_csv_file(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let indonesian = q.lang == Some(Lang::Id);
    let m = month(&state, &q).await?;
    let bytes = monthly_csv(&m.rows, &m.totals, indonesian).map_err(ApiError::internal)?;
    Ok(super::reconciliation::attachment(
        "text/csv; charset=utf-8",
        &format!("rekap-bulanan-{}.csv", m.month),
        bytes,
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/monthly.xlsx", operation_id = "getMonthlyReportXlsx", tag = "reports", params(MonthlyQuery),
    responses((status = 404, description = "unknown zone"), (status = 200, description = "the month per attendant as a workbook",
               content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn monthly_xlsx(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<MonthlyQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = Period::month(q.month.as_deref(), state.timezone())?;
    let (month, bytes) = reports::monthly_xlsx(&state, period, q.zone_id).await?;
    Ok(super::reconciliation::attachment(
        super::reconciliation::XLSX,
        &format!("rekap-bulanan-{month}.xlsx"),
        bytes,
    ))
}

/// The office of the caller's city and the city itself (its zone: where its days begin).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OfficeView {
    #[serde(flatten)]
    pub office: crate::config::Office,
    pub city: crate::db::cities::City,
}

#[utoipa::path(get, path = "/api/v1/office", operation_id = "getOffice", tag = "reports",
    responses((status = 200, description = "the letterhead and signature block of printed recaps and letters (PARKIR_OFFICE_*, PARKIR_SIGNATORY_*), and the caller's city with its time zone", body = OfficeView)))]
pub async fn office(_: Staff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let city = crate::services::cities::own(&state).await?;
    let office = crate::services::cities::letterhead(&state).await?.office;
    Ok(HttpResponse::Ok().json(OfficeView { office, city }))
}
