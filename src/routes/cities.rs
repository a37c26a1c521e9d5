//! The operator's endpoints (SPEC §17): `/cities`, a city's first admin, and every city's
//! totals of a day.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Operator;
use crate::config::Office;
use crate::db::cities::City;
use crate::domain::Hotline;
use crate::error::ApiError;
use crate::services::cities::{
    self as service, CityChange, CityDay, GatewayCredentials, GatewaysView, NewCity,
    SnapCredentials,
};
use crate::state::AppState;
use crate::web::extract::{JsonBody, QueryParams};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCity {
    #[schema(pattern = "^[A-Z]{2,8}$", example = "BPN")]
    pub code: String,
    #[schema(min_length = 1, max_length = 80, example = "Kota Balikpapan")]
    pub name: String,
    #[schema(
        pattern = "^Asia/(Jakarta|Makassar|Jayapura)$",
        example = "Asia/Makassar"
    )]
    pub timezone: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCity {
    #[schema(min_length = 1, max_length = 80)]
    pub name: Option<String>,
    /// The office on the city's documents (letterhead, signatory); `null`: back to the default.
    #[serde(default, deserialize_with = "crate::web::extract::double_option")]
    #[schema(value_type = Option<OfficeBody>)]
    pub office: Option<Option<OfficeBody>>,
    /// The complaint number on the city's citizens' pages and cards; `null`: none.
    #[serde(default, deserialize_with = "crate::web::extract::double_option")]
    #[schema(value_type = Option<String>, max_length = 32)]
    pub hotline: Option<Option<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeBody {
    #[schema(
        min_length = 1,
        max_length = 120,
        example = "Dinas Perhubungan Kota Balikpapan"
    )]
    pub name: String,
    #[schema(max_length = 200)]
    pub address: Option<String>,
    #[schema(max_length = 120)]
    pub signatory_name: Option<String>,
    #[schema(max_length = 32)]
    pub signatory_nip: Option<String>,
    #[schema(max_length = 120)]
    pub signatory_title: Option<String>,
}

/// A line of a letterhead: trimmed, 1 to `max` characters, no control characters.
fn line(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    match value.map(|v| v.trim().to_owned()) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) if v.chars().count() <= max && !v.chars().any(char::is_control) => Ok(Some(v)),
        Some(_) => Err(ApiError::invalid(
            field,
            format!("must be 1 to {max} characters"),
        )),
    }
}

fn parse_office(body: OfficeBody) -> Result<Office, ApiError> {
    let name = line("office.name", Some(body.name), 120).and_then(|n| {
        n.ok_or_else(|| ApiError::invalid("office.name", "must be 1 to 120 characters"))
    });
    let (name, address, signatory_name, signatory_nip, signatory_title) = crate::error::all((
        name,
        line("office.address", body.address, 200),
        line("office.signatory_name", body.signatory_name, 120),
        line("office.signatory_nip", body.signatory_nip, 32),
        line("office.signatory_title", body.signatory_title, 120),
    ))?;
    Ok(Office {
        name,
        address,
        signatory_name,
        signatory_nip,
        signatory_title,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CityAdmin {
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub username: String,
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutGateways {
    pub snap: Option<SnapBody>,
    pub midtrans: Option<MidtransBody>,
    pub xendit: Option<XenditBody>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapBody {
    /// X-CLIENT-KEY / X-PARTNER-ID: one city's alone.
    #[schema(min_length = 1, max_length = 128)]
    pub client_key: String,
    /// HMAC secret of signature type 1; stored sealed, never returned.
    #[schema(min_length = 8, max_length = 512)]
    pub client_secret: Option<String>,
    /// The gateway's RSA public key (SubjectPublicKeyInfo PEM).
    #[schema(max_length = 8192)]
    pub public_key_pem: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MidtransBody {
    /// Stored sealed, never returned. The city's notification URL carries `?city=CODE`.
    #[schema(min_length = 8, max_length = 512)]
    pub server_key: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct XenditBody {
    /// Stored sealed, never returned; one city's alone.
    #[schema(min_length = 8, max_length = 512)]
    pub callback_token: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// A business day (YYYY-MM-DD), each city's own.
    #[param(value_type = chrono::NaiveDate)]
    pub date: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Summary {
    pub date: chrono::NaiveDate,
    pub cities: Vec<CityDay>,
}

#[utoipa::path(post, path = "/api/v1/cities", operation_id = "createCity", tag = "cities", request_body = CreateCity,
    responses((status = 201, body = City), (status = 400, body = crate::error::Problem),
              (status = 409, description = "another city has the code", body = crate::error::Problem)))]
pub async fn create(
    _: Operator,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CreateCity>,
) -> Result<HttpResponse, ApiError> {
    let new = NewCity::parse(&body.code, &body.name, &body.timezone)?;
    Ok(HttpResponse::Created().json(service::create(&state, new).await?))
}

#[utoipa::path(get, path = "/api/v1/cities", operation_id = "listCities", tag = "cities",
    responses((status = 200, body = Vec<City>)))]
pub async fn list(_: Operator, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::list(&state).await?))
}

#[utoipa::path(patch, path = "/api/v1/cities/{id}", operation_id = "patchCity", tag = "cities", request_body = PatchCity,
    responses((status = 200, body = City), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn patch(
    _: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchCity>,
) -> Result<HttpResponse, ApiError> {
    if body.name.is_none() && body.office.is_none() && body.hotline.is_none() {
        return Err(ApiError::invalid("name", "give the new name"));
    }
    let name = body.name.as_deref().map(service::parse_name).transpose();
    let office = match body.office {
        Some(Some(o)) => parse_office(o).map(|o| Some(Some(o))),
        Some(None) => Ok(Some(None)),
        None => Ok(None),
    };
    let hotline = match body.hotline {
        Some(Some(h)) => Hotline::parse(&h)
            .map(|h| Some(Some(h)))
            .map_err(|m| ApiError::invalid("hotline", m)),
        Some(None) => Ok(Some(None)),
        None => Ok(None),
    };
    let (name, office, hotline) = crate::error::all((name, office, hotline))?;
    let change = CityChange {
        name,
        office,
        hotline,
    };
    Ok(HttpResponse::Ok().json(service::change(&state, id.into_inner(), change).await?))
}

#[utoipa::path(post, path = "/api/v1/cities/{id}/users", operation_id = "createCityAdmin", tag = "cities", request_body = CityAdmin,
    responses((status = 201, body = crate::services::staff::StaffView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "the username is taken", body = crate::error::Problem)))]
pub async fn create_admin(
    _: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<CityAdmin>,
) -> Result<HttpResponse, ApiError> {
    let username = crate::services::staff::check_new(&body.username, &body.password)?;
    let user = service::add_admin(&state, id.into_inner(), username, body.password).await?;
    Ok(HttpResponse::Created().json(user))
}

fn secret(field: &str, value: Option<String>) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) if !(8..=512).contains(&v.len()) || v.chars().any(char::is_control) => Err(
            ApiError::invalid(field, "8 to 512 characters, no control characters"),
        ),
        other => Ok(other),
    }
}

fn parse_gateways(body: PutGateways) -> Result<GatewayCredentials, ApiError> {
    let snap = match body.snap {
        None => Ok(None),
        Some(s) => {
            let key = s.client_key.trim().to_owned();
            let key = if (1..=128).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic())
            {
                Ok(key)
            } else {
                Err(ApiError::invalid(
                    "snap.client_key",
                    "1 to 128 visible ASCII characters",
                ))
            };
            let pem = match s.public_key_pem {
                Some(pem) => crate::gateways::snap::SnapConfig::parse_public_key(&pem)
                    .map(|_| Some(pem))
                    .map_err(|_| {
                        ApiError::invalid(
                            "snap.public_key_pem",
                            "must be the gateway's RSA public key in PEM (-----BEGIN PUBLIC KEY-----)",
                        )
                    }),
                None => Ok(None),
            };
            let (key, secret, pem) =
                crate::error::all((key, secret("snap.client_secret", s.client_secret), pem))?;
            if secret.is_none() && pem.is_none() {
                return Err(ApiError::invalid(
                    "snap",
                    "give client_secret, public_key_pem or both: SNAP verifies with them",
                ));
            }
            Ok(Some(SnapCredentials {
                client_key: key,
                client_secret: secret,
                public_key_pem: pem,
            }))
        }
    };
    let midtrans = secret("midtrans.server_key", body.midtrans.map(|m| m.server_key));
    let xendit = secret(
        "xendit.callback_token",
        body.xendit.map(|x| x.callback_token),
    );
    let (snap, midtrans, xendit) = crate::error::all((snap, midtrans, xendit))?;
    if snap.is_none() && midtrans.is_none() && xendit.is_none() {
        return Err(ApiError::invalid(
            "snap",
            "give at least one of snap, midtrans, xendit",
        ));
    }
    Ok(GatewayCredentials {
        snap,
        midtrans_server_key: midtrans,
        xendit_callback_token: xendit,
    })
}

#[utoipa::path(put, path = "/api/v1/cities/{id}/gateways", operation_id = "putCityGateways", tag = "cities", request_body = PutGateways,
    responses((status = 200, description = "what is configured; never a secret", body = GatewaysView),
              (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "another city holds the SNAP client key or the Xendit token", body = crate::error::Problem)))]
pub async fn put_gateways(
    _: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PutGateways>,
) -> Result<HttpResponse, ApiError> {
    let given = parse_gateways(body)?;
    let view = service::put_gateways(&state, id.into_inner(), given).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/operator/summary", operation_id = "operatorSummary", tag = "cities", params(SummaryQuery),
    responses((status = 200, body = Summary), (status = 400, body = crate::error::Problem)))]
pub async fn summary(
    _: Operator,
    state: web::Data<AppState>,
    QueryParams(query): QueryParams<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = chrono::NaiveDate::parse_from_str(&query.date, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid("date", "must be a date, YYYY-MM-DD"))?;
    let cities = service::summary(&state, date).await?;
    Ok(HttpResponse::Ok().json(Summary { date, cities }))
}
