//! Leakage alerts (SPEC §12) on a constructed history: six spots in October 2026, each with its
//! attendant on duty since 1 October and paid 6 times an hour through QRIS and twice in cash,
//! 07:00–17:00 WIB. The rules themselves are unit-tested (reconcile::alerts); these tests show
//! the records, the API, the job's tick and lock, letters and the webhook.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with, spot_body};

const WIB: chrono_tz::Tz = chrono_tz::Asia::Jakarta;

/// Six spots JMB-PSR-001…006 and their attendants on duty since 1 Oct 07:00 WIB; returns the
/// admin token and the spot ids in code order.
pub async fn city(app: &TestApp) -> (String, Vec<i64>) {
    let admin = app.admin_token().await;
    let (_, zone, first) = app.seed_zone_and_spot(&admin).await;
    let mut spots = vec![first];
    for n in 2..=6 {
        let r = app
            .post(
                &format!("/api/v1/zones/{zone}/spots"),
                &admin,
                spot_body(&format!("JMB-PSR-00{n}")),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        spots.push(r.body["id"].as_i64().unwrap());
    }
    for (i, spot) in spots.iter().enumerate() {
        let a = app.insert_attendant(
            &format!("157101050585000{i}"),
            &format!("08127400000{i}"),
            &format!("KTA-{i}"),
        );
        let r = app
            .post(
                &format!("/api/v1/attendants/{a}/assignments"),
                &admin,
                json!({"spot_id": spot, "starts_at": "2026-10-01T07:00:00+07:00"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    (admin, spots)
}

/// Payments from `first` to `last` (WIB dates), 07:00–17:00: non-cash at :05 :15 … :55 and cash
/// at :02 and :32 every hour, except where `skip` (a SQL condition on `s.code`, `d` and `h`)
/// says a non-cash one did not come, and where `skip_all` says nothing came.
pub fn history(app: &TestApp, first: &str, last: &str, skip: &str) {
    history_with(app, first, last, skip, "false")
}

pub fn history_with(app: &TestApp, first: &str, last: &str, skip: &str, skip_all: &str) {
    let mut conn = app.db.conn();
    conn.batch_execute(&format!(
        "INSERT INTO payments (gateway, gateway_txn_id, source, terminal_id, amount, paid_at,
                               business_date, status, spot_id, attendant_id)
         SELECT CASE WHEN cash THEN 'cash' ELSE 'snap' END,
                format('T-%s-%s-%s-%s', s.id, d::date, h, m),
                CASE WHEN cash THEN 'cash' ELSE 'callback' END, s.terminal_id, 2000,
                (d::date + make_interval(hours => h, mins => m)) AT TIME ZONE 'Asia/Jakarta',
                d::date, 'paid', s.id, a.attendant_id
         FROM spots s JOIN assignments a ON a.spot_id = s.id,
              generate_series('{first}'::date, '{last}'::date, '1 day') d,
              generate_series(7, 16) h,
              unnest(ARRAY[2, 5, 15, 25, 32, 35, 45, 55]) m,
              LATERAL (SELECT m IN (2, 32) AS cash) c
         WHERE (cash OR NOT ({skip})) AND NOT ({skip_all})"
    ))
    .expect("insert history");
}

async fn alerts(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/alerts{query}"), token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

fn kinds(items: &[Value]) -> Vec<(String, Option<i64>, Option<i64>)> {
    let mut k: Vec<_> = items
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_owned(),
                a["spot_id"].as_i64(),
                a["attendant_id"].as_i64(),
            )
        })
        .collect();
    k.sort();
    k
}

#[actix_web::test]
async fn a_swap_raises_silence_and_drop_for_that_spot_only_once() {
    let app = spawn_app().await;
    let (admin, spots) = city(&app).await;
    // 12 Oct: JMB-PSR-003's non-cash stops at 09:00, its cash goes on.
    history(
        &app,
        "2026-10-01",
        "2026-10-12",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-12' AND h >= 9",
    );
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, json!({"opened": 2}));
    let items = alerts(&app, &admin, "").await;
    let swapped = Some(spots[2]);
    assert_eq!(
        kinds(&items),
        vec![
            ("noncash_drop".into(), swapped, None),
            ("qr_silence".into(), swapped, None)
        ]
    );
    let silence = items.iter().find(|a| a["kind"] == "qr_silence").unwrap();
    assert_eq!(silence["severity"], "high");
    assert_eq!(silence["status"], "open");
    assert_eq!(silence["business_date"], "2026-10-12");
    let e = &silence["evidence"];
    assert_eq!(e["silent_from"], "08:56");
    assert_eq!(e["observed"], 0);
    assert_eq!(e["baseline_days"], 11);
    assert!(e["alert_from"].as_str().unwrap() < "12:00", "{e}");
    let drop = items.iter().find(|a| a["kind"] == "noncash_drop").unwrap();
    assert_eq!(drop["evidence"]["observed"], 12);
    let expected = drop["evidence"]["expected"].as_f64().unwrap();
    assert!((55.0..=65.0).contains(&expected), "{expected}");
    assert!(
        drop["evidence"]["summary"]
            .as_str()
            .unwrap()
            .contains("12 pembayaran non-tunai")
    );

    // Evaluating the date again opens nothing new.
    let again = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(again.body, json!({"opened": 0}));
    assert_eq!(app.count("alerts"), 2);

    // Filters.
    let spot = spots[2];
    assert_eq!(
        alerts(&app, &admin, &format!("?spot_id={spot}&kind=qr_silence"))
            .await
            .len(),
        1
    );
    assert_eq!(alerts(&app, &admin, "?from=2026-10-13").await.len(), 0);
    assert_eq!(alerts(&app, &admin, "?status=resolved").await.len(), 0);
    let page = app.get("/api/v1/alerts?limit=1", &admin).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    let next = page.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/alerts?limit=1&cursor={next}"), &admin)
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    assert!(rest.body["next_cursor"].is_null());
    for (query, field) in [
        ("?kind=swap", "kind"),
        ("?status=closed", "status"),
        ("?from=12-10-2026", "from"),
        ("?limit=0", "limit"),
    ] {
        let r = app.get(&format!("/api/v1/alerts{query}"), &admin).await;
        assert_eq!(r.status, 400, "{query}: {}", r.body);
        assert_eq!(r.error_field(), field, "{query}");
    }
}

#[actix_web::test]
async fn a_normal_day_and_too_little_history_alert_nothing() {
    let app = spawn_app().await;
    let (admin, _) = city(&app).await;
    history(&app, "2026-10-01", "2026-10-12", "false");
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(r.body, json!({"opened": 0}), "a normal day");

    // Six days of history, then a full swap from the morning: too little to judge.
    let app = spawn_app().await;
    let (admin, _) = city(&app).await;
    history(
        &app,
        "2026-10-01",
        "2026-10-07",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-07'",
    );
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-07", &admin, json!({}))
        .await;
    assert_eq!(r.body, json!({"opened": 0}), "six days of history");
    let r = app.post("/api/v1/alerts/evaluate", &admin, json!({})).await;
    assert_eq!((r.status, r.error_field()), (400, "date"));
}

#[actix_web::test]
async fn supervisors_triage_with_notes_and_auditors_only_read() {
    let app = spawn_app().await;
    let (admin, _) = city(&app).await;
    history(
        &app,
        "2026-10-01",
        "2026-10-12",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-12' AND h >= 9",
    );
    app.post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    let id = alerts(&app, &admin, "?kind=qr_silence").await[0]["id"]
        .as_i64()
        .unwrap();
    let supervisor = app.staff_token("supervisor").await;
    let auditor = app.staff_token("auditor").await;
    let path = format!("/api/v1/alerts/{id}");
    let r = app
        .patch(
            &path,
            &supervisor,
            json!({"status": "acknowledged", "note": "Petugas ke lokasi."}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "acknowledged");
    assert_eq!(r.body["notes"][0]["text"], "Petugas ke lokasi.");
    assert!(
        r.body["notes"][0]["by"]
            .as_str()
            .unwrap()
            .starts_with("supervisor")
    );
    let r = app
        .patch(
            &path,
            &supervisor,
            json!({"status": "resolved", "note": "Stiker QR palsu dicopot."}),
        )
        .await;
    assert_eq!(r.body["notes"].as_array().unwrap().len(), 2);
    assert_eq!(alerts(&app, &auditor, "?status=resolved").await.len(), 1);

    let r = app.patch(&path, &auditor, json!({"status": "open"})).await;
    assert_eq!(r.status, 403);
    let r = app
        .patch(&path, &supervisor, json!({"status": "closed"}))
        .await;
    assert_eq!((r.status, r.error_field()), (400, "status"));
    let r = app.patch(&path, &supervisor, json!({})).await;
    assert_eq!(r.status, 400);
    let r = app
        .patch(
            "/api/v1/alerts/999999",
            &supervisor,
            json!({"status": "open"}),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .post(
            "/api/v1/alerts/evaluate?date=2026-10-12",
            &supervisor,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403, "evaluating is the admin's");
    // Nothing the refused requests sent changed the alert.
    let now = alerts(&app, &admin, "?kind=qr_silence").await;
    assert_eq!(now[0]["status"], "resolved");
    assert_eq!(now[0]["notes"].as_array().unwrap().len(), 2);
}

fn at(wib: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(wib)
        .unwrap()
        .with_timezone(&Utc)
}

#[actix_web::test]
async fn the_job_ticks_once_per_lock_and_evaluates_yesterday_once() {
    let app = spawn_app().await;
    city(&app).await;
    history(
        &app,
        "2026-10-01",
        "2026-10-12",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-12' AND h >= 9",
    );
    // Another server evaluating: this one skips its tick and stores nothing.
    let mut holder = app.db.conn();
    diesel::sql_query(format!(
        "SELECT pg_advisory_lock({})",
        parkir::db::alerts::EVALUATION_LOCK_OF_CITY
    ))
    .execute(&mut holder)
    .unwrap();
    let mut conn = app.db.conn();
    let noon = at("2026-10-12T11:45:00+07:00");
    let t = parkir::services::alerts::tick(&mut conn, noon, WIB).unwrap();
    assert!(t.skipped);
    assert_eq!(app.count("alerts"), 0);
    diesel::sql_query(format!(
        "SELECT pg_advisory_unlock({})",
        parkir::db::alerts::EVALUATION_LOCK_OF_CITY
    ))
    .execute(&mut holder)
    .unwrap();

    // At 11:45 WIB the swap of 09:00 is a silence already; the day's drop waits for the day.
    let t = parkir::services::alerts::tick(&mut conn, noon, WIB).unwrap();
    assert!(!t.skipped);
    let opened: Vec<_> = t.opened.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(opened, vec!["qr_silence"]);
    // After midnight: yesterday's day signals, once.
    let after = at("2026-10-13T00:20:00+07:00");
    let t = parkir::services::alerts::tick(&mut conn, after, WIB).unwrap();
    let opened: Vec<_> = t.opened.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(opened, vec!["noncash_drop"]);
    let t = parkir::services::alerts::tick(&mut conn, after, WIB).unwrap();
    assert!(t.opened.is_empty());
    // 11 Oct (at the first tick) and 12 Oct.
    assert_eq!(app.count("alert_runs"), 2);
}

/// Attendant 0 (JMB-PSR-001) falls short of the zone's target on 10–12 Oct.
fn streak_history(app: &TestApp) {
    history_with(
        app,
        "2026-10-01",
        "2026-10-12",
        "false",
        "s.code = 'JMB-PSR-001' AND d >= '2026-10-10' AND h >= 9",
    );
}

#[actix_web::test]
async fn a_shortfall_streak_becomes_an_sp1_and_an_sp2_needs_an_sp1() {
    let app = spawn_app().await;
    let (admin, _) = city(&app).await;
    streak_history(&app);
    for day in ["2026-10-10", "2026-10-11", "2026-10-12"] {
        let r = app
            .post(
                &format!("/api/v1/alerts/evaluate?date={day}"),
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let streaks = alerts(&app, &admin, "?kind=shortfall_streak").await;
    assert_eq!(streaks.len(), 1, "one alert per streak: {streaks:?}");
    let streak = &streaks[0];
    assert_eq!(streak["business_date"], "2026-10-12");
    assert_eq!(streak["evidence"]["from"], "2026-10-10");
    assert_eq!(streak["evidence"]["duty_days"], 3);
    let attendant = streak["attendant_id"].as_i64().unwrap();
    let alert_id = streak["id"].as_i64().unwrap();
    let path = format!("/api/v1/attendants/{attendant}/warning-letters");

    let r = app
        .post(&path, &admin, json!({"level": "SP2", "alert_id": alert_id}))
        .await;
    assert_eq!((r.status, r.error_field()), (400, "level"), "{}", r.body);
    let r = app
        .post(&path, &admin, json!({"level": "SP1", "alert_id": alert_id}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(
        r.body["number"]
            .as_str()
            .unwrap()
            .starts_with("001/SP1/DISHUB-PRK/")
    );
    assert_eq!(r.body["period_from"], "2026-10-10");
    assert_eq!(r.body["period_to"], "2026-10-12");
    let total: i64 = r.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["shortfall"].as_i64().unwrap())
        .sum();
    assert_eq!(r.body["total_shortfall"], total);
    assert!(total > 0);
    let r = app
        .post(&path, &admin, json!({"level": "SP1", "alert_id": alert_id}))
        .await;
    assert_eq!(r.status, 409, "one letter per alert");
    let r = app
        .post(&path, &admin, json!({"level": "SP3", "alert_id": alert_id}))
        .await;
    assert_eq!((r.status, r.error_field()), (400, "level"));
    let list = app.get(&path, &admin).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let supervisor = app.staff_token("supervisor").await;
    assert_eq!(app.get(&path, &supervisor).await.status, 403);
    assert_eq!(app.count("warning_letters"), 1);
}

#[actix_web::test]
async fn new_high_alerts_are_pushed_signed_and_retried() {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;
    let seen: Seen = Arc::default();
    let receiver = {
        let seen = seen.clone();
        HttpServer::new(move || {
            let seen = seen.clone();
            App::new().route(
                "/hook",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let seen = seen.clone();
                    async move {
                        let sig = req
                            .headers()
                            .get("x-parkir-signature")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned();
                        let mut s = seen.lock().unwrap();
                        s.push((sig, body.to_vec()));
                        // The first delivery fails: the sender must try again.
                        if s.len() == 1 {
                            HttpResponse::ServiceUnavailable().finish()
                        } else {
                            HttpResponse::Ok().finish()
                        }
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap()
    };
    let port = receiver.addrs()[0].port();
    actix_web::rt::spawn(receiver.run());
    let secret = "webhook-test-secret-of-32-bytes!";
    let app = spawn_app_with(|s| {
        s.alerts.webhook = Some((
            format!("http://127.0.0.1:{port}/hook"),
            secrecy::SecretString::from(secret),
        ))
    })
    .await;
    let (admin, _) = city(&app).await;
    history(
        &app,
        "2026-10-01",
        "2026-10-12",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-12' AND h >= 9",
    );
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(r.body, json!({"opened": 2}));
    // Two high alerts (the silence and a drop to a fifth), the first sent twice.
    let mut waited = 0;
    while seen.lock().unwrap().len() < 3 && waited < 200 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 1;
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{} deliveries", seen.len());
    assert_eq!(seen[0].1, seen[1].1, "the retry sends the same bytes");
    for (sig, body) in &seen {
        // t=<unix seconds>,v1=<HMAC over "<t>.<body>">: the time is part of what is signed.
        let t: i64 = sig
            .strip_prefix("t=")
            .and_then(|rest| rest.split(',').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no t= in {sig}"));
        assert_eq!(sig, &parkir::webhook::signature(secret.as_bytes(), t, body));
        assert_ne!(
            sig,
            &parkir::webhook::signature(secret.as_bytes(), t + 1, body)
        );
        let alert: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(alert["severity"], "high");
        assert!(alert["evidence"]["expected"].is_number());
    }
    // The secret is in no delivery.
    assert!(
        seen.iter()
            .all(|(_, b)| !String::from_utf8_lossy(b).contains(secret))
    );
}

#[actix_web::test]
async fn a_tick_without_a_database_is_an_error_to_log_not_a_panic() {
    // Nothing listens on port 1: the pool cannot connect.
    let pool = parkir::db::build_pool(
        "postgres://root@127.0.0.1:1/parkir",
        1,
        std::time::Duration::from_millis(300),
    );
    let t = parkir::jobs::alerts::run_once(&pool, WIB, at("2026-10-12T11:45:00+07:00"), None).await;
    match t {
        Err(parkir::error::ApiError::Unavailable(_)) => {}
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[actix_web::test]
async fn a_payment_no_settlement_covered_is_unsettled_once_a_later_day_is() {
    let app = spawn_app().await;
    let (admin, spots) = city(&app).await;
    // Only JMB-PSR-001 at 10:00–11:00 on 10 and 11 Oct: six non-cash payments a day.
    history_with(
        &app,
        "2026-10-10",
        "2026-10-11",
        "false",
        "s.code <> 'JMB-PSR-001' OR h <> 10",
    );
    let spot = spots[0];
    let txn = |day: &str, m: u32| format!("T-{spot}-{day}-10-{m}");
    // The bank settles five of the 10th and one of the 11th; 10:55 of the 10th never comes.
    let mut file = String::from("reference,paid_at,amount\n");
    for m in [5, 15, 25, 35, 45] {
        file.push_str(&format!(
            "{},2026-10-10 10:{m:02}:00,2000\n",
            txn("2026-10-10", m)
        ));
    }
    file.push_str(&format!(
        "{},2026-10-11 10:05:00,2000\n",
        txn("2026-10-11", 5)
    ));
    let r = app.post_csv(&admin, &file).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["counts"]["MATCHED"], 6, "{}", r.body);
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    // The unsettled payment; and the six attendants, on duty since the 1st with (almost)
    // nothing paid, who have never reached the target (SPEC §12: no history needed).
    assert_eq!(r.body, json!({"opened": 7}), "{}", r.body);
    assert_eq!(
        alerts(&app, &admin, "?kind=shortfall_streak").await.len(),
        6
    );
    let items = alerts(&app, &admin, "?kind=unsettled").await;
    assert_eq!(items.len(), 1);
    let a = &items[0];
    assert_eq!(a["severity"], "low");
    assert_eq!(a["business_date"], "2026-10-10");
    assert_eq!(a["evidence"]["gateway_txn_id"], txn("2026-10-10", 55));
    assert_eq!(a["evidence"]["settled_through"], "2026-10-11");
    assert!(a["payment_id"].is_i64());
    // The next evaluation of the date opens nothing again; a day whose later days are not
    // settled (the 11th, with nothing settled after it) raises nothing.
    let again = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(again.body, json!({"opened": 0}));
    let later = app
        .post("/api/v1/alerts/evaluate?date=2026-10-13", &admin, json!({}))
        .await;
    assert_eq!(later.body, json!({"opened": 0}));
}

/// SPEC §10: `parkir serve` refuses to start with a webhook secret under 32 bytes or a URL
/// that is not https (http only to a loopback host), and never repeats the URL's query.
#[test]
fn serve_refuses_a_weak_or_plain_webhook() {
    let run = |url: &str, secret: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_parkir"))
            .arg("serve")
            .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .env("PARKIR_JWT_SECRET", "0123456789abcdef0123456789abcdef")
            .env("PARKIR_BIND", "127.0.0.1:0")
            .env("PARKIR_ALERT_WEBHOOK_URL", url)
            .env("PARKIR_ALERT_WEBHOOK_SECRET", secret)
            .env_remove("PARKIR_CONFIG")
            .output()
            .expect("run parkir serve")
    };
    let long = "s".repeat(32);
    for (url, secret, key) in [
        (
            "http://hooks.example.go.id/in?token=rahasia-42",
            long.as_str(),
            "PARKIR_ALERT_WEBHOOK_URL",
        ),
        (
            "https://hooks.example.go.id/in?token=rahasia-42",
            "pendek",
            "PARKIR_ALERT_WEBHOOK_SECRET",
        ),
    ] {
        let out = run(url, secret);
        assert_eq!(out.status.code(), Some(2), "{url}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(key), "{said}");
        assert!(
            !said.contains("rahasia-42"),
            "the URL's token was printed: {said}"
        );
    }
}

/// A `gateway_silence` names the whole city, no spot, attendant or payment (SPEC §12): it is
/// stored like any other alert, and listed.
#[actix_web::test]
async fn a_city_wide_gateway_silence_is_stored_without_a_subject() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut conn = app.db.conn();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
    let stored = parkir::db::alerts::insert_alert(
        &mut conn,
        &parkir::db::alerts::NewAlert {
            kind: "gateway_silence",
            severity: "high",
            spot_id: None,
            attendant_id: None,
            payment_id: None,
            subject_id: 0,
            business_date: date,
            detected_at: DateTime::parse_from_rfc3339("2026-11-10T13:00:00+07:00")
                .unwrap()
                .to_utc(),
            evidence: json!({"from": "12:00", "to": "13:00"}),
        },
    )
    .expect("a city-wide alert is stored");
    assert!(stored.is_some());
    let listed = app
        .get(
            "/api/v1/alerts?kind=gateway_silence&from=2026-11-10&to=2026-11-10",
            &admin,
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    // Every other kind still names what it is about.
    let orphan = parkir::db::alerts::insert_alert(
        &mut conn,
        &parkir::db::alerts::NewAlert {
            kind: "qr_silence",
            severity: "high",
            spot_id: None,
            attendant_id: None,
            payment_id: None,
            subject_id: 1,
            business_date: date,
            detected_at: Utc::now(),
            evidence: json!({}),
        },
    );
    assert!(orphan.is_err());
}
