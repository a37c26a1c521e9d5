//! All shared callback vectors at unit level, with the clock set to each vector's `verify_at`.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;

use super::snap::{SnapConfig, string_to_sign, verify_notify};
use super::{RawCallback, Rejection, midtrans, xendit};
use crate::domain::Rupiah;

/// The access token the symmetric vectors were signed with: the one "we issued".
const ISSUED: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJwYXJraXIta290YSIsImNsaWVudElkIjoiR1dfREVNTyJ9.c2lnbmF0dXJl";

fn vectors() -> Vec<Value> {
    serde_json::from_str(include_str!("../../tests/fixtures/callback_vectors.json")).unwrap()
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn all_31_callback_vectors_get_their_verdict() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 31);
    for v in &vectors {
        let id = v["id"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let body = v["body"].as_str().unwrap().as_bytes();
        let headers = headers(v);
        let req = RawCallback {
            headers: &headers,
            body,
        };
        let valid = v["expect_valid_signature"].as_bool().unwrap();
        let verdict: Result<(), Rejection> = match v["scheme"].as_str().unwrap() {
            "snap-symmetric-hmac-sha512" | "snap-asymmetric-sha256withrsa" => {
                let symmetric = v["scheme"] == "snap-symmetric-hmac-sha512";
                let cfg = SnapConfig {
                    client_key: "GW_DEMO".into(),
                    client_secret: symmetric.then(|| SecretString::from(secret.to_owned())),
                    public_key: (!symmetric).then(|| SnapConfig::parse_public_key(secret).unwrap()),
                };
                let now: DateTime<Utc> =
                    DateTime::parse_from_rfc3339(v["verify_at"].as_str().unwrap())
                        .unwrap()
                        .with_timezone(&Utc);
                let path = v["path"].as_str().unwrap();
                if let Some(expected) = v["string_to_sign"].as_str() {
                    let token = symmetric.then_some(ISSUED);
                    let ts = req.header("X-TIMESTAMP").unwrap();
                    assert_eq!(
                        string_to_sign("POST", path, token, body, ts),
                        expected,
                        "{id}"
                    );
                }
                verify_notify(Some(&cfg), &req, path, now, |t| t == ISSUED).map(|n| {
                    assert_eq!(n.gateway, crate::gateways::GatewayName::Snap);
                })
            }
            "midtrans-sha512-signature-key" => {
                midtrans::verify_signature(Some(&SecretString::from(secret.to_owned())), body)
                    .map(|_| ())
            }
            "xendit-callback-token" => {
                xendit::verify(Some(&SecretString::from(secret.to_owned())), &req).map(|_| ())
            }
            other => panic!("unknown scheme {other}"),
        };
        assert_eq!(verdict.is_ok(), valid, "{id}: {verdict:?}");
        // Where the math is right but the request is not, the reason must be that one.
        if !valid && v["signature_math_ok"] == Value::Bool(true) {
            match id {
                "snap-sym-08-invalid-stale-timestamp" => {
                    assert!(matches!(verdict, Err(Rejection::Stale(_))), "{id}")
                }
                "snap-sym-09-invalid-malformed-json" => {
                    assert!(matches!(verdict, Err(Rejection::Malformed(_))), "{id}")
                }
                other => panic!("unexpected math-ok rejection {other}"),
            }
        }
        match id {
            "snap-sym-10-invalid-token-mismatch" => assert_eq!(verdict, Err(Rejection::Token)),
            "snap-sym-12-invalid-missing-signature" => {
                assert_eq!(verdict, Err(Rejection::Missing("X-SIGNATURE".into())))
            }
            "midtrans-26-invalid-malformed-json" => {
                assert!(matches!(verdict, Err(Rejection::Malformed(_))))
            }
            "midtrans-27-invalid-missing-signature-key" => {
                assert_eq!(verdict, Err(Rejection::Missing("signature_key".into())))
            }
            _ => {}
        }
    }
}

#[test]
fn valid_vectors_read_as_notifications() {
    let vectors = vectors();
    let by_id = |id: &str| vectors.iter().find(|v| v["id"] == id).unwrap();

    let v = by_id("snap-sym-02-valid-pretty-body");
    let h = headers(v);
    let cfg = SnapConfig {
        client_key: "GW_DEMO".into(),
        client_secret: Some(SecretString::from(v["secret"].as_str().unwrap().to_owned())),
        public_key: None,
    };
    let now = DateTime::parse_from_rfc3339("2025-01-15T10:30:20+07:00")
        .unwrap()
        .with_timezone(&Utc);
    let n = verify_notify(
        Some(&cfg),
        &RawCallback {
            headers: &h,
            body: v["body"].as_str().unwrap().as_bytes(),
        },
        "/v1.0/qr/qr-mpm-notify",
        now,
        |t| t == ISSUED,
    )
    .unwrap();
    assert_eq!(n.txn_id, "GW2025011500000123");
    assert_eq!(n.reference.as_deref(), Some("PKR-20250115-000123"));
    assert_eq!(n.terminal_id.as_deref(), Some("JUKIR-0042"));
    assert_eq!(n.amount, Rupiah(2000));
    assert_eq!(n.paid_at.to_rfc3339(), "2025-01-15T03:29:58+00:00");
    assert_eq!(n.status, crate::gateways::PaymentStatus::Paid);

    let m = by_id("midtrans-17-valid-settlement");
    let key = SecretString::from(m["secret"].as_str().unwrap().to_owned());
    let n = midtrans::verify(
        Some(&key),
        &RawCallback {
            headers: &[],
            body: m["body"].as_str().unwrap().as_bytes(),
        },
    )
    .unwrap();
    assert_eq!(n.txn_id, "0f6b7c1e-1d5b-4a5e-9d2f-6a1c3b2e9d10");
    assert_eq!(n.amount, Rupiah(10000));
    assert_eq!(
        n.paid_at.to_rfc3339(),
        "2025-01-15T03:29:58+00:00",
        "settlement_time, WIB"
    );
    let refund = by_id("midtrans-20-valid-refund");
    let n = midtrans::verify(
        Some(&key),
        &RawCallback {
            headers: &[],
            body: refund["body"].as_str().unwrap().as_bytes(),
        },
    )
    .unwrap();
    assert_eq!(n.status, crate::gateways::PaymentStatus::Refunded);

    for id in ["xendit-28-valid-v2", "xendit-29-valid-v1-uppercase-header"] {
        let x = by_id(id);
        let h = headers(x);
        let token = SecretString::from(x["secret"].as_str().unwrap().to_owned());
        let n = xendit::verify(
            Some(&token),
            &RawCallback {
                headers: &h,
                body: x["body"].as_str().unwrap().as_bytes(),
            },
        )
        .unwrap();
        assert_eq!(n.amount, Rupiah(2000), "{id}");
        assert_eq!(n.status, crate::gateways::PaymentStatus::Paid, "{id}");
        assert!(
            n.reference
                .as_deref()
                .unwrap()
                .starts_with("PKR-20250115-0003"),
            "{id}"
        );
    }
}

#[test]
fn unconfigured_gateways_refuse_everything() {
    let req = RawCallback {
        headers: &[],
        body: b"{}",
    };
    assert!(matches!(
        midtrans::verify(None, &req),
        Err(Rejection::Unconfigured(_))
    ));
    assert!(matches!(
        xendit::verify(None, &req),
        Err(Rejection::Unconfigured(_))
    ));
    assert!(matches!(
        verify_notify(None, &req, "/", Utc::now(), |_| true),
        Err(Rejection::Unconfigured(_))
    ));
}
