//! Xendit QR Codes callbacks: the `x-callback-token` header, compared in constant time with the
//! configured token (the body itself is not signed). Both the 2022-07-31 envelope
//! (`event`, `data{…}`) and the legacy V1 shape are read.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::domain::time::parse_instant;

use super::{
    GATEWAY_LOCAL_ZONE, Gateway, GatewayName, Notification, PaymentStatus, RawCallback, Rejection,
    constant_time_eq, require_idr, rupiah_from_json,
};

/// Xendit as configured here: an absent callback token makes every callback a 503.
pub struct Xendit {
    pub callback_token: Option<SecretString>,
}

impl Gateway for Xendit {
    fn name(&self) -> GatewayName {
        GatewayName::Xendit
    }

    fn verify(
        &self,
        raw: &RawCallback,
        _now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Notification, Rejection> {
        verify(self.callback_token.as_ref(), raw)
    }
}

fn status(raw: &str) -> Option<PaymentStatus> {
    Some(match raw {
        "SUCCEEDED" | "COMPLETED" => PaymentStatus::Paid,
        "PENDING" => PaymentStatus::Pending,
        "FAILED" | "EXPIRED" | "VOIDED" => PaymentStatus::Failed,
        "REFUNDED" | "PARTIALLY_REFUNDED" => PaymentStatus::Refunded,
        _ => return None,
    })
}

pub fn verify(token: Option<&SecretString>, req: &RawCallback) -> Result<Notification, Rejection> {
    let token = token.ok_or(Rejection::Unconfigured("PARKIR_XENDIT_CALLBACK_TOKEN"))?;
    let given = req
        .header("x-callback-token")
        .ok_or_else(|| Rejection::Signature("missing x-callback-token".into()))?;
    if !constant_time_eq(given.as_bytes(), token.expose_secret().as_bytes()) {
        return Err(Rejection::Signature("x-callback-token".into()));
    }
    let v: Value =
        serde_json::from_slice(req.body).map_err(|e| Rejection::Malformed(e.to_string()))?;
    // V2 nests the payment in `data`; V1 has it at the top with the QR in `qr_code`.
    let (p, prefix, reference) = match v.get("data").filter(|d| d.is_object()) {
        Some(data) => (data, "data.", data.get("reference_id")),
        None => (&v, "", v.get("qr_code").and_then(|q| q.get("external_id"))),
    };
    let text = |name: &str| -> Result<&str, Rejection> {
        match p.get(name) {
            None | Some(Value::Null) => Err(Rejection::Missing(format!("{prefix}{name}"))),
            Some(Value::String(s)) => Ok(s.as_str()),
            Some(_) => Err(Rejection::Invalid(format!("{prefix}{name}"))),
        }
    };
    let txn_id = text("id")?;
    let reported = text("status")?;
    let status = status(reported).ok_or_else(|| Rejection::Invalid(format!("{prefix}status")))?;
    let amount = p
        .get("amount")
        .ok_or_else(|| Rejection::Missing(format!("{prefix}amount")))
        .and_then(|a| {
            rupiah_from_json(a).ok_or_else(|| Rejection::Invalid(format!("{prefix}amount")))
        })?;
    // The 2022-07-31 envelope always carries the currency; V1 never does (SPEC §7).
    match (prefix, p.get("currency")) {
        ("", None) => {}
        (_, currency) => require_idr(
            currency.and_then(Value::as_str),
            &format!("{prefix}currency"),
        )?,
    }
    let paid_at = parse_instant(text("created")?, GATEWAY_LOCAL_ZONE)
        .ok_or_else(|| Rejection::Invalid(format!("{prefix}created")))?;
    let terminal_id = p
        .get("metadata")
        .and_then(|m| m.get("terminal_id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Notification {
        gateway: GatewayName::Xendit,
        txn_id: txn_id.to_owned(),
        reference: reference.and_then(Value::as_str).map(str::to_owned),
        terminal_id,
        amount,
        paid_at,
        status,
        reported_status: reported.to_owned(),
        rrn: None,
    })
}
