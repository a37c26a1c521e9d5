//! `GET /alerts`, `PATCH /alerts/{id}`, `POST /alerts/evaluate` and the warning letters.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, Staff, Supervisor};
use crate::db::alerts as repo;
use crate::error::ApiError;
use crate::reconcile::alerts::AlertKind;
use crate::routes::payments::parse_date;
use crate::services::alerts::{self as service, Alert, AlertFilter, Named, WarningLetter};
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams};

#[derive(Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub kind: String,
    pub severity: String,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    pub payment_id: Option<i64>,
    /// The spot's code, for reading (the subject is `spot_id`).
    pub spot_code: Option<String>,
    /// The attendant's name, for reading.
    pub attendant_name: Option<String>,
    pub business_date: NaiveDate,
    pub detected_at: DateTime<Utc>,
    /// The numbers that explain it: expected, observed, hours, baseline days, and a summary.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
    pub status: String,
    /// `[{at, by, text}]`, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub notes: serde_json::Value,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        Named {
            alert: a,
            spot_code: None,
            attendant_name: None,
        }
        .into()
    }
}

impl From<Named> for AlertView {
    fn from(n: Named) -> Self {
        let a = n.alert;
        Self {
            spot_code: n.spot_code,
            attendant_name: n.attendant_name,
            id: a.id,
            kind: a.kind.as_str().to_owned(),
            severity: a.severity.as_str().to_owned(),
            spot_id: a.spot_id,
            attendant_id: a.attendant_id,
            payment_id: a.payment_id,
            business_date: a.business_date,
            detected_at: a.detected_at,
            evidence: a.evidence,
            status: a.status.as_str().to_owned(),
            notes: a.notes,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    #[param(pattern = "^(open|acknowledged|resolved)$")]
    pub status: Option<String>,
    #[param(
        pattern = "^(noncash_drop|qr_silence|cash_shift|shortfall_streak|unsettled|citizen_reports|gateway_silence)$"
    )]
    pub kind: Option<String>,
    /// First business date of the alerts, YYYY-MM-DD.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last business date of the alerts, YYYY-MM-DD, inclusive.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    pub spot_id: Option<i64>,
    pub attendant_id: Option<i64>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/alerts", operation_id = "listAlerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, description = "a page of alerts, newest first", body = Paged<AlertView>)))]
pub async fn list(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<AlertQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .page()?;
    let status = q.status;
    service::check_status(status.as_deref())?;
    let kind = q.kind;
    if let Some(k) = &kind
        && AlertKind::parse(k).is_none()
    {
        return Err(ApiError::invalid(
            "kind",
            "must be noncash_drop, qr_silence, cash_shift, shortfall_streak, unsettled, citizen_reports or gateway_silence",
        ));
    }
    let filter = AlertFilter {
        status,
        kind,
        from: q.from.map(|d| parse_date("from", &d)).transpose()?,
        to: q.to.map(|d| parse_date("to", &d)).transpose()?,
        spot_id: q.spot_id,
        attendant_id: q.attendant_id,
    };
    let rows = service::list(&state, filter, page.after, page.limit + 1).await?;
    let views: Vec<AlertView> = rows.into_iter().map(AlertView::from).collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |a: &AlertView| a.id)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchAlert {
    /// `open`, `acknowledged` or `resolved`.
    #[schema(pattern = "^(open|acknowledged|resolved)$")]
    pub status: Option<String>,
    /// Kept with who wrote it and when; at most 1000 characters.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/alerts/{id}", operation_id = "patchAlert", tag = "alerts", request_body = PatchAlert,
    responses((status = 200, body = AlertView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn patch(
    who: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchAlert>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let by = who.subject();
    let triage = crate::services::Triage {
        status: body.status,
        note: body.note,
    };
    let alert = service::triage(&state, id, triage, by).await?;
    Ok(HttpResponse::Ok().json(AlertView::from(alert)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ids": [12, 13, 17], "status": "acknowledged", "note": "Dicek di lapangan 3/12"}))]
pub struct PatchAlerts {
    /// The alerts, 1 to 500; all change or none.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
    /// `open`, `acknowledged` or `resolved`.
    #[schema(pattern = "^(open|acknowledged|resolved)$")]
    pub status: Option<String>,
    /// The same note on each, with who wrote it and when; at most 1000 characters.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PatchedAlerts {
    pub updated: usize,
    pub items: Vec<AlertView>,
}

#[utoipa::path(patch, path = "/api/v1/alerts", operation_id = "patchAlerts", tag = "alerts", request_body = PatchAlerts,
    responses((status = 200, body = PatchedAlerts), (status = 400, body = crate::error::Problem),
              (status = 404, description = "some ids name no alert; nothing changed", body = crate::error::Problem)))]
pub async fn patch_many(
    who: Supervisor,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<PatchAlerts>,
) -> Result<HttpResponse, ApiError> {
    let by = who.subject();
    let triage = crate::services::Triage {
        status: body.status,
        note: body.note,
    };
    let alerts = service::triage_many(&state, body.ids, triage, by).await?;
    let items: Vec<AlertView> = alerts.into_iter().map(AlertView::from).collect();
    Ok(HttpResponse::Ok().json(PatchedAlerts {
        updated: items.len(),
        items,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    /// The year of issue, e.g. 2026.
    #[param(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    pub attendant_id: Option<i64>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/warning-letters", operation_id = "warningLetterRegister", tag = "alerts", params(RegisterQuery),
    responses((status = 200, description = "the register: letters in number order, with the attendant's name and spots", body = Paged<repo::RegisteredLetter>),
              (status = 400, body = crate::error::Problem)))]
pub async fn register(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<RegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .page()?;
    let year = q
        .year
        .as_deref()
        .map(|y| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| {
                    ApiError::invalid("year", "must be a whole number from 2000 to 2100")
                })
        })
        .transpose()?;
    let rows =
        service::letter_register(&state, year, q.attendant_id, page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |l| l.id)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvaluateQuery {
    /// The business date, `YYYY-MM-DD`; today is evaluated up to now.
    #[param(value_type = chrono::NaiveDate)]
    pub date: String,
}

#[derive(Serialize, ToSchema)]
pub struct Evaluated {
    pub opened: usize,
}

#[utoipa::path(post, path = "/api/v1/alerts/evaluate", operation_id = "evaluateAlerts", tag = "alerts", params(EvaluateQuery),
    responses((status = 200, body = Evaluated), (status = 400, body = crate::error::Problem)))]
pub async fn evaluate(
    _: Admin,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<EvaluateQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = parse_date("date", &q.date)?;
    let opened = service::evaluate_now(&state, date).await?;
    Ok(HttpResponse::Ok().json(Evaluated { opened }))
}

#[utoipa::path(get, path = "/api/v1/attendants/{id}/warning-letters", operation_id = "listWarningLetters", tag = "alerts",
    responses((status = 200, body = [WarningLetter]), (status = 404, body = crate::error::Problem)))]
pub async fn letters(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let letters = service::letters(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(letters))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLetterBody {
    /// `SP1` or `SP2`.
    #[schema(pattern = "^SP[12]$")]
    pub level: String,
    /// The `shortfall_streak` alert the letter answers.
    #[schema(minimum = 1)]
    pub alert_id: i64,
}

#[utoipa::path(post, path = "/api/v1/attendants/{id}/warning-letters", operation_id = "issueWarningLetter", tag = "alerts",
    request_body = NewLetterBody,
    responses((status = 201, body = WarningLetter), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn issue_letter(
    who: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<NewLetterBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let by = who.subject();
    let letter = service::issue_letter(&state, id, body.level, body.alert_id, by).await?;
    Ok(HttpResponse::Created().json(letter))
}
