//! Gateway endpoints: SNAP under `/snap` (B2B token, QR MPM notify), Midtrans and Xendit under
//! `/api/v1/gateways`. Each callback walks forward: raw request → `services::callbacks::take_in`
//! (gateway verify → notification → one transaction, payment + inbox) → the answer in the
//! gateway's own protocol, sent only after the commit.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::gateways::snap::{self, SERVICE_NOTIFY, SERVICE_TOKEN};
use crate::gateways::{Gateway, Rejection, wib};
use crate::metrics::Metrics;
use crate::services::callbacks::{self, Intake};
use crate::services::snap_tokens::{self, Issue};
use crate::state::AppState;
use crate::web::extract::read_body;

/// The request's headers as sent; only `gateways::stored_headers` of them are ever stored.
fn headers_of(req: &HttpRequest) -> Vec<(String, String)> {
    req.headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Takes in a callback through the one intake path.
async fn take_in(
    req: &HttpRequest,
    state: &AppState,
    gateway: &dyn Gateway,
    body: Vec<u8>,
) -> Result<Intake, ApiError> {
    let metrics = req.app_data::<web::Data<Metrics>>().map(|m| m.get_ref());
    callbacks::take_in(state, metrics, gateway, headers_of(req), body).await
}

/// A SNAP answer: `{responseCode, responseMessage, …}` with our X-TIMESTAMP.
fn snap_answer(status: u16, code: String, message: String, extra: Value) -> HttpResponse {
    let mut body = json!({"responseCode": code, "responseMessage": message});
    if let (Some(b), Value::Object(more)) = (body.as_object_mut(), extra) {
        b.extend(more);
    }
    let timestamp = Utc::now()
        .with_timezone(&wib())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .insert_header(("X-TIMESTAMP", timestamp))
        .json(body)
}

fn snap_rejection(service: &str, rejection: &Rejection) -> HttpResponse {
    let (status, code, message) = snap::rejection_answer(service, rejection);
    snap_answer(status, code, message, json!({}))
}

/// Our own failure, in SNAP's terms: 5xx, never blamed on the gateway.
fn snap_failure(service: &str, err: &ApiError) -> HttpResponse {
    use actix_web::ResponseError;
    let status = err.status_code().as_u16().max(500);
    tracing::error!(error = %err, "SNAP request failed on our side");
    snap_answer(
        status,
        format!("{status}{service}00"),
        "General Error".into(),
        json!({}),
    )
}

async fn body_of(req: &HttpRequest, payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    read_body(req, payload.into_inner()).await
}

/// A SNAP request's body, or the SNAP answer to one that is too large.
async fn snap_body(
    req: &HttpRequest,
    payload: web::Payload,
    service: &str,
) -> Result<Vec<u8>, HttpResponse> {
    body_of(req, payload)
        .await
        .map_err(|_| snap_rejection(service, &Rejection::Malformed("body too large".into())))
}

/// `POST /snap/v1.0/access-token/b2b`: the gateway proves itself with SHA256withRSA over
/// `clientKey|X-TIMESTAMP`; we answer with an opaque token valid 900 s, stored hashed.
#[utoipa::path(post, path = "/snap/v1.0/access-token/b2b", tag = "gateways",
    params(("X-CLIENT-KEY" = String, Header, description = "the gateway's client key"),
           ("X-TIMESTAMP" = String, Header, description = "RFC 3339, within ±300 s"),
           ("X-SIGNATURE" = String, Header, description = "base64 SHA256withRSA over clientKey|X-TIMESTAMP")),
    request_body(content = Object, description = "`{\"grantType\": \"client_credentials\"}`"),
    responses((status = 200, description = "`{responseCode: 2007300, accessToken, tokenType, expiresIn}`"),
              (status = 400, description = "4007300/4007301/4007302"), (status = 401, description = "4017300"),
              (status = 503, description = "SNAP not configured")))]
pub async fn snap_access_token(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let body = match snap_body(&req, payload, SERVICE_TOKEN).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    match snap_tokens::issue(&state, headers_of(&req), body).await {
        Ok(Issue::Issued(token)) => snap_answer(
            200,
            format!("200{SERVICE_TOKEN}00"),
            "Successful".into(),
            json!({"accessToken": token, "tokenType": "Bearer", "expiresIn": snap::TOKEN_TTL_SECS.to_string()}),
        ),
        Ok(Issue::TooMany) => snap_answer(
            429,
            format!("429{SERVICE_TOKEN}00"),
            "Too Many Requests".into(),
            json!({}),
        ),
        Ok(Issue::Refused(rejection)) => snap_rejection(SERVICE_TOKEN, &rejection),
        Err(e) => snap_failure(SERVICE_TOKEN, &e),
    }
}

/// `POST /snap/v1.0/qr/qr-mpm-notify`: signature type 1 (HMAC-SHA512, with a token we issued)
/// or type 2 (SHA256withRSA); 200 `2005200` once stored, whatever it matched.
#[utoipa::path(post, path = "/snap/v1.0/qr/qr-mpm-notify", tag = "gateways",
    params(("X-TIMESTAMP" = String, Header, description = "RFC 3339, within ±300 s"),
           ("X-SIGNATURE" = String, Header, description = "type 1: HMAC-SHA512 with a token we issued; type 2: SHA256withRSA"),
           ("Authorization" = Option<String>, Header, description = "Bearer <token> for signature type 1")),
    request_body(content = Object, description = "SNAP QR MPM payment notification"),
    responses((status = 200, description = "`{responseCode: 2005200}` once stored (new, repeat, unmatched, mismatched)"),
              (status = 400, description = "4005200/4005201/4005202"), (status = 401, description = "4015200/4015201"),
              (status = 503, description = "SNAP not configured")))]
pub async fn snap_notify(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let body = match snap_body(&req, payload, SERVICE_NOTIFY).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    match take_in(&req, &state, &state.gateways.snap, body).await {
        Ok(Intake::Recorded {
            verdict,
            payment_id,
        }) => snap_answer(
            200,
            format!("200{SERVICE_NOTIFY}00"),
            "Successful".into(),
            json!({"additionalInfo": {"paymentId": payment_id, "verdict": verdict}}),
        ),
        Ok(Intake::Refused(rejection)) => snap_rejection(SERVICE_NOTIFY, &rejection),
        Err(e) => snap_failure(SERVICE_NOTIFY, &e),
    }
}

fn api_rejection(gateway: &str, rejection: Rejection) -> ApiError {
    match rejection {
        Rejection::Unconfigured(key) => ApiError::Unavailable(format!(
            "{gateway} is not configured here: {key} is not set"
        )),
        Rejection::Missing(field) => ApiError::invalid(field, "is required"),
        Rejection::Invalid(field) => ApiError::invalid(field, "has the wrong format"),
        Rejection::Malformed(why) => ApiError::invalid("body", format!("not JSON: {why}")),
        Rejection::Signature(why) | Rejection::Stale(why) => {
            ApiError::Unauthorized(format!("{gateway} callback not authenticated: {why}"))
        }
        Rejection::Token => ApiError::Unauthorized("invalid token".into()),
    }
}

/// A Midtrans or Xendit callback: JSON answers, refusals as problems.
async fn json_callback(
    req: HttpRequest,
    payload: web::Payload,
    state: &AppState,
    gateway: &dyn Gateway,
) -> Result<HttpResponse, ApiError> {
    let body = body_of(&req, payload).await?;
    match take_in(&req, state, gateway, body).await? {
        Intake::Recorded {
            verdict,
            payment_id,
        } => Ok(HttpResponse::Ok().json(json!({
            "status": "ok", "verdict": verdict, "payment_id": payment_id
        }))),
        Intake::Refused(rejection) => Err(api_rejection(gateway.name().as_str(), rejection)),
    }
}

/// `POST /api/v1/gateways/midtrans/notification`.
#[utoipa::path(post, path = "/api/v1/gateways/midtrans/notification", tag = "gateways",
    request_body(content = Object, description = "Midtrans HTTP notification; signature_key = SHA-512(order_id + status_code + gross_amount + server key)"),
    responses((status = 200, description = "`{status: ok, verdict, payment_id}` once stored"),
              (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem),
              (status = 503, body = crate::error::Problem)))]
pub async fn midtrans_notification(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    json_callback(req, payload, &state, &state.gateways.midtrans).await
}

/// `POST /api/v1/gateways/xendit/qr`.
#[utoipa::path(post, path = "/api/v1/gateways/xendit/qr", tag = "gateways",
    params(("x-callback-token" = String, Header, description = "compared in constant time")),
    request_body(content = Object, description = "Xendit QR payment callback (2022-07-31 envelope or V1)"),
    responses((status = 200, description = "`{status: ok, verdict, payment_id}` once stored"),
              (status = 400, body = crate::error::Problem), (status = 401, body = crate::error::Problem),
              (status = 503, body = crate::error::Problem)))]
pub async fn xendit_qr(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    json_callback(req, payload, &state, &state.gateways.xendit).await
}
