//! Midtrans HTTP notifications (Core API / QRIS): `signature_key` = lowercase hex
//! SHA-512(order_id + status_code + gross_amount + server key) over the strings exactly as sent.
//! No timestamp is signed: replays are answered by idempotency and the forward-only status.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::domain::time::parse_instant;
use sha2::{Digest, Sha512};

use super::{
    GATEWAY_LOCAL_ZONE, Gateway, GatewayName, Notification, PaymentStatus, RawCallback, Rejection,
    constant_time_eq, require_idr, rupiah_from_str,
};

/// Midtrans as configured here: an absent server key makes every notification a 503.
pub struct Midtrans {
    pub server_key: Option<SecretString>,
}

impl Gateway for Midtrans {
    fn name(&self) -> GatewayName {
        GatewayName::Midtrans
    }

    fn verify(
        &self,
        raw: &RawCallback,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Notification, Rejection> {
        verify(self.server_key.as_ref(), raw)
    }

    fn stored_body(&self, body: &[u8]) -> Vec<u8> {
        redact_signature(body)
    }
}

/// What replaces the `signature_key` value in a stored body.
pub const REDACTED: &str = "[redacted]";

/// The body with the value of every top-level `signature_key` replaced by `"[redacted]"`, every
/// other byte as sent. When what a JSON parser reads from the result still holds a signature (a
/// key spelt with escapes, which the byte scan does not see), the body is re-encoded with the
/// value replaced; one that is not a JSON object is kept as it is (it carries no readable
/// signature).
pub fn redact_signature(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    for (start, end) in signature_value_spans(body) {
        out.extend_from_slice(&body[at..start]);
        out.extend_from_slice(format!("\"{REDACTED}\"").as_bytes());
        at = end;
    }
    out.extend_from_slice(&body[at..]);
    match serde_json::from_slice::<serde_json::Value>(&out) {
        Ok(serde_json::Value::Object(mut map))
            if map
                .get("signature_key")
                .is_some_and(|v| v.as_str() != Some(REDACTED)) =>
        {
            map.insert("signature_key".into(), REDACTED.into());
            serde_json::to_vec(&map).unwrap_or_default()
        }
        _ => out,
    }
}

/// The byte spans of the string values of every top-level `"signature_key"` member.
fn signature_value_spans(body: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_key = false;
    while i < body.len() {
        match body[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_key = body[i] == b'{' && depth == 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b',' => {
                expect_key = depth == 1;
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(body, i) else {
                    break;
                };
                let is_key = expect_key;
                let key = &body[i..end];
                expect_key = false;
                i = end;
                if !(is_key && key == b"\"signature_key\"") {
                    continue;
                }
                let mut j = end;
                while body.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if body.get(j) != Some(&b':') {
                    continue;
                }
                j += 1;
                while body.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if body.get(j) == Some(&b'"')
                    && let Some(value_end) = string_end(body, j)
                {
                    spans.push((j, value_end));
                    i = value_end;
                }
            }
            _ => i += 1,
        }
    }
    spans
}

/// The index just past the JSON string that opens at `start` (a `"`).
fn string_end(body: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Midtrans `transaction_status` read against the signed `status_code` (SPEC §7): the
/// signature covers only `order_id + status_code + gross_amount`, so the status is believed only
/// where the signed code agrees with it — 200 `capture`/`settlement`/`refund`/`partial_refund`,
/// 201 `pending`, 202 `deny`/`cancel`/`expire`/`failure`; anything else is refused. A
/// `capture` is paid only with `fraud_status` `accept` (`challenge` or absent is pending,
/// `deny` failed).
fn status(
    status_code: &str,
    transaction_status: &str,
    fraud_status: Option<&str>,
) -> Result<PaymentStatus, Rejection> {
    let status = match (status_code, transaction_status) {
        ("200", "settlement") => PaymentStatus::Paid,
        ("200", "capture") => match fraud_status {
            Some("accept") => PaymentStatus::Paid,
            Some("deny") => PaymentStatus::Failed,
            Some("challenge") | None => PaymentStatus::Pending,
            Some(_) => return Err(Rejection::Invalid("fraud_status".into())),
        },
        ("200", "refund" | "partial_refund") => PaymentStatus::Refunded,
        ("201", "pending") => PaymentStatus::Pending,
        ("202", "deny" | "cancel" | "expire" | "failure") => PaymentStatus::Failed,
        _ => return Err(Rejection::Invalid("transaction_status".into())),
    };
    Ok(status)
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
    let status = status(string(&v, "status_code")?, reported, fraud)?;
    let gross_amount = string(&v, "gross_amount")?;
    let amount =
        rupiah_from_str(gross_amount).ok_or_else(|| Rejection::Invalid("gross_amount".into()))?;
    require_idr(v.get("currency").and_then(Value::as_str), "currency")?;
    if txn_id.is_empty() || txn_id.len() > 64 {
        return Err(Rejection::Invalid("transaction_id".into()));
    }
    let time_field = if v.get("settlement_time").and_then(Value::as_str).is_some() {
        "settlement_time"
    } else {
        "transaction_time"
    };
    let paid_at = parse_instant(string(&v, time_field)?, GATEWAY_LOCAL_ZONE)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_body_has_no_signature_and_keeps_every_other_byte() {
        let body =
            br#"{"order_id":"A-1", "signature_key" : "ab\"cd","nested":{"signature_key":"x"}}"#;
        let stored = redact_signature(body);
        assert_eq!(
            String::from_utf8(stored).unwrap(),
            r#"{"order_id":"A-1", "signature_key" : "[redacted]","nested":{"signature_key":"x"}}"#
        );
        // A value that only looks like the key is not touched.
        let body = br#"{"note":"signature_key","signature_key":"s3cr3t"}"#;
        let stored = String::from_utf8(redact_signature(body)).unwrap();
        assert_eq!(
            stored,
            r#"{"note":"signature_key","signature_key":"[redacted]"}"#
        );
        // The key spelt with an escape: re-encoded, still redacted.
        let body = br#"{"\u0073ignature_key":"s3cr3t","a":1}"#;
        let stored = String::from_utf8(redact_signature(body)).unwrap();
        assert!(
            !stored.contains("s3cr3t") && stored.contains("[redacted]"),
            "{stored}"
        );
        // Not JSON: kept as sent.
        assert_eq!(redact_signature(b"not json"), b"not json");
        // A duplicate key (a parser keeps the last): every one is redacted.
        let body = br#"{"signature_key":"x","a":1,"signature_key":"s3cr3t"}"#;
        let stored = String::from_utf8(redact_signature(body)).unwrap();
        assert_eq!(
            stored,
            r#"{"signature_key":"[redacted]","a":1,"signature_key":"[redacted]"}"#
        );
        let body = br#"{"signature_key":"x","\u0073ignature_key":"s3cr3t"}"#;
        let stored = String::from_utf8(redact_signature(body)).unwrap();
        assert!(!stored.contains("s3cr3t"), "{stored}");
    }

    #[test]
    fn the_status_must_agree_with_the_signed_status_code() {
        assert_eq!(status("200", "settlement", None), Ok(PaymentStatus::Paid));
        assert_eq!(status("201", "pending", None), Ok(PaymentStatus::Pending));
        assert_eq!(status("202", "expire", None), Ok(PaymentStatus::Failed));
        assert_eq!(status("200", "refund", None), Ok(PaymentStatus::Refunded));
        // A captured pending (201) cannot be turned into a settlement, nor the reverse.
        assert!(status("201", "settlement", None).is_err());
        assert!(status("202", "settlement", None).is_err());
        assert!(status("200", "pending", None).is_err());
        assert!(status("200", "chargeback", None).is_err());
    }

    #[test]
    fn a_capture_is_paid_only_when_fraud_screening_accepts_it() {
        assert_eq!(
            status("200", "capture", Some("accept")),
            Ok(PaymentStatus::Paid)
        );
        assert_eq!(
            status("200", "capture", Some("challenge")),
            Ok(PaymentStatus::Pending)
        );
        assert_eq!(status("200", "capture", None), Ok(PaymentStatus::Pending));
        assert_eq!(
            status("200", "capture", Some("deny")),
            Ok(PaymentStatus::Failed)
        );
        assert!(status("200", "capture", Some("maybe")).is_err());
    }
}
