//! `POST /auth/login` (staff) and `POST /auth/attendant-login` (phone + PIN), throttled.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, Utc};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::JsonBody;
use crate::auth::{ATTENDANT_TOKEN_TTL_SECS, Role, STAFF_TOKEN_TTL_SECS, TokenKeys, verify_secret};
use crate::db::{self, attendants, users};
use crate::domain::{Phone, field};
use crate::error::ApiError;
use crate::startup::AppState;

/// Failed logins allowed per account or client within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES: usize = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLogin {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendantLogin {
    /// `0812…`, `62812…` or `+62812…`.
    pub phone: String,
    /// The 6-digit PIN.
    pub pin: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub role: Role,
}

/// 429 when `key` has [`MAX_FAILURES`] failures in the window; Retry-After is when the oldest
/// of them leaves the window.
fn check_throttle(conn: &mut PgConnection, keys: &[String]) -> Result<(), ApiError> {
    let now = Utc::now();
    let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    for key in keys {
        let failures = users::recent_failures(conn, key, since)?;
        if failures.len() >= MAX_FAILURES {
            let oldest = failures[failures.len() - MAX_FAILURES];
            let free_at = oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES);
            let retry_after = (free_at - now).num_seconds().max(1) as u64;
            return Err(ApiError::TooManyRequests { retry_after });
        }
    }
    Ok(())
}

fn client_key(req: &HttpRequest) -> String {
    let peer = req.peer_addr().map(|a| a.ip().to_string());
    format!("client:{}", peer.unwrap_or_else(|| "unknown".into()))
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = StaffLogin,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem),
              (status = 429, body = crate::error::Problem)))]
pub async fn staff_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    JsonBody(body): JsonBody<StaffLogin>,
) -> Result<HttpResponse, ApiError> {
    let throttle_keys = vec![
        format!("user:{}", body.username.to_lowercase()),
        client_key(&req),
    ];
    let user = db::run(&state.pool, move |conn| {
        check_throttle(conn, &throttle_keys)?;
        let user = users::find_staff_by_username(conn, &body.username)?;
        let stored = user.as_ref().map(|u| u.password_hash.as_str());
        if verify_secret(&body.password, stored) {
            users::clear_failures(conn, &throttle_keys[0])?;
            Ok(user)
        } else {
            users::record_failures(conn, &throttle_keys)?;
            Ok(None)
        }
    })
    .await?
    .ok_or_else(|| ApiError::Unauthorized("wrong username or password".into()))?;
    let role = Role::parse_staff(&user.role).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
    let token = keys.issue(format!("staff:{}", user.id), role, STAFF_TOKEN_TTL_SECS)?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: STAFF_TOKEN_TTL_SECS,
        role,
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/attendant-login", tag = "auth",
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
    let throttle_keys = vec![format!("phone:{}", phone.as_str()), client_key(&req)];
    let attendant = db::run(&state.pool, move |conn| {
        check_throttle(conn, &throttle_keys)?;
        let attendant = attendants::find_attendant_by_phone(conn, phone.as_str())?;
        let stored = attendant.as_ref().map(|a| a.pin_hash.as_str());
        if verify_secret(&body.pin, stored) {
            users::clear_failures(conn, &throttle_keys[0])?;
            Ok(attendant)
        } else {
            users::record_failures(conn, &throttle_keys)?;
            Ok(None)
        }
    })
    .await?
    .ok_or_else(|| ApiError::Unauthorized("wrong phone number or PIN".into()))?;
    if attendant.status != "active" {
        return Err(ApiError::Forbidden(format!(
            "this attendant is {}; ask Dishub to reactivate the account",
            attendant.status
        )));
    }
    let token = keys.issue(
        format!("attendant:{}", attendant.id),
        Role::Attendant,
        ATTENDANT_TOKEN_TTL_SECS,
    )?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: ATTENDANT_TOKEN_TTL_SECS,
        role: Role::Attendant,
    }))
}
