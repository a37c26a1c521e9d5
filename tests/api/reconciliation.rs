//! Daily reconciliation, the close and settlement files.

use chrono::{Duration, Utc};
use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with, with_gateways};

/// A fixed past business day for the tests.
const D: &str = "2026-11-10";

/// A zone and spot; attendant 1 on duty there from the day before D, open-ended.
async fn setup(app: &TestApp) -> (String, i64, i64) {
    app.city_on_duty_since("2026-11-09T00:00:00+07:00").await
}

#[actix_web::test]
async fn the_business_day_is_wib_both_ways() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, attendant) = setup(&app).await;
    app.pay(
        "T-0001",
        "JMBPSR001",
        "2000.00",
        "2026-11-10T00:01:00+07:00",
    )
    .await; // 17:01 UTC on the 9th
    app.pay(
        "T-2359",
        "JMBPSR001",
        "3000.00",
        "2026-11-10T23:59:00+07:00",
    )
    .await; // 16:59 UTC on the 10th
    app.pay(
        "T-NEXT",
        "JMBPSR001",
        "2000.00",
        "2026-11-11T00:00:00+07:00",
    )
    .await; // the 11th in WIB
    let day = app
        .get(&format!("/api/v1/reconciliation/daily?date={D}"), &admin)
        .await;
    assert_eq!(day.status, 200, "{}", day.body);
    assert_eq!(day.body["timezone"], "Asia/Jakarta");
    let row = &day.body["rows"][0];
    assert_eq!(row["attendant_id"], attendant);
    assert_eq!(row["tx_count"], 2);
    assert_eq!(row["gross"], 5000);
    assert_eq!(row["attendant_share"], 3000);
    assert_eq!(row["city_share"], 2000);
    assert_eq!(row["target"], 60000);
    assert_eq!(row["shortfall"], 55000);
    assert_eq!(row["spots"], json!(["JMB-PSR-001"]));
    let next = app
        .get("/api/v1/reconciliation/daily?date=2026-11-11", &admin)
        .await;
    assert_eq!(next.body["rows"][0]["gross"], 2000);
    let before = app
        .get("/api/v1/reconciliation/daily?date=2026-11-09", &admin)
        .await;
    assert_eq!(before.body["rows"][0]["gross"], 0, "on duty, nothing paid");
    assert_eq!(
        before.body["rows"][0]["flags"],
        json!(["no_noncash_while_on_duty", "shortfall"])
    );
}

#[actix_web::test]
async fn a_mid_day_change_values_each_payment_under_its_own_version() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = setup(&app).await;
    let zone = app.get("/api/v1/zones", &admin).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    // The API refuses back-dated versions; a past change is set up directly, as it was made then.
    diesel::sql_query(format!(
        "INSERT INTO zone_versions (zone_id, effective_from, tariffs, attendant_share_bps, daily_target)
         VALUES ({zone}, '2026-11-10T12:00:00+07:00', '{{\"motorcycle\": 2500, \"car\": 3500}}', 7000, 60000)"
    ))
    .execute(&mut app.db.conn())
    .unwrap();
    app.pay(
        "V-0800",
        "JMBPSR001",
        "2000.00",
        "2026-11-10T08:00:00+07:00",
    )
    .await;
    app.pay(
        "V-1400",
        "JMBPSR001",
        "2500.00",
        "2026-11-10T14:00:00+07:00",
    )
    .await;
    let payments = app
        .get(&format!("/api/v1/payments?date={D}"), &admin)
        .await
        .body;
    let items = payments["items"].as_array().unwrap();
    assert_eq!(items[0]["attendant_share_bps"], 6000);
    assert_eq!(items[1]["attendant_share_bps"], 7000);
    assert_eq!(items[0]["flags"], json!([]), "2000 was the tariff at 08:00");
    assert_eq!(items[1]["flags"], json!([]), "2500 is the tariff at 14:00");
    let row = &app
        .get(&format!("/api/v1/reconciliation/daily?date={D}"), &admin)
        .await
        .body["rows"][0];
    // floor(2000 × 60%) + floor(2500 × 70%)
    assert_eq!(row["attendant_share"], 1200 + 1750);
    assert_eq!(row["city_share"], 4500 - 2950);
}

#[actix_web::test]
async fn a_closed_day_is_frozen_and_late_payments_are_adjustments() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = setup(&app).await;
    app.pay("C-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    let auditor = app.staff_token("auditor").await;
    let forbidden = app
        .post(
            &format!("/api/v1/reconciliation/daily/{D}/close"),
            &auditor,
            json!({}),
        )
        .await;
    assert_eq!(forbidden.status, 403);
    let closed = app
        .post(
            &format!("/api/v1/reconciliation/daily/{D}/close"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.body["closed"], true);
    assert!(
        closed.body["closed_by"]
            .as_str()
            .unwrap()
            .starts_with("admin")
    );
    let frozen_rows = closed.body["rows"].clone();
    let again = app
        .post(
            &format!("/api/v1/reconciliation/daily/{D}/close"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(again.status, 409);

    app.pay(
        "C-LATE",
        "JMBPSR001",
        "3000.00",
        "2026-11-10T10:00:00+07:00",
    )
    .await;
    let day = app
        .get(&format!("/api/v1/reconciliation/daily?date={D}"), &auditor)
        .await
        .body;
    assert_eq!(day["rows"], frozen_rows, "the frozen rows never change");
    assert_eq!(day["totals"]["gross"], 2000);
    let adjustments = day["adjustments"].as_array().unwrap();
    assert_eq!(adjustments.len(), 1);
    assert_eq!(adjustments[0]["gateway_txn_id"], "C-LATE");
    assert_eq!(adjustments[0]["amount"], 3000);
    assert!(
        adjustments[0]["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("late"))
    );
    assert_eq!(day["closable"], false, "a closed day is not offered again");
}

/// SPEC §8: a day can be closed only once it has ended in the city's zone; today (attendants
/// still at work) and a future date are 409 and close nothing; the report says whether the
/// console may offer the close.
#[actix_web::test]
async fn a_day_that_has_not_ended_cannot_be_closed() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = setup(&app).await;
    let today = parkir::domain::business_date(Utc::now(), chrono_tz::Asia::Jakarta);
    for date in [today + Duration::days(1), today + Duration::days(40), today] {
        let r = app
            .post(
                &format!("/api/v1/reconciliation/daily/{date}/close"),
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(r.status, 409, "{date}: {}", r.body);
        assert_eq!(r.error_field(), "date");
        assert!(r.body["detail"].as_str().unwrap().contains("not ended"));
    }
    assert_eq!(app.count("reconciliation_closes"), 0);
    let report = |date: chrono::NaiveDate| {
        let app = &app;
        let admin = &admin;
        async move {
            app.get(&format!("/api/v1/reconciliation/daily?date={date}"), admin)
                .await
                .body
        }
    };
    assert_eq!(report(today).await["closable"], false);
    assert_eq!(report(today - Duration::days(1)).await["closable"], true);
}

/// SPEC §8: late holds for every source. A cash ticket recorded after its day was closed (the
/// close of a day that ended while the attendant's phone was still sending — simulated by
/// closing today in the database, which the API refuses) is kept, flagged `late` and listed as
/// an adjustment; the frozen rows do not move.
#[actix_web::test]
async fn cash_recorded_after_its_day_closed_is_a_late_adjustment() {
    let app = spawn_app_with(with_gateways).await;
    let now = Utc::now();
    let (admin, _, attendant) = app
        .city_on_duty_since(&(now - Duration::days(1)).to_rfc3339())
        .await;
    let token = app.attendant_token("081274000001").await;
    let first = app
        .post(
            "/api/v1/me/cash",
            &token,
            json!({"vehicle_class": "motorcycle"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["flags"], json!([]));
    let today = first.body["business_date"].as_str().unwrap().to_owned();
    // The close, as the close transaction writes it: the live rows frozen.
    let live = app
        .get(
            &format!("/api/v1/reconciliation/daily?date={today}"),
            &admin,
        )
        .await
        .body;
    {
        let frozen = json!({"rows": live["rows"], "totals": live["totals"]});
        diesel::sql_query(
            "INSERT INTO reconciliation_closes (business_date, closed_by, snapshot) VALUES ($1::date, 'staff:0', $2)",
        )
        .bind::<diesel::sql_types::Text, _>(&today)
        .bind::<diesel::sql_types::Jsonb, _>(frozen)
        .execute(&mut app.db.conn())
        .unwrap();
    }
    let late = app
        .post("/api/v1/me/cash", &token, json!({"vehicle_class": "car"}))
        .await;
    assert_eq!(late.status, 201, "{}", late.body);
    assert_eq!(late.body["flags"], json!(["late"]));
    let day = app
        .get(
            &format!("/api/v1/reconciliation/daily?date={today}"),
            &admin,
        )
        .await
        .body;
    assert_eq!(day["closed"], true);
    assert_eq!(day["totals"]["gross"], 2000, "the frozen rows never change");
    let adjustments = day["adjustments"].as_array().unwrap();
    assert_eq!(adjustments.len(), 1, "{day}");
    assert_eq!(adjustments[0]["amount"], 3000);
    assert_eq!(adjustments[0]["attendant_id"], attendant);
    assert_eq!(adjustments[0]["flags"], json!(["late"]));
}

#[actix_web::test]
async fn the_csv_export_speaks_indonesian_on_request() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = setup(&app).await;
    app.pay("X-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    let res = app
        .client
        .get(app.url(&format!(
            "/api/v1/reconciliation/daily.csv?date={D}&lang=id"
        )))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = res.text().await.unwrap();
    // For Indonesian Excel (SPEC §10): a UTF-8 BOM, `;` between fields, every text quoted.
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("no BOM: {text:?}"));
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        r#""Juru Parkir";"Titik";"Transaksi";"Non-Tunai";"Tunai";"Bruto";"Biaya";"Bagian Jukir";"Bagian Pemkot";"Target";"Kurang Setor";"Catatan""#
    );
    assert_eq!(
        lines.next().unwrap(),
        r#""Jukir Uji";"JMB-PSR-001";1;2000;0;2000;0;1200;800;60000;58000;"kurang target""#
    );
    assert!(lines.next().unwrap().starts_with(r#""TOTAL";"";1;2000"#));
    let en = app
        .text(
            &format!("/api/v1/reconciliation/daily.csv?date={D}"),
            Some(&admin),
        )
        .await;
    assert!(en.starts_with("attendant,spots,tx_count"));
    assert_eq!(
        app.get(
            &format!("/api/v1/reconciliation/daily?date={D}&lang=fr"),
            &admin
        )
        .await
        .status,
        400,
        "lang is checked on every format, JSON included"
    );
    assert_eq!(
        app.get("/api/v1/reconciliation/daily?date=10-11-2026", &admin)
            .await
            .error_field(),
        "date"
    );
}

/// POSTs a settlement file as `text/csv`.
fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("settlements"),
        app.count("settlement_rows"),
        app.count("payments"),
    )
}

#[actix_web::test]
async fn a_settlement_file_gets_every_status_once() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, spot, attendant) = setup(&app).await;
    app.pay("S-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    app.pay("S-2", "JMBPSR001", "3000.00", "2026-11-10T10:00:00+07:00")
        .await;
    app.pay("S-3", "JMBPSR001", "2000.00", "2026-11-10T11:00:00+07:00")
        .await;
    let cash = app.attendant_token("081274000001").await;
    assert_eq!(app.count("payments"), 3);
    let file = "Reference,Paid_At,Amount,Fee,Net,Terminal_ID,NMID\n\
        S-1,2026-11-10 09:00:00,2000.00,14,1986,JMBPSR001,ID1026100000123\n\
        S-2,2026-11-10T10:00:00+07:00,2500,17,2483,JMBPSR001,\n\
        S-1,2026-11-10 09:00:00,2000,14,1986,JMBPSR001,\n\
        BANK-ONLY-1,2026-11-10 12:30:00,2000,14,1986,JMBPSR001,\n\
        STRANGER-1,2026-11-10 13:00:00,5000,35,4965,OTHER99,ID9999999999999\n";
    let res = app.post_csv(&admin, file).await;
    assert_eq!(res.status, 201);
    let body = res.body;
    assert_eq!(
        body["counts"],
        json!({"MATCHED": 1, "AMOUNT_MISMATCH": 1, "STATUS_MISMATCH": 0, "DUPLICATE": 1, "MISSING_CALLBACK": 1, "UNKNOWN_MERCHANT": 1, "UNSETTLED": 1})
    );
    assert_eq!(body["rows"], 6);
    let id = body["id"].as_i64().unwrap();
    let detail = app
        .get(&format!("/api/v1/settlements/{id}"), &admin)
        .await
        .body;
    let rows = detail["rows"].as_array().unwrap();
    let status_of = |reference: &str| {
        rows.iter()
            .filter(|r| r["reference"] == reference)
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(status_of("S-1"), ["MATCHED", "DUPLICATE"]);
    assert_eq!(status_of("S-2"), ["AMOUNT_MISMATCH"]);
    assert_eq!(status_of("BANK-ONLY-1"), ["MISSING_CALLBACK"]);
    assert_eq!(status_of("STRANGER-1"), ["UNKNOWN_MERCHANT"]);
    assert_eq!(status_of("S-3"), ["UNSETTLED"]);
    assert!(rows.iter().find(|r| r["reference"] == "S-3").unwrap()["line"].is_null());
    assert_eq!(rows[0]["line"], 2);

    // The matched payment carries the file's fee; the missing callback is a payment now,
    // credited through terminal → spot → attendant on duty.
    let payments = app
        .get(&format!("/api/v1/payments?date={D}"), &admin)
        .await
        .body;
    let find = |txn: &str| {
        payments["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["gateway_txn_id"] == txn)
            .cloned()
            .unwrap()
    };
    assert_eq!(find("S-1")["fee"], 14);
    let created = find("BANK-ONLY-1");
    assert_eq!(created["gateway"], "settlement");
    assert_eq!(created["source"], "settlement");
    assert_eq!(created["spot_id"], spot);
    assert_eq!(created["attendant_id"], attendant);
    assert_eq!(
        app.count("payments"),
        4,
        "no payment for the unknown merchant"
    );

    // The callback the bank's file stood in for arrives after all: the same money, once.
    app.pay(
        "BANK-ONLY-1",
        "JMBPSR001",
        "2000.00",
        "2026-11-10T12:30:00+07:00",
    )
    .await;
    assert_eq!(app.count("payments"), 4, "the late callback is a duplicate");
    let late = app
        .get(&format!("/api/v1/payments/{}", created["id"]), &admin)
        .await
        .body;
    assert_eq!(late["callbacks"][0]["verdict"], "duplicate");
    let day = app
        .get(&format!("/api/v1/reconciliation/daily?date={D}"), &admin)
        .await
        .body;
    assert_eq!(day["rows"][0]["fees"], 14 + 14);

    // The same bytes again: the first import, nothing changed.
    let before = counts(&app);
    let res = app.post_csv(&admin, file).await;
    assert_eq!(res.status, 200);
    let again = res.body;
    assert_eq!(again["id"], id);
    assert_eq!(again["first_import"], false);
    assert_eq!(counts(&app), before);
    assert_eq!(app.get("/api/v1/settlements/999", &admin).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/settlements/{id}"), &cash)
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn a_malformed_settlement_file_names_line_and_column_and_writes_nothing() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = setup(&app).await;
    app.pay("M-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    let before = counts(&app);
    for (file, field) in [
        ("reference,amount\nM-1,2000\n", "line 1: paid_at"),
        (
            "reference,paid_at,amount\nM-1,2026-11-10 09:00:00,2000\nM-2,2026-11-10 09:00:00,2.000\n",
            "line 3: amount",
        ),
        (
            "reference,paid_at,amount\nM-1,10/11/2026,2000\n",
            "line 2: paid_at",
        ),
        (
            "reference,paid_at,amount\nM-1,2026-11-10 09:00:00,2000,extra\n",
            "line 2: row",
        ),
    ] {
        let res = app.post_csv(&admin, file).await;
        assert_eq!(res.status, 400, "{file}");
        let body = res.body;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    let json_body = app
        .post("/api/v1/settlements", &admin, json!({"reference": "x"}))
        .await;
    assert_eq!(json_body.status, 415);
    assert_eq!(counts(&app), before);
}

#[actix_web::test]
async fn the_attendant_sees_their_own_day() {
    let app = spawn_app_with(with_gateways).await;
    let (_, _, _) = setup(&app).await;
    let jukir = app.attendant_token("081274000001").await;
    app.pay("M-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    app.pay("M-2", "JMBPSR001", "3000.00", "2026-11-10T09:30:00+07:00")
        .await;
    app.post(
        "/api/v1/me/cash",
        &jukir,
        json!({"vehicle_class": "motorcycle"}),
    )
    .await;
    let day = app
        .get(&format!("/api/v1/me/summary?date={D}"), &jukir)
        .await;
    assert_eq!(day.status, 200);
    assert_eq!(
        day.body,
        json!({"date": D, "tx_count": 2, "noncash_gross": 5000, "cash_gross": 0, "gross": 5000, "attendant_share": 3000})
    );
    let today = app.get("/api/v1/me/summary", &jukir).await.body;
    assert_eq!(today["cash_gross"], 2000);
    assert_eq!(
        today["date"],
        parkir::domain::business_date(Utc::now(), chrono_tz::Asia::Jakarta).to_string()
    );
}
