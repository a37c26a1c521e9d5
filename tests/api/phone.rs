//! SPEC §11.2: the attendant's phone on a weak signal — the day's list, the live stream, and
//! cash taps kept offline and sent later exactly once.

use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::spawn_app;

const SINCE: &str = "2026-01-01T00:00:00+07:00";

#[actix_web::test]
async fn a_cash_tap_sent_twice_with_one_client_ref_is_one_payment() {
    let app = spawn_app().await;
    app.city().on_duty_since(SINCE).build().await;
    let token = app.attendant_token("081274000001").await;
    let tapped = Utc::now() - Duration::hours(3);
    let body = json!({"vehicle_class": "motorcycle", "client_ref": "hp-7f3a-0001",
                      "recorded_at": tapped.to_rfc3339()});
    let first = app.post("/api/v1/me/cash", &token, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["client_ref"], "hp-7f3a-0001");
    let expected_day = tapped
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive()
        .to_string();
    assert_eq!(
        first.body["business_date"], expected_day,
        "the day follows recorded_at"
    );
    let again = app.post("/api/v1/me/cash", &token, body).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(app.count("payments"), 1);

    // Two sends at once still make one.
    let race = json!({"vehicle_class": "car", "client_ref": "hp-7f3a-0002"});
    let (a, b) = tokio::join!(
        app.post("/api/v1/me/cash", &token, race.clone()),
        app.post("/api/v1/me/cash", &token, race)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201]);
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(app.count("payments"), 2);
}

#[actix_web::test]
async fn recorded_at_and_client_ref_have_bounds() {
    let app = spawn_app().await;
    app.city().on_duty_since(SINCE).build().await;
    let token = app.attendant_token("081274000001").await;
    let old = Utc::now() - Duration::hours(25);
    let ahead = Utc::now() + Duration::minutes(3);
    for (body, field) in [
        (
            json!({"vehicle_class": "car", "recorded_at": old.to_rfc3339()}),
            "recorded_at",
        ),
        (
            json!({"vehicle_class": "car", "recorded_at": ahead.to_rfc3339()}),
            "recorded_at",
        ),
        (
            json!({"vehicle_class": "car", "recorded_at": "kemarin"}),
            "recorded_at",
        ),
        (
            json!({"vehicle_class": "car", "client_ref": "x".repeat(65)}),
            "client_ref",
        ),
        (
            json!({"vehicle_class": "car", "client_ref": ""}),
            "client_ref",
        ),
    ] {
        let reply = app.post("/api/v1/me/cash", &token, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert_eq!(reply.error_field(), field, "{body}");
    }
    assert_eq!(app.count("payments"), 0);
}

#[actix_web::test]
async fn the_days_list_is_newest_first_and_only_the_attendants_own() {
    let app = spawn_app().await;
    app.city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .on_duty_since(SINCE)
        .build()
        .await;
    let mine = app.attendant_token("081274000001").await;
    let theirs = app.attendant_token("081274000002").await;
    let now = Utc::now();
    for (minutes, class) in [(30, "motorcycle"), (10, "car")] {
        let at = (now - Duration::minutes(minutes)).to_rfc3339();
        let r = app
            .post(
                "/api/v1/me/cash",
                &mine,
                json!({"vehicle_class": class, "recorded_at": at}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let other = app
        .post("/api/v1/me/cash", &theirs, json!({"vehicle_class": "car"}))
        .await;
    let date = other.body["business_date"].as_str().unwrap().to_owned();
    let day = app
        .get(&format!("/api/v1/me/payments?date={date}"), &mine)
        .await;
    assert_eq!(day.status, 200, "{}", day.body);
    let items = day.body["items"].as_array().unwrap();
    // Both taps are in the list of their own business days; on this date, newest first.
    assert!(items.iter().all(|i| i["source"] == "cash"));
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["paid_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    assert!(items.iter().all(|i| i["id"] != other.body["id"]));
    assert_eq!(
        app.get("/api/v1/me/payments?date=kemarin", &mine)
            .await
            .status,
        400
    );
    let admin = app.admin_token().await;
    assert_eq!(app.get("/api/v1/me/payments", &admin).await.status, 403);
}

/// Reads the stream until a frame holds `needle` (or the test's patience ends).
async fn read_until(res: &mut reqwest::Response, needle: &str) -> String {
    let mut seen = String::new();
    let wait = async {
        while let Some(chunk) = res.chunk().await.expect("the stream goes on") {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(needle) {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wait).await;
    seen
}

#[actix_web::test]
async fn the_event_stream_carries_each_committed_payment_of_the_attendant() {
    let app = spawn_app().await;
    let city = app
        .city()
        .spots(&["JMB-PSR-001", "JMB-PSR-002"])
        .on_duty_since(SINCE)
        .build()
        .await;
    let mine = app.attendant_token("081274000001").await;
    let theirs = app.attendant_token("081274000002").await;
    let mut res = app
        .client
        .get(app.url("/api/v1/me/events"))
        .bearer_auth(&mine)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let opening = read_until(&mut res, "tersambung").await;
    assert!(opening.contains(": tersambung"), "{opening}");

    // Another attendant's payment is not in this stream; this attendant's next one is.
    let other = app
        .post("/api/v1/me/cash", &theirs, json!({"vehicle_class": "car"}))
        .await;
    assert_eq!(other.status, 201);
    // The listener may still be connecting: send until one arrives.
    let mut seen = String::new();
    let mut sent = Vec::new();
    for _ in 0..5 {
        let cash = app
            .post(
                "/api/v1/me/cash",
                &mine,
                json!({"vehicle_class": "motorcycle"}),
            )
            .await;
        assert_eq!(cash.status, 201);
        sent.push(cash.body["id"].as_i64().unwrap());
        seen.push_str(&read_until(&mut res, "event: payment").await);
        if seen.contains("event: payment") {
            break;
        }
    }
    let frame = seen
        .split("\n\n")
        .find(|f| f.starts_with("event: payment"))
        .unwrap_or_else(|| panic!("no payment event in {seen:?}"));
    let data = frame
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let item: serde_json::Value = serde_json::from_str(data).unwrap();
    assert!(sent.contains(&item["id"].as_i64().unwrap()), "{item}");
    assert_eq!(item["amount"], 2000);
    assert_eq!(item["source"], "cash");
    assert_eq!(item["vehicle_class"], "motorcycle");
    assert!(item["paid_at"].is_string() && item["flags"].is_array());
    assert_ne!(item["id"], other.body["id"]);
    drop(city);

    let admin = app.admin_token().await;
    let refused = app.get("/api/v1/me/events", &admin).await;
    assert_eq!(refused.status, 403);
}
