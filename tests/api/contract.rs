//! Where the exact text is the contract, a snapshot holds it (`insta`; the files are in
//! `tests/api/snapshots/`, reviewed with `cargo insta review` or by reading the diff): the
//! problem bodies a client shows a clerk, and the exports an office opens in Excel.

use insta::{assert_json_snapshot, assert_snapshot};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_with, with_gateways};

/// A business day well in the past: nothing here depends on today's date.
const DAY: &str = "2026-11-10";

/// Status and problem body of one request, as a client sees them.
fn problem(status: u16, body: Value) -> Value {
    json!({"status": status, "body": body})
}

#[actix_web::test]
async fn problem_bodies_name_the_field_and_the_rule() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let auditor = app.staff_token("auditor").await;

    let invalid = app
        .post(
            "/api/v1/zones",
            &admin,
            json!({"code": "psr 1", "name": "", "district": "Pasar", "merchant_account_id": 1,
                   "tariffs": {"motorcycle": -5}, "attendant_share_bps": 10001, "daily_target": 60000}),
        )
        .await;
    assert_json_snapshot!("400_invalid_fields", problem(invalid.status, invalid.body));

    let anonymous = app.send(Method::GET, "/api/v1/payments", None, None).await;
    assert_json_snapshot!("401_no_token", problem(anonymous.status, anonymous.body));

    let forbidden = app.post("/api/v1/zones", &auditor, json!({})).await;
    assert_json_snapshot!("403_role", problem(forbidden.status, forbidden.body));

    let missing = app.get("/api/v1/spots/424242", &admin).await;
    assert_json_snapshot!("404_unknown_id", problem(missing.status, missing.body));

    let method = app
        .send(Method::DELETE, "/api/v1/zones", Some(&admin), None)
        .await;
    let allow = method
        .headers
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_json_snapshot!(
        "405_method",
        json!({"allow": allow, "problem": problem(method.status, method.body)})
    );

    let path = format!("/api/v1/reconciliation/daily/{DAY}/close");
    assert_eq!(app.post(&path, &admin, json!({})).await.status, 200);
    let twice = app.post(&path, &admin, json!({})).await;
    assert_json_snapshot!("409_closed_twice", problem(twice.status, twice.body));
}

#[actix_web::test]
async fn the_indonesian_csv_of_a_day_is_what_excel_opens() {
    let app = spawn_app_with(with_gateways).await;
    let city = app
        .city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .on_duty_since("2026-11-01T00:00:00+07:00")
        .build()
        .await;
    app.pay("X-1", "JMBPSR001", "2000.00", "2026-11-10T09:00:00+07:00")
        .await;
    app.pay("X-2", "JMBPSR001", "3000.00", "2026-11-10T10:00:00+07:00")
        .await;
    app.pay("X-3", "JMBPSR002", "2500.00", "2026-11-10T11:00:00+07:00")
        .await;
    let csv = app
        .text(
            &format!("/api/v1/reconciliation/daily.csv?date={DAY}&lang=id"),
            Some(&city.admin),
        )
        .await;
    assert_snapshot!("daily_csv_id", csv);
}
