//! The citizen check's JSON (`/public/spots/{code}`, `/public/reports`, no account) and the
//! staff's triage of reports (`/citizen-reports`).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Supervisor;
use crate::error::ApiError;
use crate::routes::payments::parse_date;
use crate::services::citizen::{self as service, CitizenReport, PublicSpot, ReportFilter};
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams, SameSite, client_address};

#[utoipa::path(get, path = "/api/v1/public/spots/{code}", operation_id = "getPublicSpot", tag = "citizen",
    responses((status = 200, body = PublicSpot), (status = 404, body = crate::error::Problem)))]
pub async fn public_spot(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let base = crate::web::extract::public_base(&req, &state);
    let spot = service::public_spot(&state, code.into_inner(), base).await?;
    Ok(HttpResponse::Ok().json(spot))
}

/// A report about a registered spot (`spot_code`), or about a place no spot names
/// (`spot_code` null, `location` required; `kind` then `pungli`, `jukir_tidak_resmi` or
/// `lainnya`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"spot_code": "JMB-PSR-001", "kind": "tarif_berlebih", "note": "Diminta Rp5.000 untuk motor", "amount_asked": 5000}))]
pub struct NewReportBody {
    /// The code on the spot's sign, in any case; null when the place is no registered spot.
    /// Always given (SPEC §13's shapes name it): absent is a 400 naming it.
    #[serde(default, deserialize_with = "crate::web::extract::double_option")]
    #[schema(value_type = Option<String>, required = true, pattern = "^[A-Za-z0-9._-]{1,25}$")]
    pub spot_code: Option<Option<String>>,
    /// Where it happened, when `spot_code` is null (required then, refused otherwise): 1 to 200
    /// characters, no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Jl. Sultan Thaha depan Pasar Angso Duo"
    )]
    pub location: Option<String>,
    /// `pungli`, `tarif_berlebih`, `qr_berbeda`, `jukir_tidak_resmi` or `lainnya`; without a
    /// spot only `pungli`, `jukir_tidak_resmi` or `lainnya` (else 400 naming `spot_code`).
    #[schema(pattern = "^(pungli|tarif_berlebih|qr_berbeda|jukir_tidak_resmi|lainnya)$")]
    pub kind: String,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    pub note: Option<String>,
    /// Whole rupiah, 0–10 000 000.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10000000)]
    pub amount_asked: Option<serde_json::Value>,
    /// Leave empty (a field only bots fill in).
    pub website: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportReceived {
    pub id: i64,
    /// The reference the citizen can quote.
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/public/reports", operation_id = "createCitizenReport", tag = "citizen", request_body = NewReportBody,
    responses((status = 201, body = ReportReceived), (status = 400, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem, description = "posted from another site's page"),
              (status = 404, description = "a non-null `spot_code` names no official spot"),
              (status = 429, body = crate::error::Problem)))]
pub async fn create_report(
    _: SameSite,
    req: HttpRequest,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<NewReportBody>,
) -> Result<HttpResponse, ApiError> {
    // A filled honeypot is answered as accepted before any rule is checked (SPEC §10).
    let honeypot = body.website.as_deref().is_some_and(|w| !w.is_empty());
    let spot_code = match body.spot_code {
        Some(code) => code,
        None if honeypot => None,
        None => {
            return Err(ApiError::invalid(
                "spot_code",
                "is required: a spot's code, or null for a place no spot names",
            ));
        }
    };
    let input = service::ReportInput {
        spot_code,
        location: body.location,
        kind: body.kind,
        note: body.note,
        amount_asked: body.amount_asked,
        website: body.website,
    };
    let client = client_address(&req, &state);
    let received = service::submit(&state, input, client).await?;
    Ok(HttpResponse::Created().json(ReportReceived {
        id: received.id,
        reference: received.reference,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CitizenReportView {
    pub id: i64,
    pub reference: String,
    /// Null for a report that names no registered spot.
    pub spot_id: Option<i64>,
    /// The spot's code; null for a report that names no registered spot.
    pub spot_code: Option<String>,
    /// Where it happened, for a report without a spot (null for a spot's report).
    pub location: Option<String>,
    pub kind: String,
    pub note: Option<String>,
    pub amount_asked: Option<i64>,
    pub business_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub status: String,
    #[schema(value_type = Vec<Object>)]
    pub notes: serde_json::Value,
}

impl From<(CitizenReport, Option<String>)> for CitizenReportView {
    fn from((r, spot_code): (CitizenReport, Option<String>)) -> Self {
        Self {
            id: r.id,
            reference: r.reference,
            spot_id: r.spot_id,
            spot_code,
            location: r.location,
            kind: r.kind.as_str().to_owned(),
            note: r.note,
            amount_asked: r.amount_asked,
            business_date: r.business_date,
            created_at: r.created_at,
            status: r.status.as_str().to_owned(),
            notes: r.notes,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    #[param(pattern = "^(new|in_review|valid|invalid)$")]
    pub status: Option<String>,
    pub spot_id: Option<i64>,
    /// First business date of the reports, YYYY-MM-DD.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last business date of the reports, YYYY-MM-DD, inclusive.
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/citizen-reports", operation_id = "listCitizenReports", tag = "citizen", params(ReportQuery),
    responses((status = 200, description = "a page of reports, newest first", body = Paged<CitizenReportView>)))]
pub async fn list(
    _: Supervisor,
    state: web::Data<AppState>,
    QueryParams(q): QueryParams<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .page()?;
    let status = q.status;
    service::check_status(status.as_deref())?;
    let filter = ReportFilter {
        status,
        spot_id: q.spot_id,
        from: q.from.map(|d| parse_date("from", &d)).transpose()?,
        to: q.to.map(|d| parse_date("to", &d)).transpose()?,
    };
    let rows = service::list(&state, filter, page.after, page.limit + 1).await?;
    let views: Vec<CitizenReportView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |r: &CitizenReportView| r.id)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchReport {
    /// `new`, `in_review`, `valid` or `invalid`.
    #[schema(pattern = "^(new|in_review|valid|invalid)$")]
    pub status: Option<String>,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/citizen-reports/{id}", operation_id = "patchCitizenReport", tag = "citizen", request_body = PatchReport,
    responses((status = 200, body = CitizenReportView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn patch(
    who: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchReport>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let by = who.subject();
    let t = crate::services::Triage {
        status: body.status,
        note: body.note,
    };
    let report = service::triage(&state, id, t, by).await?;
    Ok(HttpResponse::Ok().json(CitizenReportView::from(report)))
}
