//! `POST/GET /users`, `PATCH /users/{id}`: staff users (admin only).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Admin, Role};
use crate::error::{ApiError, all};
use crate::services::staff::{self, StaffChange, StaffView};
use crate::state::AppState;
use crate::web::extract::{JsonBody, PageParams, Paged, QueryParams};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub username: String,
    /// admin, supervisor or auditor.
    #[schema(pattern = "^(admin|supervisor|auditor)$")]
    pub role: String,
    /// At least 10 characters, not one character repeated, not containing the username, not
    /// among the 10 000 most common passwords; only its argon2id hash is kept.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    /// `false` disables the account and ends its sessions.
    pub active: Option<bool>,
    #[schema(min_length = 10, max_length = 1024)]
    pub password: Option<String>,
    #[schema(pattern = "^(admin|supervisor|auditor)$")]
    pub role: Option<String>,
}

fn role(raw: &str) -> Result<Role, ApiError> {
    Role::parse_staff(raw).map_err(|m| ApiError::invalid("role", m))
}

#[utoipa::path(post, path = "/api/v1/users", operation_id = "createUser", tag = "users", request_body = CreateUser,
    responses((status = 201, body = StaffView), (status = 400, body = crate::error::Problem),
              (status = 409, description = "the username is taken", body = crate::error::Problem)))]
pub async fn create(
    _: Admin,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let (role, username) = all((
        role(&body.role),
        staff::check_new(&body.username, &body.password),
    ))?;
    let user = staff::create(&state, username, body.password, role).await?;
    Ok(HttpResponse::Created().json(user))
}

#[utoipa::path(get, path = "/api/v1/users", operation_id = "listUsers", tag = "users", params(PageParams),
    responses((status = 200, description = "a page of staff users", body = Paged<StaffView>)))]
pub async fn list(
    _: Admin,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.page()?;
    let rows = staff::list(&state, page.after, page.limit + 1).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows, page, |u| u.id)))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", operation_id = "patchUser", tag = "users", request_body = PatchUser,
    responses((status = 200, body = StaffView), (status = 400, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "an admin disabling or demoting themselves", body = crate::error::Problem)))]
pub async fn patch(
    who: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchUser>,
) -> Result<HttpResponse, ApiError> {
    let change = StaffChange {
        active: body.active,
        password: body.password,
        role: body.role.as_deref().map(role).transpose()?,
    };
    let by = who.staff_id()?;
    let user = staff::change(&state, by, id.into_inner(), change).await?;
    Ok(HttpResponse::Ok().json(user))
}
