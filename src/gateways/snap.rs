//! Bank Indonesia's SNAP (Standar Nasional Open API Pembayaran), as a QRIS acquirer calls us:
//! the B2B access token (`/v1.0/access-token/b2b`, service 73) and the QR MPM payment notify
//! (`/v1.0/qr/qr-mpm-notify`, service 52).
//!
//! Signatures (SNAP "Standar Keamanan", symmetric and asymmetric):
//! - token request: base64 SHA256withRSA over `clientKey|X-TIMESTAMP`, gateway's public key;
//! - notify type 1: base64 HMAC-SHA512 with the client secret over
//!   `POST:<path>:<accessToken>:<lowercase hex SHA-256(minify(body))>:<X-TIMESTAMP>`;
//! - notify type 2: base64 SHA256withRSA over the same string without the token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha256, Sha512};

use super::{
    Gateway, GatewayName, Notification, PaymentStatus, RawCallback, Rejection, constant_time_eq,
    minify, require_idr, rupiah_from_str, token_hash,
};

/// SNAP as configured here: without a client key every request is a 503.
pub struct Snap {
    pub config: Option<SnapConfig>,
}

impl Gateway for Snap {
    fn name(&self) -> GatewayName {
        GatewayName::Snap
    }

    /// The QR MPM notify, with any bearer token: the token is looked up only after the
    /// signature verified ([`Gateway::issued_token`]), so unsigned junk costs no look-up.
    fn verify(&self, raw: &RawCallback, now: DateTime<Utc>) -> Result<Notification, Rejection> {
        verify_notify(self.config.as_ref(), raw, NOTIFY_PATH, now, |_| true)
    }

    fn issued_token(&self, raw: &RawCallback) -> Option<String> {
        raw.header("Authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| token_hash(t.trim()))
    }
}

/// The notify path as the gateway signs it: relative to where SNAP is mounted (`/snap`).
pub const NOTIFY_PATH: &str = "/v1.0/qr/qr-mpm-notify";
/// X-TIMESTAMP must be within this many seconds of our clock (Parkir's policy; SNAP publishes
/// no tolerance).
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;
/// Lifetime of the B2B access tokens we issue.
pub const TOKEN_TTL_SECS: i64 = 900;

/// SNAP service codes: 73 = access token B2B, 52 = QR MPM notify.
pub const SERVICE_TOKEN: &str = "73";
pub const SERVICE_NOTIFY: &str = "52";

/// What this deployment trusts of the gateway.
#[derive(Clone)]
pub struct SnapConfig {
    /// The gateway's X-CLIENT-KEY / partner id.
    pub client_key: String,
    /// HMAC secret for signature type 1.
    pub client_secret: Option<SecretString>,
    /// The gateway's RSA public key for the token request and signature type 2.
    pub public_key: Option<VerifyingKey<Sha256>>,
}

impl SnapConfig {
    /// Reads a PEM public key (SubjectPublicKeyInfo).
    pub fn parse_public_key(pem: &str) -> Result<VerifyingKey<Sha256>, String> {
        rsa::PublicKey::from_public_key_pem(pem.trim())
            .map(VerifyingKey::<Sha256>::new)
            .map_err(|e| format!("not an RSA public key in PEM: {e}"))
    }
}

/// `{responseCode, responseMessage}` and the HTTP status for a rejection of `service`.
pub fn rejection_answer(service: &str, rejection: &Rejection) -> (u16, String, String) {
    let (case, message) = match rejection {
        Rejection::Unconfigured(what) => ("00", format!("Service Unavailable ({what})")),
        Rejection::Missing(f) => ("02", format!("Invalid Mandatory Field {{{f}}}")),
        Rejection::Invalid(f) => ("01", format!("Invalid Field Format {{{f}}}")),
        Rejection::Malformed(_) => ("00", "Bad Request".to_owned()),
        Rejection::Signature(why) | Rejection::Stale(why) => {
            ("00", format!("Unauthorized. [{why}]"))
        }
        Rejection::Token => ("01", "Invalid Token (B2B)".to_owned()),
    };
    let status = rejection.http_status();
    (status, format!("{status}{service}{case}"), message)
}

/// The string a notify is signed over; `token` only for signature type 1.
pub fn string_to_sign(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
    timestamp: &str,
) -> String {
    let body_hash = hex::encode(Sha256::digest(minify(body)));
    match token {
        Some(t) => format!("{method}:{path}:{t}:{body_hash}:{timestamp}"),
        None => format!("{method}:{path}:{body_hash}:{timestamp}"),
    }
}

/// The mandatory headers, then X-TIMESTAMP's format and window.
fn signed_headers<'a>(
    req: &'a RawCallback,
    now: DateTime<Utc>,
) -> Result<(&'a str, &'a str), Rejection> {
    let timestamp = req
        .header("X-TIMESTAMP")
        .ok_or_else(|| Rejection::Missing("X-TIMESTAMP".into()))?;
    let signature = req
        .header("X-SIGNATURE")
        .ok_or_else(|| Rejection::Missing("X-SIGNATURE".into()))?;
    let at = DateTime::parse_from_rfc3339(timestamp)
        .map_err(|_| Rejection::Invalid("X-TIMESTAMP".into()))?;
    let skew = (now - at.with_timezone(&Utc)).num_seconds().abs();
    if skew > TIMESTAMP_TOLERANCE_SECS {
        return Err(Rejection::Stale(format!(
            "X-TIMESTAMP is {skew} s from our clock; at most {TIMESTAMP_TOLERANCE_SECS} s"
        )));
    }
    Ok((timestamp, signature))
}

fn decode_signature(signature: &str) -> Result<Vec<u8>, Rejection> {
    BASE64
        .decode(signature.trim())
        .map_err(|_| Rejection::Signature("X-SIGNATURE is not base64".into()))
}

fn verify_rsa(
    key: &VerifyingKey<Sha256>,
    message: &str,
    signature: &[u8],
) -> Result<(), Rejection> {
    let signature =
        RsaSignature::try_from(signature).map_err(|_| Rejection::Signature("signature".into()))?;
    key.verify(message.as_bytes(), &signature)
        .map_err(|_| Rejection::Signature("signature".into()))
}

/// Verifies a B2B access-token request; on success the caller issues a token.
pub fn verify_token_request(
    cfg: Option<&SnapConfig>,
    req: &RawCallback,
    now: DateTime<Utc>,
) -> Result<(), Rejection> {
    let cfg = cfg.ok_or(Rejection::Unconfigured("PARKIR_SNAP_CLIENT_KEY"))?;
    let key = cfg
        .public_key
        .as_ref()
        .ok_or(Rejection::Unconfigured("PARKIR_SNAP_PUBLIC_KEY"))?;
    let client_key = req
        .header("X-CLIENT-KEY")
        .ok_or_else(|| Rejection::Missing("X-CLIENT-KEY".into()))?;
    let (timestamp, signature) = signed_headers(req, now)?;
    if !constant_time_eq(client_key.as_bytes(), cfg.client_key.as_bytes()) {
        return Err(Rejection::Signature("Unknown client".into()));
    }
    let signature = decode_signature(signature)?;
    verify_rsa(key, &format!("{client_key}|{timestamp}"), &signature)?;
    let body: Value =
        serde_json::from_slice(req.body).map_err(|e| Rejection::Malformed(e.to_string()))?;
    match body.get("grantType").and_then(Value::as_str) {
        None => Err(Rejection::Missing("grantType".into())),
        Some("client_credentials") => Ok(()),
        Some(_) => Err(Rejection::Invalid("grantType".into())),
    }
}

/// Verifies a QR MPM notify and reads it. `path` is the path the gateway signs
/// ([`NOTIFY_PATH`]); `token_ok` says whether a bearer token is one we issued and still valid.
///
/// Order: configuration, mandatory headers, timestamp window, signature over the minified raw
/// bytes, then the token (type 1) — so an unsigned request costs no look-up — and only then is
/// the body parsed.
pub fn verify_notify(
    cfg: Option<&SnapConfig>,
    req: &RawCallback,
    path: &str,
    now: DateTime<Utc>,
    token_ok: impl Fn(&str) -> bool,
) -> Result<Notification, Rejection> {
    let cfg = cfg.ok_or(Rejection::Unconfigured("PARKIR_SNAP_CLIENT_KEY"))?;
    let (timestamp, signature) = signed_headers(req, now)?;
    let signature = decode_signature(signature)?;
    match req.header("Authorization") {
        Some(auth) => {
            let token = auth
                .strip_prefix("Bearer ")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or(Rejection::Token)?;
            let secret = cfg
                .client_secret
                .as_ref()
                .ok_or_else(|| Rejection::Signature("signature type 1 is not enabled".into()))?;
            let message = string_to_sign("POST", path, Some(token), req.body, timestamp);
            let mut mac = Hmac::<Sha512>::new_from_slice(secret.expose_secret().as_bytes())
                .map_err(|_| Rejection::Unconfigured("PARKIR_SNAP_CLIENT_SECRET"))?;
            mac.update(message.as_bytes());
            // Only a request signed with our client secret is worth a token look-up; a bad
            // signature is blamed on the token when the token is not ours either.
            if mac.verify_slice(&signature).is_err() {
                return Err(if token_ok(token) {
                    Rejection::Signature("signature".into())
                } else {
                    Rejection::Token
                });
            }
            if !token_ok(token) {
                return Err(Rejection::Token);
            }
        }
        None => {
            let key = cfg
                .public_key
                .as_ref()
                .ok_or_else(|| Rejection::Signature("signature type 2 is not enabled".into()))?;
            let message = string_to_sign("POST", path, None, req.body, timestamp);
            verify_rsa(key, &message, &signature)?;
        }
    }
    read_notify(req.body, timestamp)
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str)
}

/// SNAP `latestTransactionStatus`: 00 success, 01 initiated, 02 paying, 03 pending,
/// 04 refunded, 05 cancelled, 06 failed, 07 not found.
fn status(code: &str) -> Option<PaymentStatus> {
    Some(match code {
        "00" => PaymentStatus::Paid,
        "01" | "02" | "03" => PaymentStatus::Pending,
        "04" => PaymentStatus::Refunded,
        "05" | "06" | "07" => PaymentStatus::Failed,
        _ => return None,
    })
}

fn read_notify(body: &[u8], timestamp: &str) -> Result<Notification, Rejection> {
    let v: Value = serde_json::from_slice(body).map_err(|e| Rejection::Malformed(e.to_string()))?;
    let mandatory = |path: &[&str], name: &str| {
        text(&v, path).ok_or_else(|| {
            if path.iter().try_fold(&v, |v, k| v.get(k)).is_some() {
                Rejection::Invalid(name.to_owned())
            } else {
                Rejection::Missing(name.to_owned())
            }
        })
    };
    let txn_id = mandatory(&["originalReferenceNo"], "originalReferenceNo")?;
    let reported = mandatory(&["latestTransactionStatus"], "latestTransactionStatus")?;
    let status =
        status(reported).ok_or_else(|| Rejection::Invalid("latestTransactionStatus".into()))?;
    let amount = rupiah_from_str(mandatory(&["amount", "value"], "amount.value")?)
        .ok_or_else(|| Rejection::Invalid("amount.value".into()))?;
    require_idr(text(&v, &["amount", "currency"]), "amount.currency")?;
    let paid_time = text(&v, &["additionalInfo", "paidTime"]).unwrap_or(timestamp);
    let paid_at = DateTime::parse_from_rfc3339(paid_time)
        .map_err(|_| Rejection::Invalid("additionalInfo.paidTime".into()))?
        .with_timezone(&Utc);
    if txn_id.is_empty() || txn_id.len() > 64 {
        return Err(Rejection::Invalid("originalReferenceNo".into()));
    }
    let terminal_id = text(&v, &["additionalInfo", "terminalId"])
        .or_else(|| text(&v, &["additionalInfo", "externalStoreId"]))
        .or_else(|| text(&v, &["externalStoreId"]))
        .map(str::to_owned);
    Ok(Notification {
        gateway: GatewayName::Snap,
        txn_id: txn_id.to_owned(),
        reference: text(&v, &["originalPartnerReferenceNo"]).map(str::to_owned),
        terminal_id,
        amount,
        paid_at,
        status,
        reported_status: reported.to_owned(),
        rrn: text(&v, &["additionalInfo", "retrievalReferenceNo"]).map(str::to_owned),
    })
}
