//! Payment gateways, one file each, behind one trait: a raw callback goes in, a verified
//! [`Notification`] (or the [`Rejection`] the gateway's own protocol answers with) comes out.
//! Pure: no database, no clock of their own (the caller passes `now`).

pub mod midtrans;
pub mod snap;
pub mod xendit;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::domain::Rupiah;
use crate::domain::money::{MAX_PAYMENT, parse_rupiah_text};
pub use crate::domain::{GatewayName, PaymentStatus};

/// A verified callback, in the gateway-independent terms Parkir records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub gateway: GatewayName,
    /// The gateway's id of the transaction: the payment's identity with `gateway`.
    pub txn_id: String,
    /// Our charge reference (62/01) as the gateway carries it back, if any.
    pub reference: Option<String>,
    /// The terminal label / store id of the spot, if the gateway sends one.
    pub terminal_id: Option<String>,
    /// Whole rupiah.
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
    pub status: PaymentStatus,
    /// The gateway's own word for the status, kept for the callback history.
    pub reported_status: String,
    /// The retrieval reference number, when the gateway sends one (settlement files may use it).
    pub rrn: Option<String>,
}

/// Why a callback was refused; each gateway renders it in its own protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The gateway's credentials are not configured here (503).
    Unconfigured(&'static str),
    /// A mandatory header or field is absent (400).
    Missing(String),
    /// A header or field has the wrong format (400).
    Invalid(String),
    /// The body is not JSON (400).
    Malformed(String),
    /// The signature or callback token does not verify (401).
    Signature(String),
    /// The bearer token is not one we issued, or expired (401).
    Token,
    /// The signed timestamp is outside the accepted window (401).
    Stale(String),
}

impl Rejection {
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unconfigured(_) => 503,
            Self::Missing(_) | Self::Invalid(_) | Self::Malformed(_) => 400,
            Self::Signature(_) | Self::Token | Self::Stale(_) => 401,
        }
    }

    /// The kind of refusal, from a fixed set: the `reason` label of the rejection counter.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unconfigured(_) => "unconfigured",
            Self::Missing(_) => "missing_field",
            Self::Invalid(_) => "invalid_field",
            Self::Malformed(_) => "malformed",
            Self::Signature(_) => "signature",
            Self::Token => "token",
            Self::Stale(_) => "stale_timestamp",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Unconfigured(what) => format!("gateway not configured: {what}"),
            Self::Missing(f) => format!("missing mandatory field {f}"),
            Self::Invalid(f) => format!("invalid field format {f}"),
            Self::Malformed(why) => format!("malformed JSON: {why}"),
            Self::Signature(why) => format!("unauthorized: {why}"),
            Self::Token => "invalid token (B2B)".into(),
            Self::Stale(why) => format!("unauthorized: {why}"),
        }
    }
}

/// The request as it arrived: header lookup is case-insensitive; the body is the raw bytes.
pub struct RawCallback<'a> {
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl RawCallback<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers stored with a callback (SPEC §10): an allow-list, each value at most [`HEADER_VALUE_CAP`]
/// characters. Credentials are replaced by what identifies them without revealing them (a
/// bearer token by a prefix of its SHA-256); signatures are redacted (SPEC §10).
const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "user-agent",
    "x-timestamp",
    "x-partner-id",
    "x-external-id",
    "channel-id",
    "x-client-key",
    "x-request-id",
    "x-forwarded-for",
    "webhook-id",
    "authorization",
    "x-signature",
    "x-callback-token",
];
const HEADER_VALUE_CAP: usize = 256;

pub fn stored_headers(headers: &[(String, String)]) -> Value {
    let mut map = serde_json::Map::new();
    for (k, v) in headers {
        let name = k.to_ascii_lowercase();
        if !KEPT_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = match name.as_str() {
            "authorization" => match v.strip_prefix("Bearer ") {
                Some(t) => format!("Bearer sha256:{}", &token_hash(t.trim())[..16]),
                None => "[redacted]".to_owned(),
            },
            "x-signature" | "x-callback-token" => "[redacted]".to_owned(),
            _ => v.chars().take(HEADER_VALUE_CAP).collect(),
        };
        map.insert(name, Value::String(value));
    }
    Value::Object(map)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Strips JSON whitespace outside strings, byte for byte; nothing is re-encoded (an escaped
/// `\/` or raw UTF-8 stays exactly as sent). This is SNAP's `Minify(RequestBody)`.
pub fn minify(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
    }
    out
}

/// Equality that takes the same time whatever the inputs share.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// A payment amount written as a string (`"2000"`, `"2000.00"`): the one text rule of
/// [`parse_rupiah_text`], within 1…[`MAX_PAYMENT`] (SPEC §7: anything else is 400).
pub fn rupiah_from_str(raw: &str) -> Option<i64> {
    parse_rupiah_text(raw).filter(|a| Rupiah::parse_payment(*a).is_ok())
}

/// A payment amount written as a JSON number (Xendit): an integer, or a float with no
/// fraction, within 1…[`MAX_PAYMENT`]; a string follows [`rupiah_from_str`].
pub fn rupiah_from_json(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && (1.0..=MAX_PAYMENT as f64).contains(f))
                .map(|f| f as i64)
        }),
        serde_json::Value::String(s) => rupiah_from_str(s),
        _ => None,
    }
    .filter(|a| Rupiah::parse_payment(*a).is_ok())
}

/// Currency, where a gateway sends it: only rupiah (`IDR`) is a payment here (SPEC §7).
pub fn require_idr(currency: Option<&str>, field: &str) -> Result<(), Rejection> {
    match currency {
        Some("IDR") => Ok(()),
        Some(_) => Err(Rejection::Invalid(field.to_owned())),
        None => Err(Rejection::Missing(field.to_owned())),
    }
}

/// WIB, the offset Midtrans writes its local times in.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

/// An RFC 3339 instant, or `YYYY-MM-DD HH:MM:SS` read in `local` (Midtrans' WIB times).
pub fn parse_instant(raw: &str, local: FixedOffset) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|naive| local.from_local_datetime(&naive).single())
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_keeps_strings_byte_for_byte() {
        let body = "{\n  \"a\": \"x y\\\" z\",\n  \"u\": \"https:\\/\\/h\\/p\", \"n\" : \"Ñ –\"\n}";
        assert_eq!(
            String::from_utf8(minify(body.as_bytes())).unwrap(),
            "{\"a\":\"x y\\\" z\",\"u\":\"https:\\/\\/h\\/p\",\"n\":\"Ñ –\"}"
        );
    }

    #[test]
    fn rupiah_amounts_are_whole() {
        assert_eq!(rupiah_from_str("2000.00"), Some(2000));
        assert_eq!(rupiah_from_str("2000"), Some(2000));
        assert_eq!(rupiah_from_str("2000.50"), None);
        assert_eq!(rupiah_from_str("-5"), None);
        assert_eq!(rupiah_from_str("1e3"), None);
        assert_eq!(rupiah_from_json(&serde_json::json!(2000)), Some(2000));
        assert_eq!(rupiah_from_json(&serde_json::json!(2000.0)), Some(2000));
        assert_eq!(rupiah_from_json(&serde_json::json!(2000.5)), None);
        // Outside 1…Rp100.000.000 is not a payment (i64::MAX overflowed the day's sums).
        assert_eq!(rupiah_from_str("0"), None);
        assert_eq!(rupiah_from_str("0.00"), None);
        assert_eq!(rupiah_from_str("100000001"), None);
        assert_eq!(rupiah_from_str("100000000.00"), Some(100_000_000));
        assert_eq!(rupiah_from_json(&serde_json::json!(i64::MAX)), None);
        assert_eq!(rupiah_from_json(&serde_json::json!(0)), None);
        assert_eq!(rupiah_from_json(&serde_json::json!(1.0e17)), None);
    }

    #[test]
    fn midtrans_local_times_are_wib() {
        let t = parse_instant("2025-01-15 10:29:58", wib()).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-15T03:29:58+00:00");
        let t = parse_instant("2025-01-15T10:29:58+07:00", wib()).unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-15T03:29:58+00:00");
    }
}
