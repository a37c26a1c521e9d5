//! Gateway endpoints: SNAP under `/snap` (B2B token, QR MPM notify), Midtrans and Xendit under
//! `/api/v1/gateways`. Each callback walks forward: raw request → gateway verify →
//! notification → one transaction (payment + inbox) → answer, sent only after the commit.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use serde_json::{Value, json};

use super::extract::read_body;
use crate::db::{self, recording, snap_tokens};
use crate::error::ApiError;
use crate::gateways::snap::{self, SERVICE_NOTIFY, SERVICE_TOKEN};
use crate::gateways::{
    Notification, RawCallback, Rejection, midtrans, stored_headers, token_hash, wib, xendit,
};
use crate::metrics::Metrics;
use crate::state::AppState;

/// The request's headers as sent; only [`stored_headers`] of them are ever stored.
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

/// How many valid SNAP tokens one process remembers.
const SNAP_TOKEN_CACHE: usize = 1024;

/// Records a verified notification; a refused one is only counted (nothing unauthenticated is
/// stored). Returns what the answer needs.
async fn record(
    req: &HttpRequest,
    state: &AppState,
    gateway: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    verdict: Result<Notification, Rejection>,
) -> Result<Result<(recording::Verdict, i64), Rejection>, ApiError> {
    match verdict {
        Ok(n) => {
            let entry = recording::InboxEntry {
                gateway: gateway.to_owned(),
                headers: stored_headers(&headers),
                body,
            };
            state.recorder.record(n, entry).await.map(Ok)
        }
        Err(rejection) => {
            if let Some(metrics) = req.app_data::<web::Data<Metrics>>() {
                metrics.callback_rejected(gateway, rejection.kind());
            }
            tracing::info!(gateway, reason = rejection.kind(), "callback refused");
            Ok(Err(rejection))
        }
    }
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
    let headers = headers_of(&req);
    let raw = RawCallback {
        headers: &headers,
        body: &body,
    };
    if let Err(rejection) =
        snap::verify_token_request(state.gateways.snap.as_ref(), &raw, Utc::now())
    {
        return snap_rejection(SERVICE_TOKEN, &rejection);
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    let client_key = state
        .gateways
        .snap
        .as_ref()
        .map(|c| c.client_key.clone())
        .unwrap_or_default();
    let now = Utc::now();
    let expires_at = now + chrono::Duration::seconds(snap::TOKEN_TTL_SECS);
    let stored = db::run(&state.pool, move |conn| {
        Ok(snap_tokens::insert_snap_token(
            conn,
            &hash,
            &client_key,
            now,
            expires_at,
        )?)
    })
    .await;
    match stored {
        Ok(false) => snap_answer(
            429,
            format!("429{SERVICE_TOKEN}00"),
            "Too Many Requests".into(),
            json!({}),
        ),
        Ok(true) => snap_answer(
            200,
            format!("200{SERVICE_TOKEN}00"),
            "Successful".into(),
            json!({"accessToken": token, "tokenType": "Bearer", "expiresIn": snap::TOKEN_TTL_SECS.to_string()}),
        ),
        Err(e) => snap_failure(SERVICE_TOKEN, &e),
    }
}

/// Whether a bearer token (by hash) is one we issued and still valid: from memory when this
/// process has seen it, else from the database.
async fn token_valid(
    state: &AppState,
    hash: String,
    now: chrono::DateTime<Utc>,
) -> Result<bool, ApiError> {
    let cached = state
        .snap_tokens
        .lock()
        .ok()
        .and_then(|m| m.get(&hash).copied());
    if let Some(expires) = cached {
        return Ok(expires > now);
    }
    let key = hash.clone();
    let expiry = db::run(&state.pool, move |conn| {
        Ok(snap_tokens::snap_token_expiry(conn, &key, now)?)
    })
    .await?;
    if let (Some(expires), Ok(mut map)) = (expiry, state.snap_tokens.lock()) {
        // Bounded: expired entries go first, and if live ones still fill it, all of them
        // (each is then asked of the database once more).
        if map.len() >= SNAP_TOKEN_CACHE {
            map.retain(|_, e| *e > now);
        }
        if map.len() >= SNAP_TOKEN_CACHE {
            map.clear();
        }
        map.insert(hash, expires);
    }
    Ok(expiry.is_some())
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
    let headers = headers_of(&req);
    let now = Utc::now();
    // The signature is checked first (with any token); only a signed request has its bearer
    // token looked up, so unsigned junk costs no database round trip.
    let mut verdict = snap::verify_notify(
        state.gateways.snap.as_ref(),
        &RawCallback {
            headers: &headers,
            body: &body,
        },
        snap::NOTIFY_PATH,
        now,
        |_| true,
    );
    let bearer = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, v)| v.strip_prefix("Bearer "))
        .map(|t| token_hash(t.trim()));
    if let (Ok(_), Some(hash)) = (&verdict, bearer) {
        match token_valid(&state, hash, now).await {
            Ok(true) => {}
            Ok(false) => verdict = Err(Rejection::Token),
            Err(e) => return snap_failure(SERVICE_NOTIFY, &e),
        }
    }
    match record(&req, &state, "snap", headers, body, verdict).await {
        Ok(Ok((verdict, payment_id))) => snap_answer(
            200,
            format!("200{SERVICE_NOTIFY}00"),
            "Successful".into(),
            json!({"additionalInfo": {"paymentId": payment_id, "verdict": verdict}}),
        ),
        Ok(Err(rejection)) => snap_rejection(SERVICE_NOTIFY, &rejection),
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

async fn simple_callback(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    gateway: &'static str,
    verify: impl FnOnce(&AppState, &RawCallback) -> Result<Notification, Rejection>,
) -> Result<HttpResponse, ApiError> {
    let body = body_of(&req, payload).await?;
    let headers = headers_of(&req);
    let verdict = verify(
        &state,
        &RawCallback {
            headers: &headers,
            body: &body,
        },
    );
    match record(&req, &state, gateway, headers, body, verdict).await? {
        Ok((verdict, payment_id)) => Ok(HttpResponse::Ok().json(json!({
            "status": "ok", "verdict": verdict, "payment_id": payment_id
        }))),
        Err(rejection) => Err(api_rejection(gateway, rejection)),
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
    simple_callback(req, payload, state, "midtrans", |s, raw| {
        midtrans::verify(s.gateways.midtrans_server_key.as_ref(), raw)
    })
    .await
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
    simple_callback(req, payload, state, "xendit", |s, raw| {
        xendit::verify(s.gateways.xendit_callback_token.as_ref(), raw)
    })
    .await
}
