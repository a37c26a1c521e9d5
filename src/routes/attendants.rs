//! `POST/GET /attendants`, `GET/PATCH /attendants/{id}` and their duty assignments.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, Role, Staff, Supervisor};
use crate::db::attendants as repo;
use crate::domain::roster::{self, Roster};
use crate::domain::{AttendantStatus, KtaNumber, Nik, Phone, Pin, label};
use crate::error::ApiError;
use crate::error::{all, field};
use crate::services::{attendants as service, duty};
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams, double_option};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"nik": "1571010505850011", "name": "Ahmad Fauzi", "phone": "081274000011", "kta_number": "KTA-JMB-0011", "pin": "583920"}))]
pub struct CreateAttendant {
    /// 16 digits.
    #[schema(pattern = "^[0-9]{16}$")]
    pub nik: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// Any usual Indonesian form; stored as `+628…`.
    #[schema(pattern = r"^(\+62|62|0)8[0-9]{8,11}$")]
    pub phone: String,
    #[schema(pattern = "^[A-Za-z0-9/.-]{1,32}$")]
    pub kta_number: String,
    /// 6 digits, not one digit repeated, not a run up or down (123456, 876543), not the birth
    /// date in the NIK (digits 7–12); only its argon2id hash is kept.
    #[schema(pattern = "^[0-9]{6}$")]
    pub pin: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchAttendant {
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    #[schema(pattern = r"^(\+62|62|0)8[0-9]{8,11}$")]
    pub phone: Option<String>,
    #[schema(pattern = "^[A-Za-z0-9/.-]{1,32}$")]
    pub kta_number: Option<String>,
    pub status: Option<AttendantStatus>,
    #[schema(pattern = "^[0-9]{6}$")]
    pub pin: Option<String>,
    /// The attendant's consent to show their photo to the public on `/cek` (SPEC §16).
    pub photo_public: Option<bool>,
}

/// An attendant as staff see it: the NIK masked for every role but admin, never the PIN.
#[derive(Serialize, ToSchema)]
pub struct AttendantView {
    pub id: i64,
    pub nik: String,
    pub name: String,
    pub phone: String,
    pub kta_number: String,
    pub status: String,
    /// A photo is stored (`GET /attendants/{id}/photo`).
    pub has_photo: bool,
    /// The attendant agreed to show the photo to the public.
    pub photo_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AttendantView {
    pub fn new(a: repo::Attendant, role: Role) -> Self {
        Self {
            id: a.id,
            nik: if role == Role::Admin {
                a.nik
            } else {
                Nik::mask(&a.nik)
            },
            name: a.name,
            phone: a.phone,
            kta_number: a.kta_number,
            status: a.status.as_str().to_owned(),
            has_photo: a.photo_etag.is_some(),
            photo_public: a.photo_public,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// One attendant, with where their share is paid (null without an account).
#[derive(Serialize, ToSchema)]
pub struct AttendantDetail {
    #[serde(flatten)]
    pub attendant: AttendantView,
    pub payout_account: Option<super::payouts::AccountView>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttendantFilter {
    pub status: Option<AttendantStatus>,
    /// How many items, 1 to 500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/attendants", operation_id = "createAttendant", tag = "registry", request_body = CreateAttendant,
    responses((status = 201, body = AttendantView), (status = 400, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)))]
pub async fn create(
    who: Admin,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CreateAttendant>,
) -> Result<HttpResponse, ApiError> {
    let nik = field("nik", Nik::parse(&body.nik));
    let pin = field("pin", Pin::parse(&body.pin)).and_then(|pin| match &nik {
        Ok(nik) => field("pin", pin.check_nik(nik.as_str())).map(|()| pin),
        Err(_) => Ok(pin),
    });
    let (nik, name, phone, kta, pin) = all((
        nik,
        field("name", label(&body.name, 100)),
        field("phone", Phone::parse(&body.phone)),
        field("kta_number", KtaNumber::parse(&body.kta_number)),
        pin,
    ))?;
    let role = who.role();
    let created = service::register(
        &state,
        service::NewAttendant {
            nik,
            name,
            phone,
            kta_number: kta,
            pin,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(AttendantView::new(created, role)))
}

#[utoipa::path(get, path = "/api/v1/attendants", operation_id = "listAttendants", tag = "registry", params(AttendantFilter),
    responses((status = 200, description = "a page of attendants", body = Paged<AttendantView>)))]
pub async fn list(
    who: Staff,
    state: web::Data<AppState>,
    QueryParams(filter): QueryParams<AttendantFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .page()?;
    let status = filter.status;
    let rows = service::list(&state, status, page.after, page.limit + 1).await?;
    let role = who.role();
    let views = rows
        .into_iter()
        .map(|a| AttendantView::new(a, role))
        .collect();
    Ok(HttpResponse::Ok().json(Paged::new(views, page, |a: &AttendantView| a.id)))
}

#[utoipa::path(get, path = "/api/v1/attendants/{id}", operation_id = "getAttendant", tag = "registry",
    responses((status = 200, body = AttendantDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    who: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (attendant, account) = service::find_with_account(&state, id.into_inner()).await?;
    let role = who.role();
    Ok(HttpResponse::Ok().json(AttendantDetail {
        attendant: AttendantView::new(attendant, role),
        payout_account: account.map(|a| super::payouts::AccountView::new(a, role)),
    }))
}

#[utoipa::path(patch, path = "/api/v1/attendants/{id}", operation_id = "patchAttendant", tag = "registry", request_body = PatchAttendant,
    responses((status = 200, body = AttendantView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn patch(
    who: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchAttendant>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (name, phone, kta_number, pin) = all((
        body.name
            .as_deref()
            .map(|n| field("name", label(n, 100)))
            .transpose(),
        body.phone
            .as_deref()
            .map(|p| field("phone", Phone::parse(p)))
            .transpose(),
        body.kta_number
            .as_deref()
            .map(|k| field("kta_number", KtaNumber::parse(k)))
            .transpose(),
        body.pin
            .as_deref()
            .map(|p| field("pin", Pin::parse(p)))
            .transpose(),
    ))?;
    let edit = service::Edit {
        name,
        phone,
        kta_number,
        status: body.status,
        pin,
        photo_public: body.photo_public,
    };
    let role = who.role();
    let updated = service::edit(&state, id, edit).await?;
    Ok(HttpResponse::Ok().json(AttendantView::new(updated, role)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"spot_id": 1, "starts_at": "2026-12-01T00:00:00+07:00"}))]
pub struct CreateAssignment {
    #[schema(minimum = 1)]
    pub spot_id: i64,
    /// RFC 3339; the duty period is `[starts_at, ends_at)`.
    pub starts_at: DateTime<Utc>,
    /// Open-ended when absent.
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchAssignment {
    /// Ends (or, with `null`, re-opens) the duty period.
    #[serde(deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>, required = true)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
}

#[utoipa::path(post, path = "/api/v1/attendants/{id}/assignments", operation_id = "createAssignment", tag = "duty",
    request_body = CreateAssignment,
    responses((status = 201, body = repo::Assignment), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "overlaps another duty period of the spot or attendant", body = crate::error::Problem)))]
pub async fn create_assignment(
    _: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<CreateAssignment>,
) -> Result<HttpResponse, ApiError> {
    let assignment = duty::assign_now(
        &state,
        id.into_inner(),
        body.spot_id,
        body.starts_at,
        body.ends_at,
    )
    .await?;
    Ok(HttpResponse::Created().json(assignment))
}

/// A month (at most 92 days) of duty in one request: one period per matching day.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"spot_id": 1, "from": "2026-12-07", "to": "2027-01-03", "weekdays": [1, 2, 3, 4, 5, 6], "start": "07:00", "end": "17:00"}))]
pub struct CreateRoster {
    #[schema(minimum = 1)]
    pub spot_id: i64,
    /// The first day, `YYYY-MM-DD`, in the city's time zone.
    #[schema(format = Date)]
    pub from: String,
    /// The last day (inclusive); at most 92 days counting both.
    #[schema(format = Date)]
    pub to: String,
    /// ISO weekdays: 1 = Monday … 7 = Sunday.
    #[schema(min_items = 1, max_items = 7)]
    pub weekdays: Vec<i64>,
    /// `HH:MM`, local time.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// `HH:MM`, local time; at or before `start` means the next day.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

#[utoipa::path(post, path = "/api/v1/attendants/{id}/assignments/roster", operation_id = "createRoster", tag = "duty",
    request_body = CreateRoster,
    responses((status = 201, body = duty::RosterMade), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "a day overlaps another duty of the spot or attendant; the first such date is named, nothing is stored", body = crate::error::Problem)))]
pub async fn create_roster(
    _: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<CreateRoster>,
) -> Result<HttpResponse, ApiError> {
    let (from, to, weekdays, start, end) = all((
        field("from", roster::parse_date(&body.from)),
        field("to", roster::parse_date(&body.to)),
        field("weekdays", roster::parse_weekdays(&body.weekdays)),
        field("start", roster::parse_time(&body.start)),
        field("end", roster::parse_time(&body.end)),
    ))?;
    let roster =
        Roster::new(from, to, weekdays, start, end).map_err(|(f, m)| ApiError::invalid(f, m))?;
    let made = duty::plan_roster(&state, id.into_inner(), body.spot_id, roster).await?;
    Ok(HttpResponse::Created().json(made))
}

#[utoipa::path(get, path = "/api/v1/attendants/{id}/assignments", operation_id = "listAssignments", tag = "duty", params(PageParams),
    responses((status = 200, description = "a page of assignments", body = Paged<repo::Assignment>),
              (status = 404, body = crate::error::Problem)))]
pub async fn list_assignments(
    _: Supervisor,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let rows = duty::assignments(&state, id.into_inner(), page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |a| a.id)))
}

#[utoipa::path(patch, path = "/api/v1/attendants/{id}/assignments/{assignment_id}", operation_id = "patchAssignment", tag = "duty",
    request_body = PatchAssignment,
    responses((status = 200, body = repo::Assignment), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn patch_assignment(
    _: Supervisor,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    JsonBody(body): JsonBody<PatchAssignment>,
) -> Result<HttpResponse, ApiError> {
    let (attendant_id, assignment_id) = path.into_inner();
    let ends_at = body
        .ends_at
        .ok_or_else(|| ApiError::invalid("ends_at", "is required (a time, or null to re-open)"))?;
    let updated = duty::set_end(&state, attendant_id, assignment_id, ends_at).await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPin {
    /// The new PIN: 6 digits, under the rules of a new attendant's PIN. The attendant's
    /// sessions end.
    #[schema(pattern = "^[0-9]{6}$")]
    pub pin: String,
}

#[utoipa::path(post, path = "/api/v1/attendants/{id}/pin", operation_id = "resetAttendantPin", tag = "registry", request_body = ResetPin,
    responses((status = 204, description = "the PIN is reset; the attendant logs in again"),
              (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn reset_pin(
    _: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<ResetPin>,
) -> Result<HttpResponse, ApiError> {
    let pin = field("pin", Pin::parse(&body.pin))?;
    crate::services::attendants::reset_pin(&state, id.into_inner(), pin).await?;
    Ok(HttpResponse::NoContent().finish())
}
