use chrono::{Duration, Utc};
use serde_json::json;

use crate::helpers::{merchant_body, spawn_app, spot_body, zone_body};

#[actix_web::test]
async fn merchant_accounts_follow_the_qris_field_rules() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        ("nmid", json!("1026100000123")),
        ("pan", json!("93600113")),
        ("criteria", json!("BIG")),
        ("name", json!("DINAS PERHUBUNGAN KOTA JAMBI")), // 28 > 25
        ("name", json!("DISHUB|JAMBI")),
        ("city", json!("KOTA JAMBI BARAT")), // 16 > 15
        ("postal_code", json!("3612")),
        ("mcc", json!("75a3")),
    ];
    for (field, value) in cases {
        let mut body = merchant_body();
        body[field] = value;
        let r = app.post("/api/v1/merchant-accounts", &admin, body).await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert_eq!(r.error_field(), field);
    }
    assert_eq!(app.count("merchant_accounts"), 0);
    let ok = app
        .post("/api/v1/merchant-accounts", &admin, merchant_body())
        .await;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.body["nmid"], "ID1026100000123");
    let dup = app
        .post("/api/v1/merchant-accounts", &admin, merchant_body())
        .await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.error_field(), "nmid");
    let id = ok.body["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/merchant-accounts/{id}"), &admin)
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/merchant-accounts/9999", &admin)
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn zones_validate_tariffs_share_and_target() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let merchant = app
        .post("/api/v1/merchant-accounts", &admin, merchant_body())
        .await;
    let m = merchant.body["id"].as_i64().unwrap();
    let bad = [
        ("attendant_share_bps", json!(10001)),
        ("attendant_share_bps", json!(-1)),
        ("attendant_share_bps", json!("60%")),
        ("daily_target", json!(-5)),
        ("tariffs", json!({})),
        ("tariffs.car", json!({"motorcycle": 2000, "car": 0})),
        ("tariffs.car", json!({"motorcycle": 2000, "car": 2500.5})),
        ("tariffs.Mobil", json!({"Mobil": 3000})),
        ("code", json!("has space")),
        ("name", json!("")),
    ];
    for (field, value) in bad {
        let key = field.split('.').next().unwrap();
        let mut body = zone_body("PSR", m);
        body[key] = value;
        let r = app.post("/api/v1/zones", &admin, body).await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert_eq!(r.error_field(), field, "{}", r.body);
    }
    let unknown_merchant = app
        .post("/api/v1/zones", &admin, zone_body("PSR", 999))
        .await;
    assert_eq!(unknown_merchant.status, 404);
    assert_eq!(app.count("zones"), 0);
    assert_eq!(app.count("zone_versions"), 0);

    let created = app.post("/api/v1/zones", &admin, zone_body("PSR", m)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["tariffs"],
        json!({"motorcycle": 2000, "car": 3000})
    );
    assert_eq!(created.body["attendant_share_bps"], 6000);
    assert_eq!(created.body["daily_target"], 60000);
    assert_eq!(created.body["effective_from"], "1970-01-01T00:00:00Z");
    let dup = app.post("/api/v1/zones", &admin, zone_body("PSR", m)).await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.error_field(), "code");
}

#[actix_web::test]
async fn a_zone_patch_adds_a_version_and_never_rewrites_the_past() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, zone, _) = app.seed_zone_and_spot(&admin).await;
    let path = format!("/api/v1/zones/{zone}");

    let past = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let backdated = app
        .patch(
            &path,
            &admin,
            json!({"tariffs": {"motorcycle": 1}, "effective_from": past}),
        )
        .await;
    assert_eq!(backdated.status, 400);
    assert_eq!(backdated.error_field(), "effective_from");

    let tomorrow = (Utc::now() + Duration::days(1)).to_rfc3339();
    let future = app
        .patch(
            &path,
            &admin,
            json!({"tariffs": {"motorcycle": 2500, "car": 4000}, "effective_from": tomorrow}),
        )
        .await;
    assert_eq!(future.status, 200, "{}", future.body);
    assert_eq!(future.body["versions"].as_array().unwrap().len(), 2);
    assert_eq!(
        future.body["tariffs"]["motorcycle"], 2000,
        "today's tariff is still in force"
    );
    assert_eq!(future.body["versions"][1]["tariffs"]["car"], 4000);
    assert_eq!(
        future.body["versions"][1]["attendant_share_bps"], 6000,
        "inherited"
    );
    assert_eq!(
        future.body["versions"][1]["daily_target"], 60000,
        "inherited"
    );

    let share_now = app
        .patch(
            &path,
            &admin,
            json!({"attendant_share_bps": 6500, "name": "Zona Pasar Baru"}),
        )
        .await;
    assert_eq!(share_now.status, 200, "{}", share_now.body);
    assert_eq!(share_now.body["attendant_share_bps"], 6500);
    assert_eq!(
        share_now.body["tariffs"]["motorcycle"], 2000,
        "tariffs inherited"
    );
    assert_eq!(share_now.body["name"], "Zona Pasar Baru");
    assert_eq!(share_now.body["versions"].as_array().unwrap().len(), 3);
    assert_eq!(
        share_now.body["versions"][0]["attendant_share_bps"], 6000,
        "old version untouched"
    );

    let only_when = app
        .patch(&path, &admin, json!({"effective_from": tomorrow}))
        .await;
    assert_eq!(only_when.status, 400);
    let unknown = app
        .patch("/api/v1/zones/999", &admin, json!({"name": "x"}))
        .await;
    assert_eq!(unknown.status, 404);
}

#[actix_web::test]
async fn spots_have_unique_codes_and_terminal_ids_inside_indonesia() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, zone, spot) = app.seed_zone_and_spot(&admin).await;
    let got = app.get(&format!("/api/v1/spots/{spot}"), &admin).await;
    assert_eq!(
        got.body["terminal_id"], "JMBPSR001",
        "derived from the code"
    );
    let spots = format!("/api/v1/zones/{zone}/spots");

    let dup = app.post(&spots, &admin, spot_body("JMB-PSR-001")).await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.error_field(), "code");
    let mut same_terminal = spot_body("JMB-PSR-002");
    same_terminal["terminal_id"] = json!("JMBPSR001");
    let r = app.post(&spots, &admin, same_terminal).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.error_field(), "terminal_id");

    for (field, value) in [
        ("terminal_id", json!("TERMINAL-ID-LONGER-THAN-16")),
        ("latitude", json!(103.6)),
        ("longitude", json!(-1.58)),
        ("code", json!("A-CODE-THAT-IS-TOO-LONG-FOR-62-03")),
        ("latitude", json!("south")),
    ] {
        let mut body = spot_body("JMB-PSR-009");
        body[field] = value;
        let r = app.post(&spots, &admin, body).await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert_eq!(r.error_field(), field);
    }
    assert_eq!(app.count("spots"), 1);
    assert_eq!(
        app.post("/api/v1/zones/999/spots", &admin, spot_body("X-1"))
            .await
            .status,
        404
    );

    let patched = app
        .patch(
            &format!("/api/v1/spots/{spot}"),
            &admin,
            json!({"name": "Jl. Sutomo", "active": false}),
        )
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.body["active"], false);
    let list = app
        .get(&format!("/api/v1/spots?zone_id={zone}"), &admin)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn lists_paginate_with_a_cursor_up_to_500() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, zone, _) = app.seed_zone_and_spot(&admin).await;
    for i in 2..=5 {
        let r = app
            .post(
                &format!("/api/v1/zones/{zone}/spots"),
                &admin,
                spot_body(&format!("JMB-PSR-00{i}")),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let first = app.get("/api/v1/spots?limit=2", &admin).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/api/v1/spots?limit=2&cursor={cursor}"), &admin)
        .await;
    assert_eq!(second.body["items"][0]["code"], "JMB-PSR-003");
    let third = app
        .get(
            &format!(
                "/api/v1/spots?limit=2&cursor={}",
                second.body["next_cursor"].as_str().unwrap()
            ),
            &admin,
        )
        .await;
    assert_eq!(third.body["items"].as_array().unwrap().len(), 1);
    assert!(third.body["next_cursor"].is_null());
    for bad in ["limit=501", "limit=0", "limit=ten", "cursor=abc"] {
        let r = app.get(&format!("/api/v1/spots?{bad}"), &admin).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.error_field(), bad.split('=').next().unwrap());
    }
}
