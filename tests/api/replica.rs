//! Reports read from a standby (SPEC §18). The "standby" is the test's own database reached
//! through sessions that may not write (`default_transaction_read_only=on`): a write there
//! fails as it would on a real standby, so what it served was a pure read.

use chrono::NaiveDate;
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};

use crate::helpers::{JWT_SECRET, TestApp, settings, spawn_app_with, with_gateways};
use crate::reports::october;

/// The test database as a read-only "standby".
fn read_only(url: &str) -> String {
    format!("{url}?options=-c%20default_transaction_read_only%3Don")
}

/// A second server on the same database with no read standby: the primary answers everything.
fn primary_only(app: &TestApp) -> String {
    let mut s = settings(&app.db.url);
    with_gateways(&mut s);
    let server = parkir::startup::Application::build(&s, &SecretString::from(JWT_SECRET))
        .expect("build application");
    let address = format!("http://127.0.0.1:{}", server.port());
    actix_web::rt::spawn(server.run_until_stopped());
    address
}

/// A counter or gauge of `/metrics` (0 when absent).
async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app.text("/metrics", None).await;
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().unwrap())
        .unwrap_or(0.0)
}

const STANDBY: &str = "parkir_read_replica_reads_total{pool=\"standby\"}";
const PRIMARY: &str = "parkir_read_replica_reads_total{pool=\"primary\"}";

/// The dates whose roll-ups are stored.
fn stored_rollups(app: &TestApp) -> Vec<NaiveDate> {
    use diesel::sql_types::Date;
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = Date)]
        business_date: NaiveDate,
    }
    diesel::sql_query("SELECT business_date FROM day_rollup_dates ORDER BY 1")
        .load::<Stored>(&mut app.db.conn())
        .unwrap()
        .into_iter()
        .map(|s| s.business_date)
        .collect()
}

async fn get(client: &reqwest::Client, url: &str, token: &str) -> (u16, Vec<u8>) {
    let res = client.get(url).bearer_auth(token).send().await.unwrap();
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

/// Reports of past periods and their exports, as JSON or text (workbooks carry the print time).
fn reads(zone_id: i64) -> Vec<String> {
    vec![
        "/api/v1/reports/series?from=2026-10-01&to=2026-10-31".into(),
        "/api/v1/reports/monthly?month=2026-10".into(),
        "/api/v1/reports/monthly.csv?month=2026-10&lang=id".into(),
        "/api/v1/reconciliation/daily?date=2026-10-21".into(),
        "/api/v1/reconciliation/daily.csv?date=2026-10-21".into(),
        // Closed, with a late payment as its adjustment.
        "/api/v1/reconciliation/daily?date=2026-10-16".into(),
        format!("/api/v1/reconciliation/daily?date=2026-10-03&zone_id={zone_id}"),
    ]
}

async fn zone_of(app: &TestApp, admin: &str) -> i64 {
    app.get("/api/v1/zones", admin).await.body["items"][0]["id"]
        .as_i64()
        .unwrap()
}

#[actix_web::test]
async fn reports_of_past_periods_are_read_from_the_standby_and_write_nothing() {
    let app = spawn_app_with(|s| {
        with_gateways(s);
        s.read_database_url = Some(SecretString::from(read_only(
            s.database_url.expose_secret(),
        )));
    })
    .await;
    let (admin, _, _) = october(&app).await;
    let zone_id = zone_of(&app, &admin).await;
    let reads = reads(zone_id);
    let stored = stored_rollups(&app);
    let before = metric(&app, STANDBY).await;

    let mut from_standby = Vec::new();
    for path in &reads {
        let (status, body) = get(&app.client, &app.url(path), &admin).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        from_standby.push(body);
    }
    for path in [
        "/api/v1/reports/monthly.xlsx?month=2026-10".to_owned(),
        format!("/api/v1/reconciliation/daily.xlsx?date=2026-10-21&zone_id={zone_id}"),
    ] {
        let (status, _) = get(&app.client, &app.url(&path), &admin).await;
        assert_eq!(status, 200, "{path}");
    }
    // Every read on the standby (a zone's workbook reads its zone too), none fell back.
    assert_eq!(
        metric(&app, STANDBY).await - before,
        (reads.len() + 3) as f64
    );
    assert_eq!(metric(&app, PRIMARY).await, 0.0);
    // Not in recovery: no lag.
    let text = app.text("/metrics", None).await;
    assert!(
        text.contains("\nparkir_read_replica_lag_seconds 0\n"),
        "{text}"
    );
    // The days computed on the standby left no roll-up behind.
    assert_eq!(
        stored_rollups(&app),
        stored,
        "nothing written through the standby"
    );

    // The same figures as the primary's, which stores the roll-ups it computes.
    let primary = primary_only(&app);
    for (path, standby) in reads.iter().zip(&from_standby) {
        let (status, body) = get(&app.client, &format!("{primary}{path}"), &admin).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(standby),
            "{path}"
        );
    }
    let now_stored = stored_rollups(&app);
    assert!(
        now_stored.contains(&NaiveDate::from_ymd_opt(2026, 10, 21).unwrap()),
        "{now_stored:?}"
    );
    // Stored roll-ups read on the standby: the same again.
    let (_, again) = get(&app.client, &app.url(&reads[3]), &admin).await;
    assert_eq!(again, from_standby[3]);

    // A day not ended is the primary's; closing a day writes, on the primary.
    let standby_reads = metric(&app, STANDBY).await;
    let future = app
        .get("/api/v1/reconciliation/daily?date=2099-01-01", &admin)
        .await;
    assert_eq!(future.status, 200, "{}", future.body);
    let close = app
        .post(
            "/api/v1/reconciliation/daily/2026-10-21/close",
            &admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(close.status, 200, "{}", close.body);
    assert_eq!(metric(&app, STANDBY).await, standby_reads);
    assert_eq!(metric(&app, PRIMARY).await, 0.0);
}

#[actix_web::test]
async fn reports_are_answered_by_the_primary_when_the_standby_is_unreachable() {
    let app = spawn_app_with(|s| {
        with_gateways(s);
        // Nothing listens on port 1.
        s.read_database_url = Some(SecretString::from("postgres://root@127.0.0.1:1/parkir"));
    })
    .await;
    let (admin, _, _) = october(&app).await;
    for path in &reads(0)[..4] {
        let (status, body) = get(&app.client, &app.url(path), &admin).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    }
    assert_eq!(metric(&app, STANDBY).await, 0.0);
    assert_eq!(metric(&app, PRIMARY).await, 4.0);
    assert_eq!(
        metric(
            &app,
            "parkir_read_replica_fallbacks_total{reason=\"unavailable\"}"
        )
        .await,
        4.0
    );
    let text = app.text("/metrics", None).await;
    assert!(!text.contains("parkir_read_replica_lag_seconds"), "{text}");
}
