//! SPEC §11.1: what the console needs from the API to run a city without curl — rosters, errors
//! in Bahasa all at once, names not numbers, bulk triage and the warning-letter register.

use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, spawn_app};

impl TestApp {
    /// A request in the console's language (`Accept-Language: id`).
    async fn send_id(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Value,
    ) -> Reply {
        let res = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("accept-language", "id-ID,id;q=0.9,en;q=0.5")
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }
}

fn fields(reply: &Reply) -> Vec<String> {
    reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

fn message(reply: &Reply, field: &str) -> String {
    reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[actix_web::test]
async fn every_broken_field_is_named_at_once_in_bahasa_when_asked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let bad = json!({"nik": "123", "name": " ", "phone": "12345", "kta_number": "KTA 1", "pin": "111111"});
    let id = app
        .send_id(
            reqwest::Method::POST,
            "/api/v1/attendants",
            &admin,
            bad.clone(),
        )
        .await;
    assert_eq!(id.status, 400, "{}", id.body);
    assert_eq!(fields(&id), ["nik", "name", "phone", "kta_number", "pin"]);
    assert_eq!(message(&id, "nik"), "harus 16 digit");
    assert_eq!(message(&id, "name"), "tidak boleh kosong");
    assert_eq!(message(&id, "pin"), "tidak boleh satu angka yang diulang");
    assert_eq!(id.body["title"], "Permintaan tidak valid");
    assert!(
        id.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("nik: harus 16 digit; name:")
    );
    assert_eq!(app.count("attendants"), 0);

    // English without the header, the same fields.
    let en = app.post("/api/v1/attendants", &admin, bad).await;
    assert_eq!(fields(&en), ["nik", "name", "phone", "kta_number", "pin"]);
    assert_eq!(message(&en, "nik"), "must be exactly 16 digits");

    // A role refused and a duplicate, in Bahasa too.
    let auditor = app.staff_token("auditor").await;
    let refused = app
        .send_id(reqwest::Method::POST, "/api/v1/zones", &auditor, json!({}))
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body["detail"],
        "perlu peran admin; peran Anda auditor"
    );
    let merchant = crate::helpers::merchant_body();
    assert_eq!(
        app.post("/api/v1/merchant-accounts", &admin, merchant.clone())
            .await
            .status,
        201
    );
    let twice = app
        .send_id(
            reqwest::Method::POST,
            "/api/v1/merchant-accounts",
            &admin,
            merchant,
        )
        .await;
    assert_eq!(twice.status, 409);
    assert_eq!(message(&twice, "nmid"), "sudah dipakai");

    // A merchant account and a zone list all their broken fields too.
    let zone = app
        .send_id(
            reqwest::Method::POST,
            "/api/v1/zones",
            &admin,
            json!({"code": "x y", "name": "", "district": "Pasar", "merchant_account_id": 1,
                   "tariffs": {"motorcycle": 0}, "attendant_share_bps": 12000}),
        )
        .await;
    assert_eq!(zone.status, 400);
    assert_eq!(
        fields(&zone),
        ["code", "name", "tariffs.motorcycle", "attendant_share_bps"]
    );
    let account = app
        .send_id(
            reqwest::Method::POST,
            "/api/v1/merchant-accounts",
            &admin,
            json!({"gui": "ID.CO.QRIS.WWW", "pan": "12", "merchant_id": "M1", "criteria": "ZZZ",
                   "nmid": "ID1", "name": "DISHUB", "city": "JAMBI", "postal_code": "3", "mcc": "7523"}),
        )
        .await;
    assert_eq!(fields(&account), ["pan", "criteria", "nmid", "postal_code"]);
}

#[actix_web::test]
async fn a_roster_plans_one_duty_per_matching_day_all_or_nothing() {
    let app = spawn_app().await;
    let city = app
        .city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .build()
        .await;
    let admin = &city.admin;
    let attendant = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let path = format!("/api/v1/attendants/{attendant}/assignments/roster");
    // Mon 7 Dec … Sun 13 Dec 2026, Monday to Saturday, 07:00–17:00 WIB.
    let week = json!({"spot_id": city.spots[0], "from": "2026-12-07", "to": "2026-12-13",
                      "weekdays": [1, 2, 3, 4, 5, 6], "start": "07:00", "end": "17:00"});
    let made = app.post(&path, admin, week.clone()).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["created"], 6);
    let ids = made.body["assignment_ids"].as_array().unwrap();
    assert_eq!(ids.len(), 6);
    let listed = app
        .get(
            &format!("/api/v1/attendants/{attendant}/assignments"),
            admin,
        )
        .await;
    let first = &listed.body["items"][0];
    assert_eq!(first["starts_at"], "2026-12-07T00:00:00Z");
    assert_eq!(first["ends_at"], "2026-12-07T10:00:00Z");

    // The same attendant elsewhere on overlapping days: 409 naming the first date, nothing stored.
    let overlap = app
        .post(
            &path,
            admin,
            json!({"spot_id": city.spots[1], "from": "2026-12-05", "to": "2026-12-09",
                   "weekdays": [1, 2, 3, 4, 5, 6, 7], "start": "16:00", "end": "06:00"}),
        )
        .await;
    assert_eq!(overlap.status, 409, "{}", overlap.body);
    assert!(
        overlap.body["detail"]
            .as_str()
            .unwrap()
            .contains("2026-12-07"),
        "{}",
        overlap.body
    );
    assert_eq!(app.count("assignments"), 6);

    // An overnight duty ends the next day.
    let night = app
        .post(
            &path,
            admin,
            json!({"spot_id": city.spots[1], "from": "2026-12-14", "to": "2026-12-14",
                   "weekdays": [1], "start": "18:00", "end": "02:00"}),
        )
        .await;
    assert_eq!(night.status, 201, "{}", night.body);
    let listed = app
        .get(
            &format!("/api/v1/attendants/{attendant}/assignments"),
            admin,
        )
        .await;
    let night = listed.body["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(night["starts_at"], "2026-12-14T11:00:00Z");
    assert_eq!(night["ends_at"], "2026-12-14T19:00:00Z");

    // Rules: at most 92 days counting both; weekdays 1..7; times HH:MM — all named at once.
    let long = app
        .post(
            &path,
            admin,
            json!({"spot_id": city.spots[0], "from": "2027-01-01", "to": "2027-04-03",
                   "weekdays": [1], "start": "07:00", "end": "17:00"}),
        )
        .await;
    assert_eq!(long.status, 400);
    assert_eq!(long.error_field(), "to");
    let bad = app
        .post(
            &path,
            admin,
            json!({"spot_id": city.spots[0], "from": "2027-02-30", "to": "2027-03-01",
                   "weekdays": [0, 8], "start": "7:00", "end": "25:00"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(fields(&bad), ["from", "weekdays", "start", "end"]);
    let quarter = app
        .post(
            &path,
            admin,
            json!({"spot_id": city.spots[0], "from": "2027-01-01", "to": "2027-04-02",
                   "weekdays": [3], "start": "07:00", "end": "17:00"}),
        )
        .await;
    assert_eq!(
        quarter.status, 201,
        "92 days counting both is allowed: {}",
        quarter.body
    );
    let auditor = app.staff_token("auditor").await;
    assert_eq!(app.post(&path, &auditor, week).await.status, 403);
}

#[actix_web::test]
async fn lists_name_spots_attendants_and_staff() {
    let app = spawn_app().await;
    let city = app
        .city()
        .on_duty_since("2026-01-01T00:00:00+07:00")
        .build()
        .await;
    let token = app.attendant_token("081274000001").await;
    let cash = app
        .post("/api/v1/me/cash", &token, json!({"vehicle_class": "car"}))
        .await;
    assert_eq!(cash.status, 201, "{}", cash.body);
    let date = cash.body["business_date"].as_str().unwrap().to_owned();
    let list = app
        .get(&format!("/api/v1/payments?date={date}"), &city.admin)
        .await;
    let item = &list.body["items"][0];
    assert_eq!(item["spot_code"], "JMB-PSR-001");
    assert_eq!(item["attendant_name"], "Jukir Uji");
    let one = app
        .get(
            &format!("/api/v1/payments/{}", cash.body["id"]),
            &city.admin,
        )
        .await;
    assert_eq!(one.body["spot_code"], "JMB-PSR-001");

    // Who closed a day is a username.
    let closed = app
        .post(
            "/api/v1/reconciliation/daily/2026-01-05/close",
            &city.admin,
            json!({}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    let username = closed.body["closed_by"].as_str().unwrap().to_owned();
    assert!(
        username.starts_with("admin"),
        "a username, not staff:<id>: {username}"
    );
    let report = app
        .get("/api/v1/reconciliation/daily?date=2026-01-05", &city.admin)
        .await;
    assert_eq!(report.body["closed_by"], username.as_str());
}

/// Three open alerts of a spot, as evaluation would store them.
fn three_alerts(app: &TestApp, spot: i64) -> Vec<i64> {
    use diesel::prelude::*;
    let mut conn = app.db.conn();
    (1..=3)
        .map(|d| {
            diesel::sql_query(format!(
                "INSERT INTO alerts (kind, severity, spot_id, subject_id, business_date, evidence, detected_at)
                 VALUES ('qr_silence', 'medium', {spot}, {spot}, '2026-11-0{d}', '{{}}', now()) RETURNING id"
            ))
            .get_result::<AlertId>(&mut conn)
            .unwrap()
            .id
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct AlertId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[actix_web::test]
async fn alerts_are_triaged_in_bulk_all_or_nothing() {
    let app = spawn_app().await;
    let city = app.city().build().await;
    let ids = three_alerts(&app, city.spots[0]);
    let supervisor = app.staff_token("supervisor").await;
    let missing = app
        .patch(
            "/api/v1/alerts",
            &supervisor,
            json!({"ids": [ids[0], 999_999], "status": "acknowledged"}),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert!(missing.body["detail"].as_str().unwrap().contains("999999"));
    let open = app.get("/api/v1/alerts?status=open", &supervisor).await;
    assert_eq!(
        open.body["items"].as_array().unwrap().len(),
        3,
        "nothing changed"
    );

    let done = app
        .patch(
            "/api/v1/alerts",
            &supervisor,
            json!({"ids": ids, "status": "resolved", "note": "Sudah dicek di lapangan"}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["updated"], 3);
    for item in done.body["items"].as_array().unwrap() {
        assert_eq!(item["status"], "resolved");
        assert_eq!(
            item["spot_code"], "JMB-PSR-001",
            "named, as the list names them"
        );
        assert_eq!(item["notes"][0]["text"], "Sudah dicek di lapangan");
        assert_ne!(item["notes"][0]["by"], "", "signed");
    }
    let empty = app
        .patch(
            "/api/v1/alerts",
            &supervisor,
            json!({"ids": [], "status": "open"}),
        )
        .await;
    assert_eq!(empty.status, 400);
    assert_eq!(empty.error_field(), "ids");
    let auditor = app.staff_token("auditor").await;
    assert_eq!(
        app.patch(
            "/api/v1/alerts",
            &auditor,
            json!({"ids": ids, "status": "open"})
        )
        .await
        .status,
        403
    );
}

#[actix_web::test]
async fn warning_letters_are_a_register_naming_the_spots() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    let city = app
        .city()
        .on_duty_since("2026-01-01T00:00:00+07:00")
        .build()
        .await;
    let attendant = city.attendants[0];
    let alert: AlertId = diesel::sql_query(format!(
        "INSERT INTO alerts (kind, severity, attendant_id, subject_id, business_date, evidence, detected_at)
         VALUES ('shortfall_streak', 'medium', {attendant}, {attendant}, '2026-11-03',
                 '{{\"from\": \"2026-11-01\", \"total_shortfall\": 90000, \"days\": []}}', now()) RETURNING id"
    ))
    .get_result(&mut app.db.conn())
    .unwrap();
    let letter = app
        .post(
            &format!("/api/v1/attendants/{attendant}/warning-letters"),
            &city.admin,
            json!({"level": "SP1", "alert_id": alert.id}),
        )
        .await;
    assert_eq!(letter.status, 201, "{}", letter.body);
    assert!(
        letter.body["issued_by"]
            .as_str()
            .unwrap()
            .starts_with("admin")
    );

    let auditor = app.staff_token("auditor").await;
    let register = app
        .get(
            &format!("/api/v1/warning-letters?attendant_id={attendant}"),
            &auditor,
        )
        .await;
    assert_eq!(register.status, 200, "{}", register.body);
    let item = &register.body["items"][0];
    assert_eq!(item["number"], letter.body["number"]);
    assert_eq!(item["level"], "SP1");
    assert_eq!(item["attendant_name"], "Jukir Uji");
    assert_eq!(item["spots"], json!(["JMB-PSR-001"]));
    assert_eq!(item["total_shortfall"], 90000);
    let year = &item["issued_on"].as_str().unwrap()[..4];
    let same_year = app
        .get(&format!("/api/v1/warning-letters?year={year}"), &auditor)
        .await;
    assert_eq!(same_year.body["items"].as_array().unwrap().len(), 1);
    let other_year = app.get("/api/v1/warning-letters?year=2001", &auditor).await;
    assert_eq!(other_year.body["items"].as_array().unwrap().len(), 0);
    let bad = app.get("/api/v1/warning-letters?year=abc", &auditor).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_field(), "year");
}

#[actix_web::test]
async fn an_edit_names_every_broken_field_at_once() {
    let app = spawn_app().await;
    // An edit lists every broken field too.
    let city = app.city().build().await;
    let admin = city.admin.clone();
    let edit = app
        .patch(
            &format!("/api/v1/zones/{}", city.zone_id),
            &admin,
            json!({"name": "", "attendant_share_bps": -1, "daily_target": -5}),
        )
        .await;
    assert_eq!(
        fields(&edit),
        ["name", "attendant_share_bps", "daily_target"]
    );
    let spot = app
        .patch(
            &format!("/api/v1/spots/{}", city.spots[0]),
            &admin,
            json!({"name": "", "latitude": 99.0, "longitude": 0.0}),
        )
        .await;
    assert_eq!(fields(&spot), ["name", "latitude", "longitude"]);
}
