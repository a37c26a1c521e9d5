//! Gateway callbacks over HTTP: recorded exactly once, credited to the attendant on duty.

use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::snap_gateway::{notify_body, notify_headers, now_timestamp, token_headers};
use crate::helpers::{TestApp, spawn_app, spawn_app_with, with_gateways};
use parkir::demo::{MIDTRANS_SERVER_KEY, XENDIT_CALLBACK_TOKEN};
use parkir::gateways::midtrans::signature_key;

const NOTIFY: &str = "/snap/v1.0/qr/qr-mpm-notify";

/// A zone, a spot (terminal JMBPSR001) and an attendant on duty there since two hours ago.
async fn city(app: &TestApp) -> (String, i64, i64, String) {
    let start = (Utc::now() - Duration::days(3)).to_rfc3339();
    let (admin, spot, attendant) = app.city_on_duty_since(&start).await;
    let token = app.attendant_token("081274000001").await;
    (admin, spot, attendant, token)
}

fn paid_now() -> String {
    (Utc::now() - Duration::seconds(5))
        .with_timezone(&parkir::gateways::wib())
        .to_rfc3339()
}

#[actix_web::test]
async fn a_gateway_engineer_pays_a_charge_and_repeats_it() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, spot, attendant, jukir) = city(&app).await;
    let charge = app
        .post(
            "/api/v1/me/charges",
            &jukir,
            json!({"vehicle_class": "motorcycle"}),
        )
        .await;
    let reference = charge.body["reference"].as_str().unwrap().to_owned();
    let charge_id = charge.body["id"].as_i64().unwrap();

    let token = app.snap_token().await;
    let body = notify_body(
        "GW-0001",
        Some(&reference),
        Some("JMBPSR001"),
        "2000.00",
        "00",
        &paid_now(),
    );
    let ts = now_timestamp();
    let first = app
        .post_raw(NOTIFY, &notify_headers(&body, Some(&token), &ts), &body)
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["responseCode"], "2005200");
    assert!(first.headers.contains_key("x-timestamp"));

    let list = app.get("/api/v1/payments", &admin).await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let p = &items[0];
    assert_eq!(p["gateway"], "snap");
    assert_eq!(p["gateway_txn_id"], "GW-0001");
    assert_eq!(p["amount"], 2000);
    assert_eq!(p["status"], "paid");
    assert_eq!(p["spot_id"], spot);
    assert_eq!(p["attendant_id"], attendant);
    assert_eq!(p["charge_id"], charge_id);
    assert_eq!(p["flags"], json!([]));
    let got = app
        .get(&format!("/api/v1/me/charges/{charge_id}"), &jukir)
        .await;
    assert_eq!(got.body["status"], "paid", "the attendant sees LUNAS");

    // The same notification again: acknowledged, nothing changes.
    let again = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, Some(&token), &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["responseCode"], "2005200");
    assert_eq!(app.count("payments"), 1);
    let id = p["id"].as_i64().unwrap();
    let detail = app.get(&format!("/api/v1/payments/{id}"), &admin).await;
    let history = detail.body["callbacks"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["verdict"], "accepted");
    assert_eq!(history[1]["verdict"], "duplicate");
    assert_eq!(history[0]["body"], body.as_str(), "raw body kept");
    let auth = history[0]["headers"]["authorization"].as_str().unwrap();
    assert!(
        auth.starts_with("Bearer sha256:") && !auth.contains(&token),
        "token never stored"
    );
}

#[actix_web::test]
async fn a_type_2_notify_is_matched_by_terminal_and_the_wib_day() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, spot, attendant, _) = city(&app).await;
    // 06:30 WIB yesterday is 23:30 UTC the day before: the payment belongs to the WIB day.
    let wib_day = (Utc::now() - Duration::days(1))
        .with_timezone(&parkir::gateways::wib())
        .date_naive();
    let paid = format!("{wib_day}T06:30:00+07:00");
    let body = notify_body("GW-0630", None, Some("JMBPSR001"), "2000.00", "00", &paid);
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, None, &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = &app.get("/api/v1/payments", &admin).await.body["items"][0];
    assert_eq!(p["business_date"], wib_day.to_string());
    assert_eq!(
        p["paid_at"],
        format!("{}T23:30:00Z", wib_day.pred_opt().unwrap())
    );
    assert_eq!(p["spot_id"], spot);
    assert_eq!(p["attendant_id"], attendant);
    assert_eq!(p["vehicle_class"], "motorcycle");
    let by_date = app
        .get(&format!("/api/v1/payments?date={wib_day}"), &admin)
        .await;
    assert_eq!(by_date.body["items"].as_array().unwrap().len(), 1);
    let other_day = app
        .get(
            &format!("/api/v1/payments?date={}", wib_day.pred_opt().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(other_day.body["items"].as_array().unwrap().len(), 0);
    // Found by the gateway's transaction id, exactly; nothing by a prefix of it.
    let txn = p["gateway_txn_id"].as_str().unwrap().to_owned();
    let found = app
        .get(&format!("/api/v1/payments?reference={txn}"), &admin)
        .await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    let prefix = &txn[..txn.len() - 1];
    let none = app
        .get(&format!("/api/v1/payments?reference={prefix}"), &admin)
        .await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
}

#[actix_web::test]
async fn what_cannot_be_matched_is_stored_flagged_and_acknowledged() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _, jukir) = city(&app).await;
    let charge = app
        .post(
            "/api/v1/me/charges",
            &jukir,
            json!({"vehicle_class": "car"}),
        )
        .await;
    let reference = charge.body["reference"].as_str().unwrap().to_owned();
    let cases = [
        (
            "GW-A",
            Some("NOT-OURS"),
            Some("NOWHERE"),
            "2000.00",
            vec!["unmatched_reference", "unknown_terminal", "unattributed"],
        ),
        (
            "GW-B",
            Some(reference.as_str()),
            None,
            "2000.00",
            vec!["amount_mismatch"],
        ),
        (
            "GW-C",
            None,
            Some("JMBPSR001"),
            "2500.00",
            vec!["amount_not_a_tariff"],
        ),
    ];
    for (txn, reference, terminal, amount, flags) in cases {
        let body = notify_body(txn, reference, terminal, amount, "00", &paid_now());
        let r = app
            .post_raw(
                NOTIFY,
                &notify_headers(&body, None, &now_timestamp()),
                &body,
            )
            .await;
        assert_eq!(r.status, 200, "{txn}: {}", r.body);
        assert_eq!(r.body["responseCode"], "2005200");
        let found = app
            .get(&format!("/api/v1/payments?flag={}", flags[0]), &admin)
            .await;
        let item = found.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["gateway_txn_id"] == txn)
            .cloned()
            .unwrap();
        assert_eq!(item["flags"], json!(flags), "{txn}");
    }
    let charge_id = charge.body["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/me/charges/{charge_id}"), &jukir)
            .await
            .body["status"],
        "pending",
        "an underpayment is no LUNAS"
    );

    // A spot nobody is on duty at.
    let zone = app.get("/api/v1/zones", &admin).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/zones/{zone}/spots"),
        &admin,
        crate::helpers::spot_body("JMB-PSR-009"),
    )
    .await;
    let body = notify_body(
        "GW-D",
        None,
        Some("JMBPSR009"),
        "2000.00",
        "00",
        &paid_now(),
    );
    app.post_raw(
        NOTIFY,
        &notify_headers(&body, None, &now_timestamp()),
        &body,
    )
    .await;
    let off = app.get("/api/v1/payments?flag=outside_duty", &admin).await;
    assert_eq!(off.body["items"][0]["gateway_txn_id"], "GW-D");
    assert!(off.body["items"][0]["attendant_id"].is_null());
}

#[actix_web::test]
async fn forged_stale_malformed_and_unknown_token_notifications_are_refused_and_counted() {
    let app = spawn_app_with(with_gateways).await;
    city(&app).await;
    let token = app.snap_token().await;
    let body = notify_body(
        "GW-X",
        None,
        Some("JMBPSR001"),
        "2000.00",
        "00",
        &paid_now(),
    );

    let mut forged = notify_headers(&body, None, &now_timestamp());
    let tampered = body.replace("2000.00", "20000.00");
    let r = app.post_raw(NOTIFY, &forged, &tampered).await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (401, Some("4015200"))
    );

    let stale_ts = (Utc::now() - Duration::minutes(10))
        .with_timezone(&parkir::gateways::wib())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    let r = app
        .post_raw(NOTIFY, &notify_headers(&body, None, &stale_ts), &body)
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (401, Some("4015200"))
    );

    forged.retain(|(k, _)| k != "X-SIGNATURE");
    let r = app.post_raw(NOTIFY, &forged, &body).await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (400, Some("4005202"))
    );
    assert!(
        r.body["responseMessage"]
            .as_str()
            .unwrap()
            .contains("X-SIGNATURE")
    );

    let broken = &body[..body.len() - 5];
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(broken, Some(&token), &now_timestamp()),
            broken,
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);

    let no_amount = body.replace(r#""amount":{"value":"2000.00","currency":"IDR"},"#, "");
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&no_amount, None, &now_timestamp()),
            &no_amount,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (400, Some("4005202"))
    );

    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, Some("not-a-token-we-issued"), &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (401, Some("4015201"))
    );

    // A forged token request gets no token.
    let mut bad = token_headers(&now_timestamp());
    bad[2].1 = crate::helpers::snap_gateway::rsa_sign("someone-else|2026");
    let r = app
        .post_raw(
            "/snap/v1.0/access-token/b2b",
            &bad,
            r#"{"grantType":"client_credentials"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (401, Some("4017300"))
    );

    assert_eq!(app.count("payments"), 0);
    // Nothing unauthenticated is stored (SPEC §10): refusals are counted by gateway and kind.
    assert_eq!(app.count("callbacks"), 0, "no refused notify is stored");
    let metrics = app.text("/metrics", None).await;
    for (reason, n) in [
        ("signature", 1),
        ("stale_timestamp", 1),
        ("missing_field", 2),
        ("malformed", 1),
        ("token", 1),
    ] {
        assert!(
            metrics.contains(&format!(
                r#"parkir_callbacks_rejected_total{{gateway="snap",reason="{reason}"}} {n}"#
            )),
            "{reason}: {metrics}"
        );
    }
}

#[actix_web::test]
async fn gateways_without_credentials_answer_503_and_store_no_payment() {
    let app = spawn_app().await;
    let body = notify_body("GW-1", None, None, "2000.00", "00", &paid_now());
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, None, &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(r.status, 503);
    let r = app
        .post_raw(
            "/snap/v1.0/access-token/b2b",
            &token_headers(&now_timestamp()),
            "{}",
        )
        .await;
    assert_eq!(r.status, 503);
    let r = app
        .post_raw("/api/v1/gateways/midtrans/notification", &[], "{}")
        .await;
    assert_eq!(r.status, 503);
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains("PARKIR_MIDTRANS_SERVER_KEY")
    );
    let r = app
        .post_raw(
            "/api/v1/gateways/xendit/qr",
            &[("x-callback-token".into(), "x".into())],
            "{}",
        )
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(app.count("payments"), 0);
}

#[actix_web::test]
async fn fifty_concurrent_identical_notifications_make_one_payment() {
    let app = spawn_app_with(with_gateways).await;
    city(&app).await;
    let body = notify_body(
        "GW-RACE",
        None,
        Some("JMBPSR001"),
        "2000.00",
        "00",
        &paid_now(),
    );
    let headers = notify_headers(&body, None, &now_timestamp());
    let replies =
        futures_util::future::join_all((0..50).map(|_| app.post_raw(NOTIFY, &headers, &body)))
            .await;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["responseCode"], "2005200");
    }
    assert_eq!(app.count("payments"), 1);
    assert_eq!(app.count("callbacks"), 50);
}

fn midtrans_body(txn: &str, order: &str, status: &str, code: &str, extra: &str) -> String {
    let sig = signature_key(order, code, "2000.00", MIDTRANS_SERVER_KEY);
    format!(
        r#"{{"transaction_time":"2026-11-20 10:29:40","transaction_status":"{status}","transaction_id":"{txn}","status_code":"{code}","signature_key":"{sig}","payment_type":"qris","order_id":"{order}","gross_amount":"2000.00","currency":"IDR"{extra}}}"#
    )
}

#[actix_web::test]
async fn midtrans_statuses_only_move_forward() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _, _) = city(&app).await;
    let url = "/api/v1/gateways/midtrans/notification";
    let settlement = midtrans_body(
        "mt-1",
        "ORDER-1",
        "settlement",
        "200",
        r#","settlement_time":"2026-11-20 10:29:58""#,
    );
    let r = app.post_raw(url, &[], &settlement).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["verdict"], "accepted");
    let id = r.body["payment_id"].as_i64().unwrap();
    // The pending that was sent first arrives late: stored, flagged, not applied.
    let pending = midtrans_body("mt-1", "ORDER-1", "pending", "201", "");
    let r = app.post_raw(url, &[], &pending).await;
    assert_eq!(
        (r.status, r.body["verdict"].as_str()),
        (200, Some("regression"))
    );
    let p = app
        .get(&format!("/api/v1/payments/{id}"), &admin)
        .await
        .body;
    assert_eq!(p["status"], "paid");
    assert_eq!(
        p["flags"],
        json!(["unmatched_reference", "unattributed", "status_regression"])
    );
    assert_eq!(
        p["paid_at"], "2026-11-20T03:29:58Z",
        "settlement_time read as WIB"
    );
    assert_eq!(p["business_date"], "2026-11-20");
    // The settlement again is a no-op; a refund moves forward; a deny after it does not.
    assert_eq!(
        app.post_raw(url, &[], &settlement).await.body["verdict"],
        "duplicate"
    );
    let refund = midtrans_body("mt-1", "ORDER-1", "refund", "200", "");
    assert_eq!(
        app.post_raw(url, &[], &refund).await.body["verdict"],
        "updated"
    );
    let deny = midtrans_body("mt-1", "ORDER-1", "deny", "202", "");
    assert_eq!(
        app.post_raw(url, &[], &deny).await.body["verdict"],
        "regression"
    );
    let p = app
        .get(&format!("/api/v1/payments/{id}"), &admin)
        .await
        .body;
    assert_eq!(p["status"], "refunded");
    assert_eq!(p["callbacks"].as_array().unwrap().len(), 5);
    assert_eq!(app.count("payments"), 1);

    let forged = settlement.replace("\"2000.00\"", "\"1000.00\"");
    let r = app.post_raw(url, &[], &forged).await;
    assert_eq!(r.status, 401);
    let r = app.post_raw(url, &[], "{\"order_id\": ").await;
    assert_eq!(r.status, 400);
    let r = app
        .post_raw(
            url,
            &[],
            r#"{"order_id":"X","status_code":"200","gross_amount":"2000.00"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str()),
        (400, Some("signature_key"))
    );
    assert_eq!(app.count("payments"), 1);
}

#[actix_web::test]
async fn xendit_callbacks_need_the_token() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _, jukir) = city(&app).await;
    let charge = app
        .post(
            "/api/v1/me/charges",
            &jukir,
            json!({"vehicle_class": "motorcycle"}),
        )
        .await;
    let reference = charge.body["reference"].as_str().unwrap();
    let created = (Utc::now() - Duration::seconds(3)).to_rfc3339();
    let body = format!(
        r#"{{"event":"qr.payment","api_version":"2022-07-31","data":{{"id":"qrpy_1","currency":"IDR","amount":2000,"status":"SUCCEEDED","created":"{created}","reference_id":"{reference}","type":"DYNAMIC"}}}}"#
    );
    let url = "/api/v1/gateways/xendit/qr";
    let good = [(
        "x-callback-token".to_owned(),
        XENDIT_CALLBACK_TOKEN.to_owned(),
    )];
    let r = app.post_raw(url, &good, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let wrong = [(
        "x-callback-token".to_owned(),
        format!(
            "{}x",
            &XENDIT_CALLBACK_TOKEN[..XENDIT_CALLBACK_TOKEN.len() - 1]
        ),
    )];
    assert_eq!(app.post_raw(url, &wrong, &body).await.status, 401);
    assert_eq!(app.post_raw(url, &[], &body).await.status, 401);
    assert_eq!(app.post_raw(url, &good, "{").await.status, 400);
    let p = &app.get("/api/v1/payments", &admin).await.body["items"][0];
    assert_eq!(p["gateway"], "xendit");
    assert_eq!(p["charge_id"], charge.body["id"]);
    assert_eq!(app.count("payments"), 1);
}

#[actix_web::test]
async fn cash_is_recorded_at_the_tariff_for_the_current_spot() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, spot, attendant, jukir) = city(&app).await;
    let r = app
        .post("/api/v1/me/cash", &jukir, json!({"vehicle_class": "car"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["gateway"], "cash");
    assert_eq!(r.body["source"], "cash");
    assert_eq!(r.body["amount"], 3000);
    assert_eq!(r.body["spot_id"], spot);
    assert_eq!(r.body["attendant_id"], attendant);
    assert_eq!(r.body["attendant_share_bps"], 6000);
    let bad = app
        .post("/api/v1/me/cash", &jukir, json!({"vehicle_class": "becak"}))
        .await;
    assert_eq!(bad.status, 400);
    let listed = app
        .get(
            &format!("/api/v1/payments?attendant_id={attendant}&status=paid"),
            &admin,
        )
        .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let empty = app
        .get("/api/v1/payments?flag=&status=&date=", &admin)
        .await;
    assert_eq!(
        empty.status, 400,
        "an empty parameter is refused, not ignored"
    );
    assert_eq!(empty.error_field(), "flag");
    assert_eq!(
        app.get("/api/v1/payments?status=lunas", &admin)
            .await
            .status,
        400
    );
    assert_eq!(
        app.get("/api/v1/payments?date=2026-13-01", &admin)
            .await
            .error_field(),
        "date"
    );
}
