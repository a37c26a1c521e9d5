use serde_json::json;

use crate::helpers::{merchant_body, spawn_app};

#[actix_web::test]
async fn malformed_json_is_a_400_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for raw in ["{\"gui\": ", "not json", "[1,2,3]", "", "{} {}"] {
        let r = app
            .client
            .post(app.url("/api/v1/merchant-accounts"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{raw:?}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = r.json().await.unwrap();
        for key in ["type", "title", "status", "detail", "errors"] {
            assert!(body.get(key).is_some(), "{raw:?} lacks {key}: {body}");
        }
    }
    assert_eq!(app.count("merchant_accounts"), 0);
}

#[actix_web::test]
async fn unknown_fields_and_wrong_types_name_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut typo = merchant_body();
    typo["nmidd"] = json!("ID1026100000123");
    let r = app.post("/api/v1/merchant-accounts", &admin, typo).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_field(), "nmidd");
    let mut wrong = merchant_body();
    wrong["mcc"] = json!(7523);
    let r = app.post("/api/v1/merchant-accounts", &admin, wrong).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_field(), "mcc");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected a string")
    );
}

#[actix_web::test]
async fn bodies_over_64_kib_are_413() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut big = merchant_body();
    big["name"] = json!("x".repeat(70 * 1024));
    let r = app.post("/api/v1/merchant-accounts", &admin, big).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(app.count("merchant_accounts"), 0);
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .client
        .post(app.url("/api/v1/merchant-accounts"))
        .bearer_auth(&admin)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("gui=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}

#[actix_web::test]
async fn ids_that_are_not_numbers_are_404() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.get("/api/v1/zones/abc", &admin).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type(), "application/problem+json");
    // The parser's text is internals: the answer names the path, nothing else.
    assert_eq!(r.body["detail"], "no such resource: /api/v1/zones/abc");
    let r = app.get("/api/v1/zones/99999999999999999999", &admin).await;
    assert_eq!(r.status, 404);
}
