//! SPEC §15: bagi hasil — the city pays each attendant their share of non-cash money, the
//! attendant owes the city its share of the cash they kept, and every run has two hands on it.

use chrono::DateTime;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with, with_gateways};

const SINCE: &str = "2026-01-01T00:00:00+07:00";

/// A cash ticket at a fixed instant, as the phone would record it then.
fn cash(app: &TestApp, attendant_id: i64, class: &str, at: &str) {
    let mut conn = app.db.conn();
    let ticket = parkir::services::cash::CashTicket {
        attendant_id,
        vehicle_class: class,
        paid_at: DateTime::parse_from_rfc3339(at).unwrap().to_utc(),
        txn_id: None,
        client_ref: None,
    };
    parkir::services::cash::record(&mut conn, &ticket, chrono_tz::Asia::Jakarta).unwrap();
}

async fn close(app: &TestApp, admin: &str, date: &str) {
    let r = app
        .post(
            &format!("/api/v1/reconciliation/daily/{date}/close"),
            admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

fn line(run: &Value, attendant: i64) -> &Value {
    run["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["attendant_id"] == attendant)
        .unwrap_or_else(|| panic!("no line for {attendant} in {run}"))
}

/// Two attendants on two spots; A is paid by QRIS and has an account, B takes cash.
async fn two_weeks(app: &TestApp) -> (String, i64, i64) {
    let city = app
        .city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .on_duty_since(SINCE)
        .build()
        .await;
    let (a, b) = (city.attendants[0], city.attendants[1]);
    // 2 Nov: A two motorcycles by QRIS (Rp4.000 → share Rp2.400); B two cars in cash.
    app.pay("N-A-1", "JMBPSR001", "2000.00", "2026-11-02T08:00:00+07:00")
        .await;
    app.pay("N-A-2", "JMBPSR001", "2000.00", "2026-11-02T09:00:00+07:00")
        .await;
    cash(app, b, "car", "2026-11-02T10:00:00+07:00");
    cash(app, b, "car", "2026-11-02T11:00:00+07:00");
    // 3 Nov: A one car in cash (the city's 40% is Rp1.200).
    cash(app, a, "car", "2026-11-03T10:00:00+07:00");
    let admin = city.admin;
    // B paid Rp1.000 in on 3 Nov.
    let deposit = app
        .post(
            "/api/v1/cash-deposits",
            &admin,
            json!({"attendant_id": b, "amount": 1000, "deposited_at": "2026-11-03T16:00:00+07:00", "reference": "STR-001"}),
        )
        .await;
    assert_eq!(deposit.status, 201, "{}", deposit.body);
    assert_eq!(deposit.body["business_date"], "2026-11-03");
    let account = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/attendants/{a}/payout-account"),
            Some(&admin),
            Some(&json!({"bank_code": "002", "account_number": "0123456789", "account_name": "JUKIR A"})),
        )
        .await;
    assert_eq!(account.status, 200, "{}", account.body);
    (admin, a, b)
}

#[actix_web::test]
async fn a_run_pays_shares_takes_cash_and_carries_the_rest() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, a, b) = two_weeks(&app).await;
    let supervisor = app.staff_token("supervisor").await;

    // Every day must be closed; the first open one is named.
    close(&app, &admin, "2026-11-02").await;
    let open = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-02", "to": "2026-11-03"}),
        )
        .await;
    assert_eq!(open.status, 409, "{}", open.body);
    assert!(open.body["detail"].as_str().unwrap().contains("2026-11-03"));
    close(&app, &admin, "2026-11-03").await;
    let backwards = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-03", "to": "2026-11-02"}),
        )
        .await;
    assert_eq!(backwards.status, 400);
    assert_eq!(backwards.error_field(), "to");

    let run = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-02", "to": "2026-11-03"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.body);
    let run = run.body;
    assert_eq!(run["status"], "draft");
    let la = line(&run, a);
    assert_eq!(la["noncash_share"], 2400);
    assert_eq!(la["cash_city_share"], 1200);
    assert_eq!(la["net"], 1200);
    assert_eq!(la["payable"], 1200);
    assert_eq!(la["status"], "payable");
    let lb = line(&run, b);
    assert_eq!(lb["cash_city_share"], 2400, "40% of Rp6.000");
    assert_eq!(lb["deposits"], 1000);
    assert_eq!(lb["net"], -1400);
    assert_eq!(lb["carried_out"], -1400);
    assert_eq!(lb["status"], "owes");
    assert_eq!(run["totals"]["payable"], 1200);
    assert_eq!(run["totals"]["net"], -200);
    let id = run["id"].as_i64().unwrap();

    // One draft at a time; a supervisor cannot approve; the transfer file waits for approval.
    let second = app
        .post(
            "/api/v1/payouts",
            &admin,
            json!({"from": "2026-11-04", "to": "2026-11-04"}),
        )
        .await;
    assert_eq!(second.status, 409);
    assert_eq!(
        app.post(
            &format!("/api/v1/payouts/{id}/approve"),
            &supervisor,
            json!({})
        )
        .await
        .status,
        403
    );
    let early = app
        .get(&format!("/api/v1/payouts/{id}/transfer.csv"), &admin)
        .await;
    assert_eq!(early.status, 409);
    let approved = app
        .post(&format!("/api/v1/payouts/{id}/approve"), &admin, json!({}))
        .await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert_eq!(approved.body["status"], "approved");

    // The bank's file: one row per payable line, summing to the run's payable total.
    let file = app
        .text(&format!("/api/v1/payouts/{id}/transfer.csv"), Some(&admin))
        .await;
    let mut rows = file.lines();
    assert_eq!(
        rows.next().unwrap(),
        "bank_code,account_number,account_name,amount,reference"
    );
    assert_eq!(
        rows.next().unwrap(),
        format!("002,0123456789,JUKIR A,1200,PRK-{id}-{a}")
    );
    assert_eq!(rows.next(), None);

    // A day in a live run cannot be taken again.
    let again = app
        .post(
            "/api/v1/payouts",
            &admin,
            json!({"from": "2026-11-03", "to": "2026-11-03"}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains("2026-11-03"),
        "{}",
        again.body
    );

    // A payment for 2 Nov arriving late goes to the next run, never into the approved one; B's
    // debt is carried in.
    app.pay(
        "N-A-LATE",
        "JMBPSR001",
        "2000.00",
        "2026-11-02T12:00:00+07:00",
    )
    .await;
    cash(&app, b, "motorcycle", "2026-11-04T09:00:00+07:00");
    close(&app, &admin, "2026-11-04").await;
    let next = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-04", "to": "2026-11-04"}),
        )
        .await;
    assert_eq!(next.status, 201, "{}", next.body);
    let next = next.body;
    assert_eq!(line(&next, a)["noncash_share"], 1200, "the late Rp2.000");
    assert_eq!(line(&next, b)["carried_in"], -1400);
    assert_eq!(line(&next, b)["cash_city_share"], 800);
    assert_eq!(line(&next, b)["net"], -2200);
    let first = app.get(&format!("/api/v1/payouts/{id}"), &admin).await;
    assert_eq!(
        line(&first.body, a)["payable"],
        1200,
        "an approved run never changes"
    );

    // Paid: the bank's reference on the payable line makes the run paid.
    let paid = app
        .post(
            &format!("/api/v1/payouts/{id}/paid"),
            &admin,
            json!({"lines": [{"attendant_id": a, "bank_reference": "TRF-0001"}]}),
        )
        .await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    assert_eq!(paid.body["status"], "paid");
    let wrong = app
        .post(
            &format!("/api/v1/payouts/{}/paid", next["id"]),
            &admin,
            json!({"lines": [{"attendant_id": b, "bank_reference": "X"}]}),
        )
        .await;
    assert_eq!(wrong.status, 409, "a draft is not paid");

    // The attendant's statements: approved and paid runs only, newest first.
    let token = app.attendant_token("081274000001").await;
    let mine = app.get("/api/v1/me/payouts", &token).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the draft is not shown: {items:?}");
    assert_eq!(items[0]["run_status"], "paid");
    assert_eq!(items[0]["payable"], 1200);
    assert_eq!(items[0]["from"], "2026-11-02");
    assert_eq!(items[0]["account_number"], "******6789");
}

#[actix_web::test]
async fn the_creator_of_a_run_cannot_approve_it_and_a_cancelled_run_gives_its_days_back() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, a, _) = two_weeks(&app).await;
    close(&app, &admin, "2026-11-02").await;
    let run = app
        .post(
            "/api/v1/payouts",
            &admin,
            json!({"from": "2026-11-02", "to": "2026-11-02"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.body);
    let id = run.body["id"].as_i64().unwrap();
    let own = app
        .post(&format!("/api/v1/payouts/{id}/approve"), &admin, json!({}))
        .await;
    assert_eq!(own.status, 403, "four eyes: {}", own.body);
    let cancelled = app
        .post(&format!("/api/v1/payouts/{id}/cancel"), &admin, json!({}))
        .await;
    assert_eq!(cancelled.status, 200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(
        app.post(&format!("/api/v1/payouts/{id}/cancel"), &admin, json!({}))
            .await
            .status,
        409
    );
    let retaken = app
        .post(
            "/api/v1/payouts",
            &admin,
            json!({"from": "2026-11-02", "to": "2026-11-02"}),
        )
        .await;
    assert_eq!(retaken.status, 201, "{}", retaken.body);
    assert_eq!(
        line(&retaken.body, a)["noncash_share"],
        2400,
        "the payments came back"
    );
    let other_admin = app.staff_token("admin").await;
    let ok = app
        .post(
            &format!("/api/v1/payouts/{}/approve", retaken.body["id"]),
            &other_admin,
            json!({}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[actix_web::test]
async fn two_runs_created_at_once_over_the_same_days_one_wins() {
    let app = spawn_app_with(with_gateways).await;
    let (admin, _, _) = two_weeks(&app).await;
    close(&app, &admin, "2026-11-02").await;
    close(&app, &admin, "2026-11-03").await;
    let body = json!({"from": "2026-11-02", "to": "2026-11-03"});
    let (x, y) = tokio::join!(
        app.post("/api/v1/payouts", &admin, body.clone()),
        app.post("/api/v1/payouts", &admin, body)
    );
    let mut statuses = [x.status, y.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{} {}", x.body, y.body);
    assert_eq!(app.count("payout_runs"), 1);
}

#[actix_web::test]
async fn accounts_and_deposits_refuse_bad_input_naming_the_field() {
    let app = spawn_app_with(with_gateways).await;
    let city = app.city().on_duty_since(SINCE).build().await;
    let a = city.attendants[0];
    let bad = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/attendants/{a}/payout-account"),
            Some(&city.admin),
            Some(&json!({"bank_code": "2", "account_number": "12345x7890", "account_name": ""})),
        )
        .await;
    assert_eq!(bad.status, 400);
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["bank_code", "account_number", "account_name"]);
    let unknown = app
        .send(
            reqwest::Method::PUT,
            "/api/v1/attendants/999999/payout-account",
            Some(&city.admin),
            Some(&json!({"bank_code": "002", "account_number": "0123456789", "account_name": "X"})),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let ok = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/attendants/{a}/payout-account"),
            Some(&city.admin),
            Some(&json!({"bank_code": "002", "account_number": "0123456789", "account_name": "JUKIR A"})),
        )
        .await;
    assert_eq!(ok.status, 200);
    let supervisor = app.staff_token("supervisor").await;
    let seen = app
        .get(&format!("/api/v1/attendants/{a}"), &supervisor)
        .await;
    assert_eq!(seen.body["payout_account"]["account_number"], "******6789");
    let by_admin = app
        .get(&format!("/api/v1/attendants/{a}"), &city.admin)
        .await;
    assert_eq!(
        by_admin.body["payout_account"]["account_number"],
        "0123456789"
    );
    assert_eq!(
        app.send(
            reqwest::Method::PUT,
            &format!("/api/v1/attendants/{a}/payout-account"),
            Some(&supervisor),
            Some(&json!({"bank_code": "002", "account_number": "0123456789", "account_name": "X"}))
        )
        .await
        .status,
        403
    );

    for (body, field) in [
        (
            json!({"attendant_id": a, "amount": 0, "deposited_at": "2026-11-03T16:00:00+07:00", "reference": "S"}),
            "amount",
        ),
        (
            json!({"attendant_id": a, "amount": 1000, "deposited_at": "2099-01-01T00:00:00+07:00", "reference": "S"}),
            "deposited_at",
        ),
        (
            json!({"attendant_id": a, "amount": 1000, "deposited_at": "2026-11-03T16:00:00+07:00", "reference": " "}),
            "reference",
        ),
    ] {
        let r = app
            .post("/api/v1/cash-deposits", &supervisor, body.clone())
            .await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_field(), field, "{body}");
    }
    let missing = app
        .post("/api/v1/cash-deposits", &supervisor,
            json!({"attendant_id": 999999, "amount": 1000, "deposited_at": "2026-11-03T16:00:00+07:00", "reference": "S"}))
        .await;
    assert_eq!(missing.status, 404);
    let body = json!({"attendant_id": a, "amount": 1000, "deposited_at": "2026-11-03T16:00:00+07:00", "reference": "STR-9"});
    assert_eq!(
        app.post("/api/v1/cash-deposits", &supervisor, body.clone())
            .await
            .status,
        201
    );
    let twice = app.post("/api/v1/cash-deposits", &supervisor, body).await;
    assert_eq!(twice.status, 409);
    assert_eq!(twice.error_field(), "reference");
    let listed = app
        .get(
            &format!("/api/v1/cash-deposits?attendant_id={a}&from=2026-11-03&to=2026-11-03"),
            &supervisor,
        )
        .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.count("cash_deposits"), 1);
}

#[actix_web::test]
async fn a_held_share_waits_for_an_account_and_a_refund_is_given_back_in_the_next_run() {
    let app = spawn_app_with(with_gateways).await;
    let city = app
        .city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .on_duty_since(SINCE)
        .build()
        .await;
    let admin = city.admin.clone();
    let (a, b) = (city.attendants[0], city.attendants[1]);
    let supervisor = app.staff_token("supervisor").await;
    // 2 Nov: B (no account yet) three motorcycles by QRIS; A one car by QRIS.
    for (txn, hour) in [("H-1", 8), ("H-2", 9), ("H-3", 10)] {
        app.pay(
            txn,
            "JMBPSR002",
            "2000.00",
            &format!("2026-11-02T{hour:02}:00:00+07:00"),
        )
        .await;
    }
    app.pay("R-1", "JMBPSR001", "3000.00", "2026-11-02T08:30:00+07:00")
        .await;
    close(&app, &admin, "2026-11-02").await;
    let first = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-02", "to": "2026-11-02"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let lb = line(&first.body, b);
    assert_eq!(
        (lb["net"].as_i64(), lb["payable"].as_i64()),
        (Some(3600), Some(0))
    );
    assert_eq!(lb["carried_out"], 3600);
    assert_eq!(lb["status"], "held");
    assert_eq!(
        line(&first.body, a)["status"],
        "held",
        "A has no account either"
    );
    let id = first.body["id"].as_i64().unwrap();
    assert_eq!(
        app.post(&format!("/api/v1/payouts/{id}/approve"), &admin, json!({}))
            .await
            .status,
        200
    );
    let file = app
        .text(&format!("/api/v1/payouts/{id}/transfer.csv"), Some(&admin))
        .await;
    assert_eq!(
        file.lines().count(),
        1,
        "no payable line, only the header: {file}"
    );

    // B's account is recorded; A's car payment is refunded by the gateway after the approval.
    let account = app
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/attendants/{b}/payout-account"),
            Some(&admin),
            Some(&json!({"bank_code": "009", "account_number": "987654321", "account_name": "JUKIR B"})),
        )
        .await;
    assert_eq!(account.status, 200);
    {
        use diesel::prelude::*;
        // The refund as a gateway's status update lands it (tests/api/callbacks.rs drives that
        // path); here only its effect on the payout matters.
        diesel::sql_query("UPDATE payments SET status = 'refunded' WHERE gateway_txn_id = 'R-1'")
            .execute(&mut app.db.conn())
            .unwrap();
    }
    close(&app, &admin, "2026-11-03").await;
    let second = app
        .post(
            "/api/v1/payouts",
            &supervisor,
            json!({"from": "2026-11-03", "to": "2026-11-03"}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    let lb = line(&second.body, b);
    assert_eq!(lb["carried_in"], 3600);
    assert_eq!(lb["payable"], 3600, "held until an account, then paid");
    assert_eq!(lb["status"], "payable");
    let la = line(&second.body, a);
    assert_eq!(
        la["noncash_share"], -1800,
        "60% of the refunded Rp3.000, given back"
    );
    assert_eq!(la["carried_in"], 1800);
    assert_eq!(la["net"], 0);
    assert_eq!(la["status"], "settled");
    let again = app.get(&format!("/api/v1/payouts/{id}"), &admin).await;
    assert_eq!(
        line(&again.body, a)["noncash_share"],
        1800,
        "the approved run is unchanged"
    );
}
