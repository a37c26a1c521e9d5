//! Who is this attendant (SPEC §16): the photo (`/attendants/{id}/photo`), the printable KTA
//! cards (`/attendants/{id}/card`, `/zones/{id}/cards`) and the public check of a card
//! (`/public/attendants/{kta}`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Admin, Staff};
use crate::domain::photo::{HEIGHT, MAX_UPLOAD_BYTES, WIDTH};
use crate::error::ApiError;
use crate::services::identity::{self as service, Photo, PublicAttendant};
use crate::state::AppState;
use crate::web::extract::QueryParams;
use crate::web::extract::{public_base, read_body_up_to};

/// An upload's body: the image file itself (only its schema is used; the handler reads the
/// raw payload).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PhotoFile(#[allow(dead_code)] Vec<u8>);

/// The stored photo, as the upload's answer describes it.
#[derive(Serialize, ToSchema)]
pub struct PhotoStored {
    pub attendant_id: i64,
    /// Always 300.
    pub width: u32,
    /// Always 400.
    pub height: u32,
    /// The stored JPEG's size.
    pub bytes: usize,
    pub etag: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Whether the attendant agreed to show it to the public (`PATCH {"photo_public": …}`).
    pub photo_public: bool,
}

#[utoipa::path(put, path = "/api/v1/attendants/{id}/photo", operation_id = "putAttendantPhoto", tag = "registry",
    request_body(description = "A JPEG or PNG photo, at most 5 MiB, 6 000 px on a side and 40 megapixels; stored as a 300×400 JPEG (centre crop, no metadata).",
        content((PhotoFile = "image/jpeg"), (PhotoFile = "image/png"))),
    responses((status = 200, body = PhotoStored),
              (status = 400, description = "not a JPEG or PNG, damaged or incomplete, or too large a canvas: names `photo`; nothing is stored", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 413, description = "over 5 MiB", body = crate::error::Problem)))]
pub async fn put_photo(
    _: Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let upload = read_body_up_to(&req, payload.into_inner(), MAX_UPLOAD_BYTES).await?;
    let saved = service::upload_photo(&state, id.into_inner(), upload).await?;
    let a = saved.attendant;
    Ok(HttpResponse::Ok().json(PhotoStored {
        attendant_id: a.id,
        width: WIDTH,
        height: HEIGHT,
        bytes: saved.bytes,
        etag: saved.etag,
        updated_at: a.photo_updated_at.unwrap_or(a.updated_at),
        photo_public: a.photo_public,
    }))
}

/// A photo with its ETag; 304 when the client has it. Never kept by a shared cache, and
/// revalidated on every view, so a withdrawn consent or a suspension takes effect at once.
fn photo_response(req: &HttpRequest, photo: Photo, cache: &'static str) -> HttpResponse {
    let etag = format!("\"{}\"", photo.etag);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache));
    if fresh {
        res.finish()
    } else {
        res.content_type("image/jpeg").body(photo.jpeg)
    }
}

#[utoipa::path(get, path = "/api/v1/attendants/{id}/photo", operation_id = "getAttendantPhoto", tag = "registry",
    responses((status = 200, description = "300×400 JPEG", content_type = "image/jpeg"),
              (status = 304, description = "not modified"),
              (status = 404, description = "no such attendant, or no photo yet", body = crate::error::Problem)))]
pub async fn get_photo(
    _: Staff,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let photo = service::photo(&state, id.into_inner()).await?;
    Ok(photo_response(&req, photo, "private, no-cache"))
}

/// A card page as rendered (a QR that could not be drawn is our failure, a 500).
fn printable(html: Result<String, String>) -> Result<HttpResponse, ApiError> {
    let html = html.map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            crate::web::pages::console_csp(),
        ))
        .body(html))
}

#[utoipa::path(get, path = "/api/v1/attendants/{id}/card", operation_id = "getAttendantCard", tag = "registry",
    responses((status = 200, description = "the KTA card, a printable page at ID-1 size (85.6 × 54 mm)", content_type = "text/html"),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "the attendant is not active", body = crate::error::Problem)))]
pub async fn card(
    _: Staff,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let base = public_base(&req, &state);
    let sheet = service::card(&state, id.into_inner(), base).await?;
    printable(crate::web::card::single_page(&sheet))
}

#[utoipa::path(get, path = "/api/v1/zones/{id}/cards", operation_id = "getZoneCards", tag = "registry",
    responses((status = 200, description = "the KTA cards of the zone's active attendants, eight to an A4 sheet", content_type = "text/html"),
              (status = 404, body = crate::error::Problem)))]
pub async fn zone_cards(
    _: Staff,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let base = public_base(&req, &state);
    let sheet = service::zone_cards(&state, id.into_inner(), base).await?;
    printable(crate::web::card::sheet_page(&sheet))
}

/// Which city's card (SPEC §17).
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CityQuery {
    /// The card's city, by its code; none: the default city.
    #[param(pattern = "^[A-Z]{2,8}$")]
    pub city: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/public/attendants/{kta_number}", operation_id = "getPublicAttendant", tag = "citizen",
    params(("kta_number" = String, Path, description = "The KTA number as one path segment (`001/KTA/2026` → `001%2FKTA%2F2026`)."), CityQuery),
    responses((status = 200, body = PublicAttendant), (status = 404, body = crate::error::Problem)))]
pub async fn public_attendant(
    req: HttpRequest,
    state: web::Data<AppState>,
    kta: web::Path<String>,
    QueryParams(query): QueryParams<CityQuery>,
) -> Result<HttpResponse, ApiError> {
    let base = public_base(&req, &state);
    let acting = service::city_named(&state, query.city).await?;
    let found = service::public_attendant(&state, kta.into_inner(), base);
    Ok(HttpResponse::Ok().json(crate::state::in_city(acting, found).await?))
}

#[utoipa::path(get, path = "/api/v1/public/attendants/{kta_number}/photo", operation_id = "getPublicAttendantPhoto", tag = "citizen",
    params(("kta_number" = String, Path, description = "The KTA number as one path segment."), CityQuery),
    responses((status = 200, description = "300×400 JPEG", content_type = "image/jpeg"),
              (status = 304, description = "not modified"),
              (status = 404, description = "no such card, or its photo is not shown (not active, or no consent)", body = crate::error::Problem)))]
pub async fn public_photo(
    req: HttpRequest,
    state: web::Data<AppState>,
    kta: web::Path<String>,
    QueryParams(query): QueryParams<CityQuery>,
) -> Result<HttpResponse, ApiError> {
    let acting = service::city_named(&state, query.city).await?;
    let photo = service::public_photo(&state, kta.into_inner());
    let photo = crate::state::in_city(acting, photo).await?;
    Ok(photo_response(&req, photo, "private, no-cache"))
}
