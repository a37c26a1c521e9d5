//! Periods (SPEC §11): the dashboard series and the monthly recap equal the sums of the daily
//! reports of their days; the workbooks carry the same numbers; staff users; PIN resets.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with, spot_body, with_gateways};

async fn bytes(app: &TestApp, path: &str, token: &str) -> (u16, String, Vec<u8>) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, res.bytes().await.unwrap().to_vec())
}

/// October 2026 in Kota Jambi: attendant A on spot 1 from 30 Sep; from 15 Oct a new zone
/// version (motorcycle Rp2.500, share 50 %, target Rp70.000); on 20 Oct A moves to spot 2 and
/// B takes spot 1; 16 Oct is closed and then receives a late payment.
pub async fn october(app: &TestApp) -> (String, i64, i64) {
    let (admin, spot1, a) = app.city_on_duty_since("2026-09-30T00:00:00+07:00").await;
    let zone_id = app
        .get(&format!("/api/v1/spots/{spot1}"), &admin)
        .await
        .body["zone_id"]
        .as_i64()
        .unwrap();
    // A version from 15 Oct. The API never back-dates a version (a change never revalues the
    // past), so this history is written the way it would have been on the 14th: directly.
    let mut conn = app.db.conn();
    parkir::db::zones::insert_version(
        &mut conn,
        zone_id,
        &parkir::db::zones::NewZoneVersion {
            effective_from: "2026-10-15T00:00:00+07:00"
                .parse::<DateTime<Utc>>()
                .unwrap(),
            tariffs: json!({"motorcycle": 2500, "car": 3000}),
            attendant_share_bps: 5000,
            daily_target: Some(70_000),
        },
    )
    .unwrap();
    let spot2 = app
        .post(
            &format!("/api/v1/zones/{zone_id}/spots"),
            &admin,
            spot_body("JMB-PSR-002"),
        )
        .await;
    assert_eq!(spot2.status, 201, "{}", spot2.body);
    let spot2 = spot2.body["id"].as_i64().unwrap();
    let duty = app
        .get(&format!("/api/v1/attendants/{a}/assignments"), &admin)
        .await;
    let first = duty.body["items"][0]["id"].as_i64().unwrap();
    let moved = app
        .patch(
            &format!("/api/v1/attendants/{a}/assignments/{first}"),
            &admin,
            json!({"ends_at": "2026-10-20T00:00:00+07:00"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    for (who, spot) in [(a, spot2)] {
        let r = app
            .post(
                &format!("/api/v1/attendants/{who}/assignments"),
                &admin,
                json!({"spot_id": spot, "starts_at": "2026-10-20T00:00:00+07:00"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let b = app.insert_attendant("1571011207880002", "081274000002", "KTA-2");
    let r = app
        .post(
            &format!("/api/v1/attendants/{b}/assignments"),
            &admin,
            json!({"spot_id": spot1, "starts_at": "2026-10-20T00:00:00+07:00"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    for (txn, terminal, amount, paid) in [
        ("O-03", "JMBPSR001", "2000.00", "2026-10-03T09:00:00+07:00"),
        ("O-14", "JMBPSR001", "3000.00", "2026-10-14T23:59:00+07:00"),
        ("O-16", "JMBPSR001", "2500.00", "2026-10-16T10:00:00+07:00"),
        ("O-21A", "JMBPSR002", "2500.00", "2026-10-21T10:00:00+07:00"),
        ("O-21B", "JMBPSR001", "3000.00", "2026-10-21T11:00:00+07:00"),
        ("O-31", "JMBPSR002", "2000.00", "2026-10-31T23:30:00+07:00"),
    ] {
        app.pay(txn, terminal, amount, paid).await;
    }
    let close = app
        .post(
            "/api/v1/reconciliation/daily/2026-10-16/close",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(close.status, 200, "{}", close.body);
    app.pay(
        "O-16-LATE",
        "JMBPSR001",
        "2500.00",
        "2026-10-16T12:00:00+07:00",
    )
    .await;
    (admin, a, b)
}

const MONEY: [&str; 8] = [
    "tx_count",
    "noncash_gross",
    "cash_gross",
    "gross",
    "attendant_share",
    "city_share",
    "target",
    "shortfall",
];

#[actix_web::test]
async fn series_and_monthly_are_the_sums_of_the_daily_reports() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, a, b) = october(&app).await;

    let series = app
        .get(
            "/api/v1/reports/series?from=2026-10-01&to=2026-10-31",
            &admin,
        )
        .await;
    assert_eq!(series.status, 200, "{}", series.body);
    let days = series.body["days"].as_array().unwrap();
    assert_eq!(days.len(), 31, "every date, zeros included");

    let mut sums: BTreeMap<&str, i64> = BTreeMap::new();
    // Per attendant: (days with a row, gross, target, shortfall).
    let mut per: BTreeMap<Option<i64>, (i64, i64, i64, i64)> = BTreeMap::new();
    let mut day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    for figures in days {
        let report = app
            .get(&format!("/api/v1/reconciliation/daily?date={day}"), &admin)
            .await;
        assert_eq!(report.status, 200, "{}", report.body);
        assert_eq!(figures["date"], day.to_string());
        for k in MONEY {
            assert_eq!(figures[k], report.body["totals"][k], "{day} {k}");
            *sums.entry(k).or_default() += figures[k].as_i64().unwrap();
        }
        for row in report.body["rows"].as_array().unwrap() {
            let e = per.entry(row["attendant_id"].as_i64()).or_default();
            e.0 += 1;
            e.1 += row["gross"].as_i64().unwrap();
            e.2 += row["target"].as_i64().unwrap_or(0);
            e.3 += row["shortfall"].as_i64().unwrap();
        }
        day = day.succ_opt().unwrap();
    }
    for k in MONEY {
        assert_eq!(series.body["totals"][k], sums[k], "series total {k}");
    }
    // The closed day shows its frozen rows; the late payment is an adjustment, not in them.
    assert_eq!(days[15]["gross"], 2500, "16 Oct as frozen");
    // The version change: 21 Oct at the new share (50 %).
    assert_eq!(days[20]["gross"], 5500);
    assert_eq!(days[20]["attendant_share"], 2750);
    assert_eq!(sums["gross"], 2000 + 3000 + 2500 + 2500 + 3000 + 2000);

    let monthly = app
        .get("/api/v1/reports/monthly?month=2026-10", &admin)
        .await;
    assert_eq!(monthly.status, 200, "{}", monthly.body);
    assert_eq!(monthly.body["month"], "2026-10");
    assert_eq!(monthly.body["timezone"], "Asia/Jakarta");
    let rows = monthly.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), per.len());
    for row in rows {
        let (days_on_duty, gross, target, shortfall) = per[&row["attendant_id"].as_i64()];
        assert_eq!(row["days_on_duty"], days_on_duty, "{row}");
        assert_eq!(row["gross"], gross, "{row}");
        assert_eq!(row["target"], target, "{row}");
        assert_eq!(row["shortfall"], shortfall, "{row}");
        assert_eq!(row["achievement_bps"], gross * 10_000 / target, "{row}");
    }
    let row_of = |id: i64| rows.iter().find(|r| r["attendant_id"] == id).unwrap();
    assert_eq!(
        row_of(a)["days_on_duty"],
        31,
        "A on duty all month, on two spots"
    );
    assert_eq!(row_of(b)["days_on_duty"], 12, "B from the 20th");
    // 14 days at Rp60.000, then 17 at Rp70.000 for A; 12 at Rp70.000 for B.
    assert_eq!(row_of(a)["target"], 14 * 60_000 + 17 * 70_000);
    assert_eq!(row_of(b)["target"], 12 * 70_000);
    for k in MONEY {
        assert_eq!(monthly.body["totals"][k], series.body["totals"][k], "{k}");
    }

    // The workbook: money as numbers, a totals row equal to the API's.
    let (status, content_type, xlsx) =
        bytes(&app, "/api/v1/reports/monthly.xlsx?month=2026-10", &admin).await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Rekap 2026-10").unwrap();
    // The title block above the table says whose, what and when (SPEC §11.1).
    let title: Vec<String> = sheet.rows().take(6).map(|r| r[0].to_string()).collect();
    assert_eq!(title[0], "Dinas Perhubungan");
    assert!(title[1].starts_with("Rekap Bulanan"), "{title:?}");
    assert_eq!(title[2], "Bulan: Oktober 2026");
    assert_eq!(title[3], "Zona: semua zona");
    assert!(title[5].starts_with("Dicetak: "), "{title:?}");
    let header_at = sheet
        .rows()
        .position(|r| r[0] == Data::String("Juru Parkir".into()))
        .expect("a header row");
    let header: Vec<String> = sheet
        .rows()
        .nth(header_at)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let gross_col = header.iter().position(|h| h == "Bruto").unwrap();
    let achievement_col = header
        .iter()
        .position(|h| h.starts_with("Capaian"))
        .unwrap();
    let total = sheet
        .rows()
        .find(|r| r[0] == Data::String("TOTAL".into()))
        .expect("a totals row");
    assert_eq!(total[gross_col], Data::Float(sums["gross"] as f64));
    assert_eq!(sheet.rows().count(), header_at + rows.len() + 2);
    // A percentage is a fraction (shown as 0.0%), so a formula on it is right.
    let first = sheet.rows().nth(header_at + 1).unwrap();
    let api_row = rows
        .iter()
        .find(|r| Data::String(r["name"].as_str().unwrap().into()) == first[0])
        .unwrap();
    assert_eq!(
        first[achievement_col],
        Data::Float(api_row["achievement_bps"].as_f64().unwrap() / 10_000.0)
    );

    let (status, _, daily) = bytes(
        &app,
        "/api/v1/reconciliation/daily.xlsx?date=2026-10-21",
        &admin,
    )
    .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(daily)).unwrap();
    let sheet = book.worksheet_range("Rekap 2026-10-21").unwrap();
    assert_eq!(
        sheet.rows().nth(2).unwrap()[0].to_string(),
        "Tanggal: 21/10/2026"
    );
    assert!(
        sheet.rows().nth(4).unwrap()[0]
            .to_string()
            .starts_with("Status: belum ditutup")
    );
    let header_at = sheet
        .rows()
        .position(|r| r[0] == Data::String("Tanggal".into()))
        .expect("a header row");
    let second = sheet.rows().nth(header_at + 1).unwrap();
    assert!(
        matches!(second[0], Data::DateTime(_)),
        "dates as dates: {:?}",
        second[0]
    );
    let total = sheet.rows().next_back().unwrap();
    assert_eq!(total[0], Data::String("TOTAL".into()));
    assert_eq!(total[6], Data::Float(5500.0), "Bruto");

    // The days read above are kept as roll-ups; a payment that arrives later for one of them
    // (5 Oct, open) forgets that day's roll-up, and the next read counts it.
    app.pay(
        "O-05-LATER",
        "JMBPSR001",
        "3000.00",
        "2026-10-05T08:00:00+07:00",
    )
    .await;
    let again = app
        .get(
            "/api/v1/reports/series?from=2026-10-01&to=2026-10-31",
            &admin,
        )
        .await;
    assert_eq!(again.body["days"][4]["gross"], 3000);
    assert_eq!(again.body["totals"]["gross"], sums["gross"] + 3000);
    let day5 = app
        .get("/api/v1/reconciliation/daily?date=2026-10-05", &admin)
        .await;
    assert_eq!(day5.body["totals"]["gross"], 3000);
    let month = app
        .get("/api/v1/reports/monthly?month=2026-10", &admin)
        .await;
    assert_eq!(month.body["totals"]["gross"], sums["gross"] + 3000);

    let csv = app
        .text(
            "/api/v1/reports/monthly.csv?month=2026-10&lang=id",
            Some(&admin),
        )
        .await;
    // Indonesian Excel: a BOM, `;` between fields, every text quoted, a decimal comma.
    assert!(
        csv.starts_with("\u{feff}\"Juru Parkir\";\"Hari Bertugas\";"),
        "{csv}"
    );
    assert!(
        csv.trim_end().ends_with(&format!(
            "\"TOTAL\";\"\";7;{g};0;{g};{s};{c};{t};{f};\"{p}\"",
            g = sums["gross"] + 3000,
            s = sums["attendant_share"] + 1800,
            c = sums["city_share"] + 1200,
            t = sums["target"],
            f = sums["shortfall"] - 3000,
            p = {
                let bps = (sums["gross"] + 3000) * 10_000 / sums["target"];
                format!("{},{:02}", bps / 100, bps % 100)
            }
        )),
        "{csv}"
    );
}

#[actix_web::test]
async fn bad_periods_name_the_parameter() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (query, field) in [
        ("series?from=2026-10-10&to=2026-10-01", "to"),
        ("series?from=2025-01-01&to=2026-10-01", "to"),
        ("series?from=tomorrow", "from"),
        ("series?to=2026-02-30", "to"),
        ("monthly?month=2026-13", "month"),
        ("monthly?month=10-2026", "month"),
        ("monthly?month=2026-1", "month"),
        ("monthly.csv?month=2026-10&lang=fr", "lang"),
    ] {
        let r = app.get(&format!("/api/v1/reports/{query}"), &admin).await;
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        assert_eq!(r.error_field(), field, "{query}");
    }
    let r = app
        .get(
            "/api/v1/reports/series?from=2026-10-01&to=2026-10-02&zone_id=999",
            &admin,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let auditor = app.staff_token("auditor").await;
    let r = app
        .get(
            "/api/v1/reports/series?from=2026-10-01&to=2026-10-02",
            &auditor,
        )
        .await;
    assert_eq!(r.status, 200, "every staff role reads reports");
    assert_eq!(r.body["days"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn admins_manage_staff_users_and_every_change_ends_the_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "siti.auditor", "role": "auditor", "password": "rekap-harian-2026"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["active"], true);
    assert!(created.body.get("password_hash").is_none());
    let id = created.body["id"].as_i64().unwrap();
    let again = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "siti.auditor", "role": "auditor", "password": "rekap-harian-2026"}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    for (body, field) in [
        (
            json!({"username": "x y", "role": "auditor", "password": "rekap-harian-2026"}),
            "username",
        ),
        (
            json!({"username": "budi", "role": "attendant", "password": "rekap-harian-2026"}),
            "role",
        ),
        (
            json!({"username": "budi", "role": "auditor", "password": "short"}),
            "password",
        ),
    ] {
        let r = app.post("/api/v1/users", &admin, body).await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(r.error_field(), field);
    }

    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/login",
                "",
                json!({"username": "siti.auditor", "password": password}),
            )
            .await
        }
    };
    let token = login("rekap-harian-2026").await.body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get("/api/v1/zones", &token).await.status, 200);
    // An auditor manages no one.
    assert_eq!(app.get("/api/v1/users", &token).await.status, 403);

    let listed = app.get("/api/v1/users", &admin).await;
    assert!(
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == id)
    );

    let off = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert_eq!(off.body["active"], false);
    assert_eq!(
        app.get("/api/v1/zones", &token).await.status,
        401,
        "sessions end"
    );
    let refused = login("rekap-harian-2026").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("disabled")
    );

    let on = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"active": true, "password": "rekap-bulanan-2026", "role": "supervisor"}),
        )
        .await;
    assert_eq!(on.body["role"], "supervisor");
    assert_eq!(login("rekap-harian-2026").await.status, 401);
    assert_eq!(login("rekap-bulanan-2026").await.status, 200);

    // An admin cannot lock themselves out.
    let me: Value = app.get("/api/v1/users", &admin).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "admin")
        .cloned()
        .unwrap();
    let r = app
        .patch(
            &format!("/api/v1/users/{}", me["id"]),
            &admin,
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = app
        .patch("/api/v1/users/99999", &admin, json!({"active": false}))
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .patch(&format!("/api/v1/users/{id}"), &admin, json!({}))
        .await;
    assert_eq!(r.status, 400);
}

#[actix_web::test]
async fn an_admin_resets_a_pin_and_the_old_sessions_end() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let old = app.attendant_token("081274000001").await;
    assert_eq!(app.get("/api/v1/me", &old).await.status, 200);
    let bad = app
        .post(
            &format!("/api/v1/attendants/{id}/pin"),
            &admin,
            json!({"pin": "12a456"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_field(), "pin");
    let supervisor = app.staff_token("supervisor").await;
    let r = app
        .post(
            &format!("/api/v1/attendants/{id}/pin"),
            &supervisor,
            json!({"pin": "654312"}),
        )
        .await;
    assert_eq!(r.status, 403, "admins only");
    let r = app
        .post(
            &format!("/api/v1/attendants/{id}/pin"),
            &admin,
            json!({"pin": "654312"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(app.get("/api/v1/me", &old).await.status, 401);
    assert_eq!(
        app.attendant_login("081274000001", "654312").await.status,
        200
    );
    let r = app
        .post(
            "/api/v1/attendants/9999/pin",
            &admin,
            json!({"pin": "654312"}),
        )
        .await;
    assert_eq!(r.status, 404);
}
