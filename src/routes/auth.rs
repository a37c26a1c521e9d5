//! `POST /auth/login` (staff) and `POST /auth/attendant-login` (phone + PIN), throttled.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Authenticated, Role, TokenKeys};
use crate::domain::Phone;
use crate::error::ApiError;
use crate::error::field;
use crate::services::login;
use crate::state::AppState;
use crate::web::extract::JsonBody;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "petugas.dishub", "password": "kata-sandi-anda"}))]
pub struct StaffLogin {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "081200000000", "pin": "000000"}))]
pub struct AttendantLogin {
    /// `0812…`, `62812…` or `+62812…`.
    #[schema(pattern = r"^(\+62|62|0)8[0-9]{8,11}$")]
    pub phone: String,
    /// The 6-digit PIN.
    #[schema(pattern = "^[0-9]{6}$")]
    pub pin: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 28800, "role": "admin"}))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub role: Role,
}

fn client(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    crate::web::extract::client_address(req, state)
}

fn answer(issued: login::Issued) -> HttpResponse {
    HttpResponse::Ok().json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer",
        expires_in: issued.expires_in,
        role: issued.role,
    })
}

#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "loginStaff", tag = "auth",
    request_body = StaffLogin,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem),
              (status = 429, body = crate::error::Problem)))]
pub async fn staff_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    JsonBody(body): JsonBody<StaffLogin>,
) -> Result<HttpResponse, ApiError> {
    let client = client(&req, &state);
    let issued = login::staff(&state, &keys, client, body.username, body.password).await?;
    Ok(answer(issued))
}

#[utoipa::path(post, path = "/api/v1/auth/attendant-login", operation_id = "loginAttendant", tag = "auth",
    request_body = AttendantLogin,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn attendant_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    JsonBody(body): JsonBody<AttendantLogin>,
) -> Result<HttpResponse, ApiError> {
    let phone = field("phone", Phone::parse(&body.phone))?;
    let client = client(&req, &state);
    let issued = login::attendant(&state, &keys, client, phone, body.pin).await?;
    Ok(answer(issued))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "logout", tag = "auth",
    description = "Ends the presented token on the server at once; the account's other sessions go on.",
    responses((status = 204)))]
pub async fn logout(
    _: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = crate::auth::presented_claims(&req)?;
    login::logout(&state, token).await?;
    Ok(HttpResponse::NoContent().finish())
}
