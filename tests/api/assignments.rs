use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spot_body};

async fn two_attendants_two_spots(app: &TestApp, admin: &str) -> (i64, i64, i64, i64) {
    let (_, zone, spot1) = app.seed_zone_and_spot(admin).await;
    let spot2 = app
        .post(
            &format!("/api/v1/zones/{zone}/spots"),
            admin,
            spot_body("JMB-PSR-002"),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let a1 = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let a2 = app.insert_attendant("1571010505850002", "081274000002", "KTA-2");
    (a1, a2, spot1, spot2)
}

#[actix_web::test]
async fn a_spot_cannot_have_two_overlapping_duty_periods() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a1, a2, spot, spot2) = two_attendants_two_spots(&app, &admin).await;
    let first = app
        .post(
            &format!("/api/v1/attendants/{a1}/assignments"),
            &admin,
            json!({"spot_id": spot, "starts_at": "2026-11-23T07:00:00+07:00", "ends_at": "2026-11-23T15:00:00+07:00"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(
        first.body["starts_at"], "2026-11-23T00:00:00Z",
        "stored and shown in UTC"
    );

    let overlap = app
        .post(
            &format!("/api/v1/attendants/{a2}/assignments"),
            &admin,
            json!({"spot_id": spot, "starts_at": "2026-11-23T14:00:00+07:00"}),
        )
        .await;
    assert_eq!(overlap.status, 409, "{}", overlap.body);
    assert!(overlap.body["detail"].as_str().unwrap().contains("spot"));

    // Half-open periods: the next shift may start exactly when the first ends.
    let next_shift = app
        .post(
            &format!("/api/v1/attendants/{a2}/assignments"),
            &admin,
            json!({"spot_id": spot, "starts_at": "2026-11-23T15:00:00+07:00", "ends_at": "2026-11-23T23:00:00+07:00"}),
        )
        .await;
    assert_eq!(next_shift.status, 201, "{}", next_shift.body);

    // Nor may one attendant be on two spots at once.
    let elsewhere = app
        .post(
            &format!("/api/v1/attendants/{a1}/assignments"),
            &admin,
            json!({"spot_id": spot2, "starts_at": "2026-11-23T08:00:00+07:00", "ends_at": "2026-11-23T09:00:00+07:00"}),
        )
        .await;
    assert_eq!(elsewhere.status, 409);
    assert!(
        elsewhere.body["detail"]
            .as_str()
            .unwrap()
            .contains("attendant")
    );
    assert_eq!(app.count("assignments"), 2);
}

#[actix_web::test]
async fn two_concurrent_overlapping_assignments_one_wins() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a1, a2, spot, _) = two_attendants_two_spots(&app, &admin).await;
    for round in 0..5 {
        let day = format!("2026-12-{:02}", round + 1);
        let body = json!({"spot_id": spot, "starts_at": format!("{day}T06:00:00+07:00"), "ends_at": format!("{day}T18:00:00+07:00")});
        let (p1, p2) = (
            format!("/api/v1/attendants/{a1}/assignments"),
            format!("/api/v1/attendants/{a2}/assignments"),
        );
        let (r1, r2) = tokio::join!(
            app.post(&p1, &admin, body.clone()),
            app.post(&p2, &admin, body.clone()),
        );
        let mut statuses = [r1.status, r2.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [201, 409],
            "round {round}: {} / {}",
            r1.body,
            r2.body
        );
    }
    assert_eq!(app.count("assignments"), 5);
}

#[actix_web::test]
async fn periods_must_end_after_they_start_and_refer_to_real_things() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a1, _, spot, _) = two_attendants_two_spots(&app, &admin).await;
    let path = format!("/api/v1/attendants/{a1}/assignments");
    let backwards = app
        .post(&path, &admin, json!({"spot_id": spot, "starts_at": "2026-11-23T10:00:00Z", "ends_at": "2026-11-23T09:00:00Z"}))
        .await;
    assert_eq!(backwards.status, 400);
    assert_eq!(backwards.error_field(), "ends_at");
    let not_a_time = app
        .post(
            &path,
            &admin,
            json!({"spot_id": spot, "starts_at": "kemarin"}),
        )
        .await;
    assert_eq!(not_a_time.status, 400);
    assert_eq!(not_a_time.error_field(), "starts_at");
    let no_spot = app
        .post(
            &path,
            &admin,
            json!({"spot_id": 999, "starts_at": "2026-11-23T10:00:00Z"}),
        )
        .await;
    assert_eq!(no_spot.status, 404);
    let no_attendant = app
        .post(
            "/api/v1/attendants/999/assignments",
            &admin,
            json!({"spot_id": spot, "starts_at": "2026-11-23T10:00:00Z"}),
        )
        .await;
    assert_eq!(no_attendant.status, 404);
    assert_eq!(app.count("assignments"), 0);
}

#[actix_web::test]
async fn an_attendant_on_duty_sees_the_spot_and_ending_the_duty_takes_it_away() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let supervisor = app.staff_token("supervisor").await;
    let (a1, _, spot, _) = two_attendants_two_spots(&app, &admin).await;
    let token = app.attendant_token("081274000001").await;
    let off = app.get("/api/v1/me", &token).await;
    assert!(off.body["on_duty"].is_null());

    let start = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let created = app
        .post(
            &format!("/api/v1/attendants/{a1}/assignments"),
            &supervisor,
            json!({"spot_id": spot, "starts_at": start}),
        )
        .await;
    assert_eq!(
        created.status, 201,
        "a supervisor manages assignments: {}",
        created.body
    );
    let on = app.get("/api/v1/me", &token).await;
    assert_eq!(on.body["on_duty"]["spot"]["code"], "JMB-PSR-001");
    assert_eq!(on.body["on_duty"]["tariffs"]["motorcycle"], 2000);

    let id = created.body["id"].as_i64().unwrap();
    let ended = app
        .patch(
            &format!("/api/v1/attendants/{a1}/assignments/{id}"),
            &supervisor,
            json!({"ends_at": chrono::Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    let after = app.get("/api/v1/me", &token).await;
    assert!(after.body["on_duty"].is_null());
    let listed = app
        .get(&format!("/api/v1/attendants/{a1}/assignments"), &supervisor)
        .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}
