use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{PIN, spawn_app};

fn attendant_body() -> Value {
    json!({"nik": "1571010505850001", "name": "Ahmad Fauzi", "phone": "0812-7400-0001",
           "kta_number": "KTA-JMB-001", "pin": PIN})
}

#[actix_web::test]
async fn an_attendant_is_registered_with_a_hashed_pin_and_a_normalised_phone() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .post("/api/v1/attendants", &admin, attendant_body())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["phone"], "+6281274000001");
    assert_eq!(r.body["status"], "active");
    assert_eq!(
        r.body["nik"], "1571010505850001",
        "admin sees the whole NIK"
    );
    assert!(r.body.get("pin").is_none() && r.body.get("pin_hash").is_none());

    use parkir::db::schema::attendants::dsl::*;
    let stored: String = attendants
        .select(pin_hash)
        .first(&mut app.db.conn())
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains(PIN));
    // The PIN works for logging in.
    app.attendant_token("+6281274000001").await;
}

#[actix_web::test]
async fn nik_is_masked_for_every_role_but_admin() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app
        .post("/api/v1/attendants", &admin, attendant_body())
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    for role in ["supervisor", "auditor"] {
        let token = app.staff_token(role).await;
        let one = app.get(&format!("/api/v1/attendants/{id}"), &token).await;
        assert_eq!(one.body["nik"], "1571**********01", "{role}");
        let list = app.get("/api/v1/attendants", &token).await;
        assert_eq!(list.body["items"][0]["nik"], "1571**********01", "{role}");
    }
    let full = app.get(&format!("/api/v1/attendants/{id}"), &admin).await;
    assert_eq!(full.body["nik"], "1571010505850001");
}

#[actix_web::test]
async fn bad_attendant_fields_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (field, value) in [
        ("nik", json!("157101050585000")),
        ("nik", json!("15710105058500012")),
        ("nik", json!(1571010505850001_i64)),
        ("phone", json!("021-5550123")),
        ("phone", json!("+6591234567")),
        ("pin", json!("12345")),
        ("pin", json!("12a456")),
        ("kta_number", json!("")),
        ("name", json!("   ")),
    ] {
        let mut body = attendant_body();
        body[field] = value;
        let r = app.post("/api/v1/attendants", &admin, body).await;
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert_eq!(r.error_field(), field, "{}", r.body);
    }
    let mut missing = attendant_body();
    missing.as_object_mut().unwrap().remove("kta_number");
    let r = app.post("/api/v1/attendants", &admin, missing).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_field(), "kta_number");
    assert_eq!(app.count("attendants"), 0);
}

#[actix_web::test]
async fn nik_phone_and_kta_are_unique() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.post("/api/v1/attendants", &admin, attendant_body())
            .await
            .status,
        201
    );
    for (field, value) in [
        ("nik", "1571010505850001"),
        ("phone", "+62 812 7400 0001"),
        ("kta_number", "KTA-JMB-001"),
    ] {
        let mut body = json!({"nik": "1571010505850099", "name": "Lain", "phone": "081274000099",
                              "kta_number": "KTA-JMB-099", "pin": PIN});
        body[field] = json!(value);
        let r = app.post("/api/v1/attendants", &admin, body).await;
        assert_eq!(r.status, 409, "{field}: {}", r.body);
        assert_eq!(r.error_field(), field);
    }
    assert_eq!(app.count("attendants"), 1);
}

#[actix_web::test]
async fn status_is_one_of_three_and_patch_changes_only_what_is_sent() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app
        .post("/api/v1/attendants", &admin, attendant_body())
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/attendants/{id}");
    let fired = app.patch(&path, &admin, json!({"status": "fired"})).await;
    assert_eq!(fired.status, 400);
    assert_eq!(fired.error_field(), "status");
    let extra = app
        .patch(&path, &admin, json!({"nik": "1571010505850002"}))
        .await;
    assert_eq!(extra.status, 400, "the NIK is not editable");
    assert_eq!(extra.error_field(), "nik");
    let retired = app.patch(&path, &admin, json!({"status": "retired"})).await;
    assert_eq!(retired.status, 200);
    assert_eq!(retired.body["status"], "retired");
    assert_eq!(retired.body["name"], "Ahmad Fauzi");
    let listed = app.get("/api/v1/attendants?status=retired", &admin).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let none = app.get("/api/v1/attendants?status=active", &admin).await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        app.patch("/api/v1/attendants/999", &admin, json!({"name": "x"}))
            .await
            .status,
        404
    );
}
