//! Payment gateways, one file each, behind one trait ([`Gateway`]): a raw callback goes in, a
//! verified [`Notification`] (or the [`Rejection`] the gateway's own protocol answers with)
//! comes out. Pure: no database, no clock of their own (the caller passes `now`). The one path
//! that calls them is `services::callbacks::take_in`.

pub mod credentials;
pub mod midtrans;
pub mod snap;
pub mod xendit;

#[cfg(test)]
mod vectors;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::domain::Rupiah;
use crate::domain::money::{MAX_PAYMENT, parse_rupiah_text};
pub use crate::domain::{GatewayName, Notification, PaymentStatus};

/// The zone Midtrans and Xendit V1 write their local times in (WIB).
pub const GATEWAY_LOCAL_ZONE: chrono_tz::Tz = chrono_tz::Asia::Jakarta;

/// A payment gateway: one file each, one generic intake (`services::callbacks::take_in`).
pub trait Gateway: Send + Sync {
    fn name(&self) -> GatewayName;

    /// Verifies a raw callback at `now` (configuration, signature, timestamp window, fields) and
    /// reads it; the refusal is in the gateway's own terms.
    fn verify(&self, raw: &RawCallback, now: DateTime<Utc>) -> Result<Notification, Rejection>;

    /// The SHA-256 of the bearer token a verified callback was signed with, when the protocol
    /// signs with a token we issued (SNAP type 1): the intake checks it is live, and refuses
    /// with [`Rejection::Token`] if not.
    fn issued_token(&self, _raw: &RawCallback) -> Option<String> {
        None
    }

    /// The body as it is stored: as sent, except for a signature carried inside it, which is
    /// redacted (SPEC §10); the hash of the original bytes is kept beside it.
    fn stored_body(&self, body: &[u8]) -> Vec<u8> {
        body.to_vec()
    }
}

/// A verified notification whose text PostgreSQL can hold: a NUL in any of its text fields is a
/// 400 naming the field, never a failed insert (SPEC §10).
pub fn without_nul(n: Notification) -> Result<Notification, Rejection> {
    let fields = [
        ("transaction_id", Some(n.txn_id.as_str())),
        ("reference", n.reference.as_deref()),
        ("terminal_id", n.terminal_id.as_deref()),
        ("status", Some(n.reported_status.as_str())),
        ("rrn", n.rrn.as_deref()),
    ];
    match fields
        .iter()
        .find(|(_, v)| v.is_some_and(|v| v.contains('\0')))
    {
        Some((name, _)) => Err(Rejection::Invalid((*name).to_owned())),
        None => Ok(n),
    }
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
/// characters. Signature headers (`X-SIGNATURE`, `x-callback-token`) are not on it; a bearer
/// token is replaced by what identifies it without revealing it (a prefix of its SHA-256).
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
pub fn rupiah_from_str(raw: &str) -> Option<Rupiah> {
    parse_rupiah_text(raw).and_then(|a| Rupiah::parse_payment(a).ok())
}

/// A payment amount written as a JSON number (Xendit): an integer, or a float with no
/// fraction, within 1…[`MAX_PAYMENT`]; a string follows [`rupiah_from_str`].
pub fn rupiah_from_json(value: &serde_json::Value) -> Option<Rupiah> {
    let whole = match value {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && (1.0..=MAX_PAYMENT as f64).contains(f))
                .map(|f| f as i64)
        }),
        serde_json::Value::String(s) => return rupiah_from_str(s),
        _ => None,
    };
    whole.and_then(|a| Rupiah::parse_payment(a).ok())
}

/// Currency, where a gateway sends it: only rupiah (`IDR`) is a payment here (SPEC §7).
pub fn require_idr(currency: Option<&str>, field: &str) -> Result<(), Rejection> {
    match currency {
        Some("IDR") => Ok(()),
        Some(_) => Err(Rejection::Invalid(field.to_owned())),
        None => Err(Rejection::Missing(field.to_owned())),
    }
}

/// WIB as a fixed offset: how SNAP answers write their X-TIMESTAMP.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
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
        assert_eq!(rupiah_from_str("2000.00"), Some(Rupiah(2000)));
        assert_eq!(rupiah_from_str("2000"), Some(Rupiah(2000)));
        assert_eq!(rupiah_from_str("2000.50"), None);
        assert_eq!(rupiah_from_str("-5"), None);
        assert_eq!(rupiah_from_str("1e3"), None);
        assert_eq!(
            rupiah_from_json(&serde_json::json!(2000)),
            Some(Rupiah(2000))
        );
        assert_eq!(
            rupiah_from_json(&serde_json::json!(2000.0)),
            Some(Rupiah(2000))
        );
        assert_eq!(rupiah_from_json(&serde_json::json!(2000.5)), None);
        // Outside 1…Rp100.000.000 is not a payment (i64::MAX overflowed the day's sums).
        assert_eq!(rupiah_from_str("0"), None);
        assert_eq!(rupiah_from_str("0.00"), None);
        assert_eq!(rupiah_from_str("100000001"), None);
        assert_eq!(rupiah_from_str("100000000.00"), Some(Rupiah(100_000_000)));
        assert_eq!(rupiah_from_json(&serde_json::json!(i64::MAX)), None);
        assert_eq!(rupiah_from_json(&serde_json::json!(0)), None);
        assert_eq!(rupiah_from_json(&serde_json::json!(1.0e17)), None);
    }
}

#[cfg(test)]
mod properties {
    use super::{MAX_PAYMENT, RawCallback, midtrans, minify, xendit};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_as_a_callback_are_refused_or_a_bounded_payment(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            // Minify only drops whitespace outside strings.
            prop_assert!(minify(&bytes).len() <= bytes.len());
            let key = secrecy::SecretString::from("k");
            let headers = vec![("x-callback-token".to_owned(), "k".to_owned())];
            let req = RawCallback { headers: &headers, body: &bytes };
            let verdicts = [midtrans::verify(Some(&key), &req), xendit::verify(Some(&key), &req)];
            for n in verdicts.into_iter().flatten() {
                prop_assert!((1..=MAX_PAYMENT).contains(&n.amount.0));
            }
        }
    }
}
