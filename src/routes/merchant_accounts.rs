//! `POST/GET /merchant-accounts`: the acquirer-issued QRIS merchants zones are paid into.

use actix_web::{HttpResponse, web};

use crate::auth::{Admin, Staff};
use crate::db::zones::MerchantAccount;
use crate::domain::MerchantAccountSpec;
use crate::error::ApiError;
use crate::services::merchant_accounts as service;
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams};

#[utoipa::path(post, path = "/api/v1/merchant-accounts", operation_id = "createMerchantAccount", tag = "registry",
    request_body = MerchantAccountSpec,
    responses((status = 201, body = MerchantAccount), (status = 400, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)))]
pub async fn create(
    _: Admin,
    state: web::Data<AppState>,
    JsonBody(spec): JsonBody<MerchantAccountSpec>,
) -> Result<HttpResponse, ApiError> {
    let account = service::create(&state, spec).await?;
    Ok(HttpResponse::Created().json(account))
}

#[utoipa::path(get, path = "/api/v1/merchant-accounts", operation_id = "listMerchantAccounts", tag = "registry", params(PageParams),
    responses((status = 200, description = "a page of merchant accounts", body = Paged<MerchantAccount>)))]
pub async fn list(
    _: Staff,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let rows = service::list(&state, page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |m| m.id)))
}

#[utoipa::path(get, path = "/api/v1/merchant-accounts/{id}", operation_id = "getMerchantAccount", tag = "registry",
    responses((status = 200, body = MerchantAccount), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    _: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let account = service::find(&state, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(account))
}
