//! The audit of issue 10, replayed: each test is an attack or a careless input that broke a
//! money rule before, and the refusal SPEC §7 / §10 describe.

use serde_json::json;

use crate::helpers::snap_gateway::{notify_body, notify_headers, now_timestamp};
use crate::helpers::{Reply, TestApp, spawn_app_with, with_gateways};
use parkir::demo::{MIDTRANS_SERVER_KEY, XENDIT_CALLBACK_TOKEN};
use parkir::gateways::midtrans::signature_key;

const NOTIFY: &str = "/snap/v1.0/qr/qr-mpm-notify";
const MIDTRANS: &str = "/api/v1/gateways/midtrans/notification";
const XENDIT: &str = "/api/v1/gateways/xendit/qr";
/// A business day well in the past: no test here depends on today's date.
const DAY: &str = "2026-11-10";

/// A zone with spot JMB-PSR-001 (terminal JMBPSR001) and an attendant on duty there all of
/// 2026; returns (admin token, spot id).
async fn city(app: &TestApp) -> (String, i64) {
    let (admin, spot, _) = app.city_on_duty_since("2026-01-01T00:00:00+07:00").await;
    (admin, spot)
}

fn midtrans(txn: &str, order: &str, status: &str, code: &str, extra: &str) -> String {
    let sig = signature_key(order, code, "2000.00", MIDTRANS_SERVER_KEY);
    format!(
        r#"{{"transaction_time":"{DAY} 10:29:40","transaction_status":"{status}","transaction_id":"{txn}","status_code":"{code}","signature_key":"{sig}","payment_type":"qris","order_id":"{order}","gross_amount":"2000.00","currency":"IDR"{extra}}}"#
    )
}

#[actix_web::test]
async fn a_captured_midtrans_notification_cannot_be_turned_into_money() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    // The gateway's genuine pending notification, as an attacker would capture it.
    let pending = midtrans("mt-1", "ORDER-1", "pending", "201", "");
    let r = app.post_raw(MIDTRANS, &[], &pending).await;
    assert_eq!(
        (r.status, r.body["verdict"].as_str()),
        (200, Some("accepted"))
    );
    let id = r.body["payment_id"].as_i64().unwrap();

    // 1. pending → settlement keeping the signed 201: refused, still pending.
    let forged = pending.replace(
        r#""transaction_status":"pending""#,
        r#""transaction_status":"settlement""#,
    );
    let r = app.post_raw(MIDTRANS, &[], &forged).await;
    assert_eq!(
        (r.status, r.error_field()),
        (400, "transaction_status"),
        "{}",
        r.body
    );
    // 2. a new transaction_id for the same signed order: no new payment is minted.
    let minted = pending.replace(r#""transaction_id":"mt-1""#, r#""transaction_id":"mt-2""#);
    let r = app.post_raw(MIDTRANS, &[], &minted).await;
    assert_eq!(
        (r.status, r.error_field()),
        (400, "transaction_id"),
        "{}",
        r.body
    );
    // 3. settlement_time moved to 2020 on a forged status: refused with the status.
    let moved = forged.replace(
        "\"currency\"",
        "\"settlement_time\":\"2020-01-01 00:00:00\",\"currency\"",
    );
    assert_eq!(app.post_raw(MIDTRANS, &[], &moved).await.status, 400);

    let p = app
        .get(&format!("/api/v1/payments/{id}"), &admin)
        .await
        .body;
    assert_eq!(p["status"], "pending");
    assert_eq!(p["business_date"], DAY);
    assert_eq!(app.count("payments"), 1);
    // The authentic-but-refused pairing is in the inbox as rejected; the forgeries with a
    // status the signature does not bind are only counted.
    let rejected: i64 = {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT count(*) AS n FROM callbacks WHERE verdict = 'rejected'")
            .get_result::<N>(&mut app.db.conn())
            .unwrap()
            .n
    };
    assert_eq!(rejected, 1);

    // The genuine settlement still lands, and a capture that fraud screening denied is no
    // payment at all.
    let settled = midtrans("mt-1", "ORDER-1", "settlement", "200", "");
    assert_eq!(
        app.post_raw(MIDTRANS, &[], &settled).await.body["verdict"],
        "updated"
    );
    let denied = midtrans(
        "mt-9",
        "ORDER-9",
        "capture",
        "200",
        r#","fraud_status":"deny""#,
    );
    let r = app.post_raw(MIDTRANS, &[], &denied).await;
    let denied_id = r.body["payment_id"].as_i64().unwrap();
    let p = app
        .get(&format!("/api/v1/payments/{denied_id}"), &admin)
        .await
        .body;
    assert_eq!(p["status"], "failed");

    // Ten transactions racing for one fresh order: one payment, nine refusals.
    let racing: Vec<String> = (0..10)
        .map(|i| {
            midtrans(
                &format!("mt-race-{i}"),
                "ORDER-RACE",
                "settlement",
                "200",
                "",
            )
        })
        .collect();
    let replies =
        futures_util::future::join_all(racing.iter().map(|b| app.post_raw(MIDTRANS, &[], b))).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        9,
        "{statuses:?}"
    );
}

#[actix_web::test]
async fn only_rupiah_from_one_to_a_hundred_million_is_a_payment() {
    let app = spawn_app_with(with_gateways).await;
    city(&app).await;
    let token = [(
        "x-callback-token".to_owned(),
        XENDIT_CALLBACK_TOKEN.to_owned(),
    )];
    let xendit = |id: &str, amount: &str, currency: &str| {
        format!(
            r#"{{"event":"qr.payment","api_version":"2022-07-31","data":{{"id":"{id}","currency":"{currency}","amount":{amount},"status":"SUCCEEDED","created":"{DAY}T10:00:00+07:00","type":"DYNAMIC","metadata":{{"terminal_id":"JMBPSR001"}}}}}}"#
        )
    };
    // Two i64::MAX callbacks once made the day unclosable ("bigint out of range").
    for (id, amount, currency, field) in [
        ("x-1", "9223372036854775807", "IDR", "data.amount"),
        ("x-2", "100000001", "IDR", "data.amount"),
        ("x-3", "0", "IDR", "data.amount"),
        ("x-4", "2000", "PHP", "data.currency"),
    ] {
        let r = app
            .post_raw(XENDIT, &token, &xendit(id, amount, currency))
            .await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, field),
            "{id}: {}",
            r.body
        );
    }
    let r = app
        .post_raw(XENDIT, &token, &xendit("x-5", "100000000", "IDR"))
        .await;
    assert_eq!(r.status, 200, "the bound itself is a payment: {}", r.body);

    let usd = midtrans("mt-1", "ORDER-1", "settlement", "200", "").replace("\"IDR\"", "\"USD\"");
    let r = app.post_raw(MIDTRANS, &[], &usd).await;
    assert_eq!((r.status, r.error_field()), (400, "currency"));

    let paid = format!("{DAY}T10:00:00+07:00");
    let no_currency = notify_body("GW-1", None, Some("JMBPSR001"), "2000.00", "00", &paid)
        .replace(r#","currency":"IDR""#, "");
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&no_currency, None, &now_timestamp()),
            &no_currency,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (400, Some("4005202")),
        "{}",
        r.body
    );
    let zero = notify_body("GW-2", None, Some("JMBPSR001"), "0.00", "00", &paid);
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&zero, None, &now_timestamp()),
            &zero,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (400, Some("4005201")),
        "{}",
        r.body
    );
    assert_eq!(app.count("payments"), 1);

    // The database holds the bound too, whatever code path writes.
    let direct = diesel::RunQueryDsl::execute(
        diesel::sql_query(
            "INSERT INTO payments (gateway, gateway_txn_id, source, amount, paid_at, business_date, status) \
             VALUES ('cash', 'c-1', 'cash', 9223372036854775807, now(), '2026-11-10', 'paid')",
        ),
        &mut app.db.conn(),
    );
    assert!(direct.is_err(), "a CHECK refuses an unbounded amount");
}

#[actix_web::test]
async fn a_made_up_http_method_adds_no_metric_series() {
    let app = spawn_app_with(with_gateways).await;
    let method = reqwest::Method::from_bytes("X".repeat(2000).as_bytes()).unwrap();
    for _ in 0..3 {
        let _ = app
            .client
            .request(method.clone(), app.url("/api/v1/zones"))
            .send()
            .await;
    }
    let text = app.text("/metrics", None).await;
    assert!(!text.contains("XXXX"), "the method is not a label value");
    assert!(text.contains(r#"method="other""#), "{text}");
}

#[actix_web::test]
async fn a_settlement_payment_and_a_later_callback_with_its_rrn_are_one_payment() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    let file =
        format!("reference,paid_at,amount,terminal_id\nRRN-000123,{DAY} 10:00:00,2000,JMBPSR001\n");
    let Reply { status, body, .. } = app.post_csv(&admin, &file).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["counts"]["MISSING_CALLBACK"], 1);
    assert_eq!(app.count("payments"), 1);

    // The gateway's callback for the same transaction arrives later, carrying that RRN.
    let body = notify_body(
        "GW-LATE-1",
        None,
        Some("JMBPSR001"),
        "2000.00",
        "00",
        &format!("{DAY}T10:00:00+07:00"),
    )
    .replace(
        r#""issuer":"DANA""#,
        r#""issuer":"DANA","retrievalReferenceNo":"RRN-000123""#,
    );
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, None, &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["additionalInfo"]["verdict"], "duplicate");
    assert_eq!(app.count("payments"), 1, "counted once");
}

#[actix_web::test]
async fn a_settlement_row_is_matched_only_when_parkir_holds_the_payment_paid() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    let pending = midtrans("mt-pending", "ORDER-P", "pending", "201", "");
    assert_eq!(app.post_raw(MIDTRANS, &[], &pending).await.status, 200);
    let file = format!("reference,paid_at,amount\nmt-pending,{DAY} 10:29:40,2000\n");
    let Reply { status, body, .. } = app.post_csv(&admin, &file).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["counts"]["STATUS_MISMATCH"], 1, "{body}");
    assert_eq!(body["counts"]["MATCHED"], 0);
}

#[actix_web::test]
async fn settlement_files_are_bounded_and_refused_whole() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    let long = "T".repeat(1_000);
    for (file, line_column) in [
        (
            format!("reference,paid_at,amount,terminal_id\nA-1,{DAY} 10:00:00,2000,{long}\n"),
            "terminal_id",
        ),
        (
            format!("reference,paid_at,amount\nA-1,{DAY} 10:00:00,100000001\n"),
            "amount",
        ),
        (
            format!("reference,paid_at,amount\nA-1,{DAY} 10:00:00,0\n"),
            "amount",
        ),
        (
            format!("reference,paid_at,amount,fee\nA-1,{DAY} 10:00:00,2000,100000001\n"),
            "fee",
        ),
    ] {
        let Reply { status, body, .. } = app.post_csv(&admin, &file).await;
        assert_eq!(status, 400, "{body}");
        let field = body["errors"][0]["field"].as_str().unwrap_or("");
        assert!(
            field.ends_with(line_column),
            "{field} names {line_column}: {body}"
        );
    }
    assert_eq!((app.count("settlements"), app.count("payments")), (0, 0));
}

#[actix_web::test]
async fn an_inactive_spot_takes_no_new_charge_and_flags_its_callbacks() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, spot) = city(&app).await;
    let r = app
        .patch(
            &format!("/api/v1/spots/{spot}"),
            &admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let jukir = app.attendant_token("081274000001").await;
    for path in ["/api/v1/me/charges", "/api/v1/me/cash"] {
        let r = app
            .post(path, &jukir, json!({"vehicle_class": "motorcycle"}))
            .await;
        assert_eq!(r.status, 409, "{path}: {}", r.body);
    }
    let body = notify_body(
        "GW-IN-1",
        None,
        Some("JMBPSR001"),
        "2000.00",
        "00",
        &format!("{DAY}T10:00:00+07:00"),
    );
    let r = app
        .post_raw(
            NOTIFY,
            &notify_headers(&body, None, &now_timestamp()),
            &body,
        )
        .await;
    assert_eq!(r.status, 200);
    let p = &app.get("/api/v1/payments", &admin).await.body["items"][0];
    assert!(
        p["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("inactive_spot")),
        "{p}"
    );
}

#[actix_web::test]
async fn callbacks_racing_a_close_land_in_the_frozen_rows_or_the_adjustments() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    let paid = format!("{DAY}T10:00:00+07:00");
    let bodies: Vec<String> = (0..200)
        .map(|i| {
            notify_body(
                &format!("GW-RACE-{i:03}"),
                None,
                Some("JMBPSR001"),
                "2000.00",
                "00",
                &paid,
            )
        })
        .collect();
    // Signature type 1 (HMAC) keeps 200 signed requests cheap on the test's one thread.
    let token = app.snap_token().await;
    let send = |body: &String| {
        let headers = notify_headers(body, Some(&token), &now_timestamp());
        let body = body.clone();
        let app = &app;
        async move { app.post_raw(NOTIFY, &headers, &body).await }
    };
    let close_path = format!("/api/v1/reconciliation/daily/{DAY}/close");
    let (first, close, rest) = futures_util::join!(
        futures_util::future::join_all(bodies[..100].iter().map(send)),
        app.post(&close_path, &admin, json!({})),
        futures_util::future::join_all(bodies[100..].iter().map(send)),
    );
    assert_eq!(close.status, 200, "{}", close.body);
    let acknowledged = first
        .iter()
        .chain(rest.iter())
        .filter(|r| r.status == 200 && r.body["responseCode"] == "2005200")
        .count();
    assert_eq!(acknowledged, 200);
    let report = app
        .get(&format!("/api/v1/reconciliation/daily?date={DAY}"), &admin)
        .await
        .body;
    let frozen = report["totals"]["tx_count"].as_i64().unwrap();
    let adjustments = report["adjustments"].as_array().unwrap().len() as i64;
    assert_eq!(
        frozen + adjustments,
        200,
        "frozen {frozen} + late {adjustments}"
    );
}

#[actix_web::test]
async fn an_auditor_posting_a_malformed_zone_is_refused_for_the_role_first() {
    let app = spawn_app_with(with_gateways).await;
    let auditor = app.staff_token("auditor").await;
    let r = app
        .send(reqwest::Method::POST, "/api/v1/zones", Some(&auditor), None)
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .post("/api/v1/zones", &auditor, json!({"code": 5}))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[actix_web::test]
async fn a_pin_reset_or_a_suspension_ends_the_attendants_tokens() {
    let app = spawn_app_with(with_gateways).await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850002", "081274000002", "KTA-2");
    let old = app.attendant_token("081274000002").await;
    assert_eq!(app.get("/api/v1/me", &old).await.status, 200);
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"pin": "135790"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/me", &old).await.status,
        401,
        "the old PIN's token ended"
    );
    // Ended before anything of the body is read: a malformed body still gets the 401.
    let malformed = app
        .client
        .post(app.url("/api/v1/me/charges"))
        .bearer_auth(&old)
        .header("content-type", "application/json")
        .body("{\"vehicle_class\":")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 401);

    let r = app.attendant_login("081274000002", "135790").await;
    let fresh = r.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, 200);
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/me", &fresh).await.status,
        401,
        "suspended at once"
    );
}

async fn wrong_pin(app: &TestApp, phone: &str) -> u16 {
    app.attendant_login(phone, "000000").await.status
}

#[actix_web::test]
async fn one_attendant_mistyping_behind_a_nat_does_not_lock_out_the_district() {
    let app = spawn_app_with(with_gateways).await;
    app.insert_attendant("1571010505850003", "081274000003", "KTA-3");
    app.insert_attendant("1571010505850004", "081274000004", "KTA-4");
    // Twenty wrong PINs at once for one account: at most five are evaluated.
    let replies =
        futures_util::future::join_all((0..20).map(|_| wrong_pin(&app, "081274000003"))).await;
    let evaluated = replies.iter().filter(|s| **s == 401).count();
    let throttled = replies.iter().filter(|s| **s == 429).count();
    assert_eq!((evaluated, throttled), (5, 15), "{replies:?}");
    // Everybody else behind the same address still logs in.
    app.attendant_token("081274000004").await;
    // The address itself is throttled only after fifty failures in the window.
    let mut statuses = Vec::new();
    for i in 0..45 {
        let phone = format!("0812740001{i:02}");
        statuses.push(wrong_pin(&app, &phone).await);
    }
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(
        wrong_pin(&app, "081274000199").await,
        429,
        "the 51st failure from one address"
    );
}

#[actix_web::test]
async fn a_snap_client_holds_a_bounded_number_of_live_tokens() {
    let app = spawn_app_with(with_gateways).await;
    for _ in 0..parkir::db::snap_tokens::MAX_LIVE_SNAP_TOKENS {
        app.snap_token().await;
    }
    let r = app
        .post_raw(
            "/snap/v1.0/access-token/b2b",
            &crate::helpers::snap_gateway::token_headers(&now_timestamp()),
            r#"{"grantType":"client_credentials"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.body["responseCode"].as_str()),
        (429, Some("4297300")),
        "{}",
        r.body
    );
    assert_eq!(
        app.count("snap_tokens"),
        parkir::db::snap_tokens::MAX_LIVE_SNAP_TOKENS
    );
}

#[actix_web::test]
async fn exported_names_cannot_run_as_formulas() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE attendants SET name = '=HYPERLINK(\"http://x\",\"klik\")'"),
        &mut app.db.conn(),
    )
    .unwrap();
    let csv = app
        .text(
            &format!("/api/v1/reconciliation/daily.csv?date={DAY}"),
            Some(&admin),
        )
        .await;
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.lines()
            .any(|l| l.starts_with("=") || l.starts_with("\"=")),
        "{csv}"
    );
}

#[actix_web::test]
async fn raw_callbacks_are_for_admins_paginated_and_without_signatures() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _) = city(&app).await;
    let auditor = app.staff_token("auditor").await;
    let settled = midtrans("mt-1", "ORDER-1", "settlement", "200", "");
    let id = app.post_raw(MIDTRANS, &[], &settled).await.body["payment_id"]
        .as_i64()
        .unwrap();
    for _ in 0..3 {
        app.post_raw(MIDTRANS, &[], &settled).await;
    }
    let seen = app
        .get(&format!("/api/v1/payments/{id}"), &auditor)
        .await
        .body;
    let first = &seen["callbacks"][0];
    assert_eq!(first["verdict"], "accepted");
    assert!(
        first.get("body").is_none() && first.get("headers").is_none(),
        "{first}"
    );
    let r = app
        .get(&format!("/api/v1/payments/{id}/callbacks"), &auditor)
        .await;
    assert_eq!(r.status, 403);

    let page = app
        .get(&format!("/api/v1/payments/{id}/callbacks?limit=2"), &admin)
        .await
        .body;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let body = items[0]["body"].as_str().unwrap();
    assert!(body.contains("[redacted]"), "{body}");
    let key = signature_key("ORDER-1", "200", "2000.00", MIDTRANS_SERVER_KEY);
    assert!(!page.to_string().contains(&key), "no signature leaves");
    assert!(
        items[1].get("body_sha256").is_some(),
        "a duplicate keeps only a hash"
    );
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/payments/{id}/callbacks?limit=2&cursor={cursor}"),
            &admin,
        )
        .await
        .body;
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
    assert!(rest["next_cursor"].is_null());
}

/// SPEC §10: what is stored holds no signature — the Midtrans body has `signature_key`
/// replaced by "[redacted]" (a duplicate keeps the hash of the bytes as they came), and no
/// signature header (`X-SIGNATURE`, `x-callback-token`) is stored at all.
#[actix_web::test]
async fn stored_callbacks_hold_no_signature() {
    let app = spawn_app_with(with_gateways).await;
    city(&app).await;
    let settled = midtrans("mt-9", "ORDER-9", "settlement", "200", "");
    for _ in 0..2 {
        let r = app.post_raw(MIDTRANS, &[], &settled).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    app.pay(
        "SNAP-9",
        "JMBPSR001",
        "2000.00",
        "2026-11-10T09:00:00+07:00",
    )
    .await;
    let xendit = r#"{"event":"qr.payment","data":{"id":"qrpy_9","reference_id":"X-9","amount":2000,"currency":"IDR","status":"SUCCEEDED","created":"2026-11-10T02:00:00Z","channel_code":"ID_DANA"}}"#;
    let r = app
        .post_raw(
            XENDIT,
            &[("x-callback-token".into(), XENDIT_CALLBACK_TOKEN.into())],
            xendit,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        gateway: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        headers: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        body: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        body_sha256: Option<String>,
    }
    let rows: Vec<Stored> = diesel::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT gateway, headers::text AS headers, convert_from(body, 'UTF8') AS body, body_sha256
             FROM callbacks ORDER BY id",
        ),
        &mut app.db.conn(),
    )
    .unwrap();
    assert_eq!(rows.len(), 4);
    let key = signature_key("ORDER-9", "200", "2000.00", MIDTRANS_SERVER_KEY);
    for row in &rows {
        let headers = row.headers.to_lowercase();
        assert!(
            !headers.contains("x-signature"),
            "{}: {headers}",
            row.gateway
        );
        assert!(
            !headers.contains("x-callback-token"),
            "{}: {headers}",
            row.gateway
        );
        assert!(!headers.contains(XENDIT_CALLBACK_TOKEN), "{headers}");
        assert!(!row.body.contains(&key), "{}", row.body);
    }
    assert_eq!(
        rows[0].body,
        settled.replace(&key, "[redacted]"),
        "every other byte as sent"
    );
    use sha2::Digest;
    assert_eq!(
        rows[1].body_sha256.as_deref(),
        Some(hex::encode(sha2::Sha256::digest(settled.as_bytes())).as_str()),
        "the duplicate keeps the hash of the original bytes"
    );
}

/// SPEC §10: a NUL in a gateway's field is that gateway's 400, naming the field; nothing is
/// stored (PostgreSQL text cannot hold it, so without the check it was a failed insert: 500).
#[actix_web::test]
async fn a_nul_in_a_callback_is_a_400_naming_the_field() {
    let app = spawn_app_with(with_gateways).await;
    city(&app).await;
    let before = (app.count("payments"), app.count("callbacks"));
    let body = midtrans("mt\\u0000x", "ORDER-N", "settlement", "200", "");
    let r = app.post_raw(MIDTRANS, &[], &body).await;
    assert_eq!(
        (r.status, r.error_field()),
        (400, "transaction_id"),
        "{}",
        r.body
    );
    assert_eq!((app.count("payments"), app.count("callbacks")), before);
}
