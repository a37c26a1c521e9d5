//! The operator's endpoints (SPEC §17): `/cities`, a city's first admin, and every city's
//! totals of a day.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Operator;
use crate::db::cities::City;
use crate::error::ApiError;
use crate::services::cities::{self as service, CityDay, NewCity};
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
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CityAdmin {
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub username: String,
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
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
    let name = match body.name.as_deref() {
        Some(name) => service::parse_name(name)?,
        None => return Err(ApiError::invalid("name", "give the new name")),
    };
    Ok(HttpResponse::Ok().json(service::rename(&state, id.into_inner(), name).await?))
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
