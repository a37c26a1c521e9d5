//! Gateway endpoints: SNAP under `/snap` (B2B token, QR MPM notify), Midtrans and Xendit under
//! `/api/v1/gateways`. Every callback goes through one generic handler, [`callback`]: raw
//! request → `services::callbacks::take_in` (gateway verify → notification → one transaction,
//! payment + inbox) → the answer in the gateway's own protocol ([`Answers`]), sent only after
//! the commit.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::recording::Verdict;
use crate::error::ApiError;
use crate::gateways::snap::{self, SERVICE_NOTIFY, SERVICE_TOKEN};
use crate::gateways::{GatewayName, Rejection, wib};
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
    gateway: GatewayName,
    body: Vec<u8>,
) -> Result<Intake, ApiError> {
    let metrics = req.app_data::<web::Data<Metrics>>().map(|m| m.get_ref());
    callbacks::take_in(
        state,
        metrics,
        gateway,
        headers_of(req),
        req.query_string(),
        body,
    )
    .await
}

/// Every SNAP answer, success or refusal: `responseCode` is HTTP status + service code + case.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapAnswer {
    #[schema(example = "2005200", pattern = "^[0-9]{7}$")]
    pub response_code: String,
    #[schema(example = "Successful")]
    pub response_message: String,
    /// The B2B token (access-token answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `Bearer` (access-token answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Seconds, as a string (access-token answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<String>,
    /// Notify answers only: the payment the notification is now part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<SnapNotifyInfo>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapNotifyInfo {
    pub payment_id: i64,
    pub verdict: Verdict,
}

impl SnapAnswer {
    fn new(code: String, message: &str) -> Self {
        Self {
            response_code: code,
            response_message: message.to_owned(),
            access_token: None,
            token_type: None,
            expires_in: None,
            additional_info: None,
        }
    }
}

/// `{"grantType": "client_credentials"}`.
#[derive(ToSchema)]
#[allow(dead_code)] // the body is parsed by `services::snap_tokens`; this is its schema
pub struct SnapTokenRequest {
    #[schema(rename = "grantType", pattern = "^client_credentials$")]
    pub grant_type: String,
}

/// The fields of a Midtrans notification Parkir reads (Midtrans sends more; all are stored).
#[derive(ToSchema)]
#[allow(dead_code)] // parsed by `gateways::midtrans`; this is its schema
pub struct MidtransNotification {
    /// The charge reference Parkir issued, or the spot's order id.
    pub order_id: String,
    #[schema(example = "200")]
    pub status_code: String,
    /// Whole rupiah as Midtrans writes it, e.g. `"2000.00"`.
    #[schema(example = "2000.00")]
    pub gross_amount: String,
    /// Hex SHA-512 of order_id + status_code + gross_amount + the server key.
    pub signature_key: String,
    pub transaction_id: String,
    #[schema(example = "settlement")]
    pub transaction_status: String,
    #[schema(example = "IDR")]
    pub currency: Option<String>,
    pub fraud_status: Option<String>,
    pub transaction_time: Option<String>,
    pub settlement_time: Option<String>,
}

/// A Midtrans or Xendit callback's answer once it is stored.
#[derive(Serialize, ToSchema)]
pub struct CallbackAck {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
    pub verdict: Verdict,
    pub payment_id: i64,
}

/// A SNAP answer with our X-TIMESTAMP.
fn snap_answer(status: u16, body: SnapAnswer) -> HttpResponse {
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
    snap_answer(status, SnapAnswer::new(code, &message))
}

/// Our own failure, in SNAP's terms: 5xx, never blamed on the gateway.
fn snap_failure(service: &str, err: &ApiError) -> HttpResponse {
    use actix_web::ResponseError;
    let status = err.status_code().as_u16().max(500);
    tracing::error!(error = %err, "SNAP request failed on our side");
    snap_answer(
        status,
        SnapAnswer::new(format!("{status}{service}00"), "General Error"),
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
#[utoipa::path(post, path = "/snap/v1.0/access-token/b2b", operation_id = "snapAccessToken", tag = "gateways",
    params(("X-CLIENT-KEY" = String, Header, description = "the gateway's client key"),
           ("X-TIMESTAMP" = chrono::DateTime<chrono::FixedOffset>, Header, description = "RFC 3339, within ±300 s of our clock")),
    request_body(content = SnapTokenRequest),
    responses((status = 200, description = "`2007300` and the token", body = SnapAnswer),
              (status = 400, description = "`4007300`/`4007301`/`4007302`", body = SnapAnswer),
              (status = 401, description = "`4017300`: the signature does not verify", body = SnapAnswer),
              (status = 413, description = "the body is larger than 64 KiB", body = SnapAnswer),
              (status = 429, description = "`4297300`", body = SnapAnswer),
              (status = 503, description = "SNAP not configured, or the database is unavailable", body = SnapAnswer)),
    security(("snapSignature" = [])))]
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
            SnapAnswer {
                access_token: Some(token),
                token_type: Some("Bearer".into()),
                expires_in: Some(snap::TOKEN_TTL_SECS.to_string()),
                ..SnapAnswer::new(format!("200{SERVICE_TOKEN}00"), "Successful")
            },
        ),
        Ok(Issue::TooMany) => snap_answer(
            429,
            SnapAnswer::new(format!("429{SERVICE_TOKEN}00"), "Too Many Requests"),
        ),
        Ok(Issue::Refused(rejection)) => snap_rejection(SERVICE_TOKEN, &rejection),
        Err(e) => snap_failure(SERVICE_TOKEN, &e),
    }
}

/// `POST /snap/v1.0/qr/qr-mpm-notify`: signature type 1 (HMAC-SHA512, with a token we issued)
/// or type 2 (SHA256withRSA); 200 `2005200` once stored, whatever it matched.
#[utoipa::path(post, path = "/snap/v1.0/qr/qr-mpm-notify", operation_id = "snapNotify", tag = "gateways",
    params(("X-TIMESTAMP" = chrono::DateTime<chrono::FixedOffset>, Header, description = "RFC 3339, within ±300 s of our clock"),
           ("X-PARTNER-ID" = Option<String>, Header, description = "the gateway's partner id"),
           ("X-EXTERNAL-ID" = Option<String>, Header, description = "unique per request and day")),
    request_body(content = Object, description = "SNAP QR MPM payment notification"),
    responses((status = 200, description = "`2005200` once stored (new, repeat, unmatched, mismatched)", body = SnapAnswer),
              (status = 400, description = "`4005200`/`4005201`/`4005202`", body = SnapAnswer),
              (status = 401, description = "`4015200`/`4015201`: token or signature refused", body = SnapAnswer),
              (status = 413, description = "the body is larger than 64 KiB", body = SnapAnswer),
              (status = 503, description = "`5035200`: SNAP not configured, or nothing could be stored", body = SnapAnswer)),
    security(("snapSignature" = [], "snapToken" = []), ("snapSignature" = [])))]
pub async fn snap_notify(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    callback(req, payload, &state, GatewayName::Snap, &SnapNotify).await
}

/// How a gateway's protocol answers a callback; one generic handler ([`callback`]) serves
/// every gateway, and each protocol shapes its own reply.
trait Answers {
    /// The callback is stored (new, repeat, unmatched or mismatched) and committed.
    fn recorded(&self, verdict: Verdict, payment_id: i64) -> HttpResponse;
    /// The gateway's rules refused it; nothing was stored.
    fn refused(&self, gateway: GatewayName, rejection: Rejection) -> HttpResponse;
    /// Our own failure (the database is away): the gateway sends it again.
    fn failed(&self, err: ApiError) -> HttpResponse;
    /// The body could not be read (larger than the limit).
    fn unreadable(&self, err: ApiError) -> HttpResponse;
}

/// SNAP's QR MPM notify: every answer a `SnapAnswer` with a `responseCode`.
struct SnapNotify;

impl Answers for SnapNotify {
    fn recorded(&self, verdict: Verdict, payment_id: i64) -> HttpResponse {
        snap_answer(
            200,
            SnapAnswer {
                additional_info: Some(SnapNotifyInfo {
                    payment_id,
                    verdict,
                }),
                ..SnapAnswer::new(format!("200{SERVICE_NOTIFY}00"), "Successful")
            },
        )
    }

    fn refused(&self, _: GatewayName, rejection: Rejection) -> HttpResponse {
        snap_rejection(SERVICE_NOTIFY, &rejection)
    }

    fn failed(&self, err: ApiError) -> HttpResponse {
        snap_failure(SERVICE_NOTIFY, &err)
    }

    fn unreadable(&self, _: ApiError) -> HttpResponse {
        snap_rejection(
            SERVICE_NOTIFY,
            &Rejection::Malformed("body too large".into()),
        )
    }
}

/// Midtrans and Xendit: a JSON acknowledgement once stored, refusals as problems.
struct JsonAck;

impl Answers for JsonAck {
    fn recorded(&self, verdict: Verdict, payment_id: i64) -> HttpResponse {
        HttpResponse::Ok().json(CallbackAck {
            status: "ok",
            verdict,
            payment_id,
        })
    }

    fn refused(&self, gateway: GatewayName, rejection: Rejection) -> HttpResponse {
        HttpResponse::from_error(api_rejection(gateway.as_str(), rejection))
    }

    fn failed(&self, err: ApiError) -> HttpResponse {
        HttpResponse::from_error(err)
    }

    fn unreadable(&self, err: ApiError) -> HttpResponse {
        HttpResponse::from_error(err)
    }
}

/// Every gateway's callback: the raw request through the one intake path
/// (`services::callbacks::take_in`: verify, then record exactly once), answered in the
/// gateway's protocol only after the commit.
async fn callback(
    req: HttpRequest,
    payload: web::Payload,
    state: &AppState,
    gateway: GatewayName,
    answers: &dyn Answers,
) -> HttpResponse {
    let body = match body_of(&req, payload).await {
        Ok(body) => body,
        Err(e) => return answers.unreadable(e),
    };
    match take_in(&req, state, gateway, body).await {
        Ok(Intake::Recorded {
            verdict,
            payment_id,
        }) => answers.recorded(verdict, payment_id),
        Ok(Intake::Refused(rejection)) => answers.refused(gateway, rejection),
        Err(e) => answers.failed(e),
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

/// `POST /api/v1/gateways/midtrans/notification`.
#[utoipa::path(post, path = "/api/v1/gateways/midtrans/notification", operation_id = "midtransNotification", tag = "gateways",
    request_body(content = MidtransNotification, description = "Midtrans HTTP notification; `signature_key` = SHA-512(order_id + status_code + gross_amount + server key), checked before anything is stored"),
    responses((status = 200, description = "stored (new, repeat, unmatched or mismatched)", body = CallbackAck),
              (status = 401, description = "`signature_key` does not verify")))]
pub async fn midtrans_notification(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    callback(req, payload, &state, GatewayName::Midtrans, &JsonAck).await
}

/// `POST /api/v1/gateways/xendit/qr`.
#[utoipa::path(post, path = "/api/v1/gateways/xendit/qr", operation_id = "xenditQrCallback", tag = "gateways",
    request_body(content = Object, description = "Xendit QR payment callback (2022-07-31 envelope or V1)"),
    responses((status = 200, description = "stored (new, repeat, unmatched or mismatched)", body = CallbackAck),
              (status = 401, description = "`x-callback-token` is missing or wrong")),
    security(("xenditCallbackToken" = [])))]
pub async fn xendit_qr(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    callback(req, payload, &state, GatewayName::Xendit, &JsonAck).await
}
