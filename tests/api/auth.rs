use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{JWT_SECRET, PIN, STAFF_PASSWORD, spawn_app};
use parkir::auth::{AUDIENCE, Claims, ISSUER, Role};

#[actix_web::test]
async fn staff_login_returns_a_bearer_token_with_its_role() {
    let app = spawn_app().await;
    let token = app.staff_token("auditor").await;
    let zones = app.get("/api/v1/zones", &token).await;
    assert_eq!(zones.status, 200);

    let mut conn = app.db.conn();
    parkir::db::users::insert_staff_user(
        &mut conn,
        "ops",
        &parkir::auth::hash_secret(STAFF_PASSWORD).unwrap(),
        "supervisor",
    )
    .unwrap();
    let login = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&json!({"username": "ops", "password": STAFF_PASSWORD})),
        )
        .await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["token_type"], "Bearer");
    assert_eq!(login.body["role"], "supervisor");
    assert_eq!(login.body["expires_in"], 8 * 3600);
}

#[actix_web::test]
async fn wrong_password_and_unknown_user_are_both_401() {
    let app = spawn_app().await;
    app.staff_token("admin").await;
    for body in [
        json!({"username": "nobody", "password": STAFF_PASSWORD}),
        json!({"username": "admin", "password": "wrong password here"}),
    ] {
        let r = app
            .send(Method::POST, "/api/v1/auth/login", None, Some(&body))
            .await;
        assert_eq!(r.status, 401, "{}", r.body);
        assert_eq!(r.content_type(), "application/problem+json");
    }
}

#[actix_web::test]
async fn attendant_logs_in_with_any_usual_phone_form() {
    let app = spawn_app().await;
    app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    for phone in [
        "081274000001",
        "6281274000001",
        "+6281274000001",
        "0812-7400-0001",
    ] {
        let token = app.attendant_token(phone).await;
        let me = app.get("/api/v1/me", &token).await;
        assert_eq!(me.status, 200, "{}", me.body);
        assert_eq!(me.body["phone"], "+6281274000001");
        assert_eq!(me.body["nik"], "1571**********01");
    }
    let wrong = app
        .send(
            Method::POST,
            "/api/v1/auth/attendant-login",
            None,
            Some(&json!({"phone": "081274000001", "pin": "000000"})),
        )
        .await;
    assert_eq!(wrong.status, 401);
    let malformed = app
        .send(
            Method::POST,
            "/api/v1/auth/attendant-login",
            None,
            Some(&json!({"phone": "12345", "pin": PIN})),
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error_field(), "phone");
}

#[actix_web::test]
async fn a_suspended_attendant_cannot_log_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let login = app
        .send(
            Method::POST,
            "/api/v1/auth/attendant-login",
            None,
            Some(&json!({"phone": "081274000001", "pin": PIN})),
        )
        .await;
    assert_eq!(login.status, 403);
}

#[actix_web::test]
async fn five_failures_throttle_the_account_with_retry_after() {
    let app = spawn_app().await;
    app.staff_token("admin").await; // creates an admin named admin-<random>
    let mut conn = app.db.conn();
    parkir::db::users::insert_staff_user(
        &mut conn,
        "kepala",
        &parkir::auth::hash_secret(STAFF_PASSWORD).unwrap(),
        "admin",
    )
    .unwrap();
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            app.send(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(&json!({"username": "kepala", "password": password})),
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong password!!").await.status, 401);
    }
    let blocked = attempt(STAFF_PASSWORD).await;
    assert_eq!(blocked.status, 429, "even the right password waits");
    let retry: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    assert_eq!(blocked.body["code"], "too_many_requests");
}

fn claims(sub: &str, role: Role, exp_offset: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: sub.into(),
        role,
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        iat: now,
        exp: now + exp_offset,
        ver: 0,
        jti: format!("test-{sub}-{exp_offset}"),
        city: Some(1),
    }
}

#[actix_web::test]
async fn forged_expired_and_other_algorithm_tokens_are_401() {
    let app = spawn_app().await;
    app.admin_token().await; // staff:1 exists
    let key = EncodingKey::from_secret(JWT_SECRET.as_bytes());
    let good = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("staff:1", Role::Admin, 60),
        &key,
    )
    .unwrap();
    assert_eq!(app.get("/api/v1/zones", &good).await.status, 200);

    let expired = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("staff:1", Role::Admin, -3600),
        &key,
    )
    .unwrap();
    let hs384 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS384),
        &claims("staff:1", Role::Admin, 60),
        &key,
    )
    .unwrap();
    let other_secret = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("staff:1", Role::Admin, 60),
        &EncodingKey::from_secret(b"another-secret-another-secret-123"),
    )
    .unwrap();
    let payload = good.split('.').nth(1).unwrap();
    let none = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#)
    );
    let mut wrong_aud = claims("staff:1", Role::Admin, 60);
    wrong_aud.aud = "someone-else".into();
    let wrong_aud = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &wrong_aud, &key).unwrap();
    // A subject that does not exist, and a token "issued" an hour from now.
    let ghost = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("staff:999", Role::Admin, 60),
        &key,
    )
    .unwrap();
    let mut future = claims("staff:1", Role::Admin, 7200);
    future.iat += 3600;
    let future = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &future, &key).unwrap();
    for (what, token) in [
        ("non-existent staff id", ghost),
        ("issued in the future", future),
        ("expired", expired),
        ("HS384", hs384),
        ("other secret", other_secret),
        ("alg none", none),
        ("wrong audience", wrong_aud),
        ("garbage", "abc.def.ghi".to_owned()),
    ] {
        let r = app.get("/api/v1/zones", &token).await;
        assert_eq!(r.status, 401, "{what} token accepted");
        let text = r.body.to_string();
        for leak in [
            "InvalidAlgorithm",
            "ExpiredSignature",
            "InvalidSignature",
            "InvalidAudience",
        ] {
            assert!(
                !text.contains(leak),
                "{what}: the 401 names the library's reason: {text}"
            );
        }
    }
    let anonymous = app.send(Method::GET, "/api/v1/zones", None, None).await;
    assert_eq!(anonymous.status, 401);
    assert!(anonymous.headers.contains_key("www-authenticate"));
}

/// SPEC §10: any change of an attendant's status ends their tokens — a token from before a
/// suspension does not come back to life when the attendant is reactivated.
#[actix_web::test]
async fn a_status_change_ends_the_attendants_sessions_for_good() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let old = app.attendant_token("081274000001").await;
    assert_eq!(app.get("/api/v1/me", &old).await.status, 200);
    for status in ["suspended", "active"] {
        let r = app
            .patch(
                &format!("/api/v1/attendants/{id}"),
                &admin,
                json!({"status": status}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(
        app.get("/api/v1/me", &old).await.status,
        401,
        "the token from before the suspension stays dead"
    );
    let fresh = app.attendant_token("081274000001").await;
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, 200);
}

/// SPEC §10: `POST /auth/logout` ends the presented token on the server (204); the account's
/// other sessions go on; every role may log out.
#[actix_web::test]
async fn logout_ends_the_presented_token_only() {
    let app = spawn_app().await;
    app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let phone = app.attendant_token("081274000001").await;
    let tablet = app.attendant_token("081274000001").await;
    let r = app
        .send(Method::POST, "/api/v1/auth/logout", Some(&phone), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(app.get("/api/v1/me", &phone).await.status, 401);
    assert_eq!(app.get("/api/v1/me", &tablet).await.status, 200);
    let again = app
        .send(Method::POST, "/api/v1/auth/logout", Some(&phone), None)
        .await;
    assert_eq!(again.status, 401, "an ended token cannot log out twice");
    for role in ["admin", "supervisor", "auditor"] {
        let token = app.staff_token(role).await;
        let r = app
            .send(Method::POST, "/api/v1/auth/logout", Some(&token), None)
            .await;
        assert_eq!(r.status, 204, "{role}");
        assert_eq!(app.get("/api/v1/zones", &token).await.status, 401, "{role}");
    }
    let anonymous = app
        .send(Method::POST, "/api/v1/auth/logout", None, None)
        .await;
    assert_eq!(anonymous.status, 401);
}

/// SPEC §10: no weak secrets — 400 naming `password` or `pin`, nothing stored.
#[actix_web::test]
async fn weak_passwords_and_pins_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for password in [
        "aaaaaaaaaa",
        "short",
        "budi.santoso-2026",
        "1234567890",
        "qwertyuiop",
        "iloveyou12",
    ] {
        let r = app
            .post(
                "/api/v1/users",
                &admin,
                json!({"username": "budi.santoso", "password": password, "role": "auditor"}),
            )
            .await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, "password"),
            "{password}: {}",
            r.body
        );
    }
    let users_before = app.count("staff_users");
    let ok = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "budi.santoso", "password": "pasar-angso-duo-77", "role": "auditor"}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(app.count("staff_users"), users_before + 1);
    let id = ok.body["id"].as_i64().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            json!({"password": "Budi.Santoso.baru"}),
        )
        .await;
    assert_eq!((r.status, r.error_field()), (400, "password"), "{}", r.body);

    // PINs: one digit repeated, a run, the birth date in the NIK (a woman: day + 40).
    let nik = "1571014505850001";
    for pin in ["000000", "123456", "876543", "450585"] {
        let r = app
            .post(
                "/api/v1/attendants",
                &admin,
                json!({"nik": nik, "name": "Siti", "phone": "081274000009", "kta_number": "KTA-9", "pin": pin}),
            )
            .await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, "pin"),
            "{pin}: {}",
            r.body
        );
    }
    assert_eq!(app.count("attendants"), 0);
    let id = app.insert_attendant(nik, "081274000009", "KTA-9");
    for path in [format!("/api/v1/attendants/{id}/pin")] {
        let r = app.post(&path, &admin, json!({"pin": "450585"})).await;
        assert_eq!((r.status, r.error_field()), (400, "pin"), "{}", r.body);
    }
    for pin in ["111111", "450585", "050585"] {
        let r = app
            .patch(
                &format!("/api/v1/attendants/{id}"),
                &admin,
                json!({"pin": pin}),
            )
            .await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, "pin"),
            "{pin}: {}",
            r.body
        );
    }
    assert_eq!(
        app.attendant_login("081274000009", PIN).await.status,
        200,
        "the PIN is unchanged"
    );
}
