//! Midtrans HTTP notifications (Core API / QRIS): `signature_key` = lowercase hex
//! SHA-512(order_id + status_code + gross_amount + server key) over the strings exactly as sent.
//! No timestamp is signed: replays are answered by idempotency and the forward-only status.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha512};

use super::{
    GatewayName, Notification, PaymentStatus, RawCallback, Rejection, constant_time_eq,
    parse_instant, rupiah_from_str, wib,
};

/// Midtrans `transaction_status` (with `fraud_status` for `capture`).
fn status(transaction_status: &str, fraud_status: Option<&str>) -> Option<PaymentStatus> {
    Some(match transaction_status {
        "settlement" => PaymentStatus::Paid,
        "capture" if fraud_status == Some("challenge") => PaymentStatus::Pending,
        "capture" => PaymentStatus::Paid,
        "pending" | "authorize" => PaymentStatus::Pending,
        "deny" | "cancel" | "expire" | "failure" => PaymentStatus::Failed,
        "refund" | "partial_refund" => PaymentStatus::Refunded,
        "chargeback" | "partial_chargeback" => PaymentStatus::Reversed,
        _ => return None,
    })
}

/// The expected `signature_key` for the three strings and the server key.
pub fn signature_key(
    order_id: &str,
    status_code: &str,
    gross_amount: &str,
    server_key: &str,
) -> String {
    hex::encode(Sha512::digest(format!(
        "{order_id}{status_code}{gross_amount}{server_key}"
    )))
}

/// Checks `signature_key` and returns the parsed body: authentication only.
pub fn verify_signature(
    server_key: Option<&SecretString>,
    body: &[u8],
) -> Result<Value, Rejection> {
    let key = server_key.ok_or(Rejection::Unconfigured("PARKIR_MIDTRANS_SERVER_KEY"))?;
    let v: Value = serde_json::from_slice(body).map_err(|e| Rejection::Malformed(e.to_string()))?;
    let order_id = string(&v, "order_id")?;
    let status_code = string(&v, "status_code")?;
    let gross_amount = string(&v, "gross_amount")?;
    let given = string(&v, "signature_key")?;
    let expected = signature_key(order_id, status_code, gross_amount, key.expose_secret());
    if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(Rejection::Signature("signature_key".into()));
    }
    Ok(v)
}

fn string<'a>(v: &'a Value, name: &str) -> Result<&'a str, Rejection> {
    match v.get(name) {
        None | Some(Value::Null) => Err(Rejection::Missing(name.to_owned())),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(Rejection::Invalid(name.to_owned())),
    }
}

/// Verifies and reads a notification. Identity is `transaction_id`; the reference is
/// `order_id`; the instant is `settlement_time`, else `transaction_time` (WIB).
pub fn verify(
    server_key: Option<&SecretString>,
    req: &RawCallback,
) -> Result<Notification, Rejection> {
    let v = verify_signature(server_key, req.body)?;
    let txn_id = string(&v, "transaction_id")?;
    let reported = string(&v, "transaction_status")?;
    let fraud = v.get("fraud_status").and_then(Value::as_str);
    let status =
        status(reported, fraud).ok_or_else(|| Rejection::Invalid("transaction_status".into()))?;
    let gross_amount = string(&v, "gross_amount")?;
    let amount =
        rupiah_from_str(gross_amount).ok_or_else(|| Rejection::Invalid("gross_amount".into()))?;
    let time_field = if v.get("settlement_time").and_then(Value::as_str).is_some() {
        "settlement_time"
    } else {
        "transaction_time"
    };
    let paid_at = parse_instant(string(&v, time_field)?, wib())
        .ok_or_else(|| Rejection::Invalid(time_field.to_owned()))?;
    Ok(Notification {
        gateway: GatewayName::Midtrans,
        txn_id: txn_id.to_owned(),
        reference: Some(string(&v, "order_id")?.to_owned()),
        terminal_id: None,
        amount,
        paid_at,
        status,
        reported_status: reported.to_owned(),
        rrn: None,
    })
}
