//! The role matrix: who may call what (SPEC §6). Allowed calls must get past authorisation
//! (any answer but 401/403); refused ones get exactly 403, or 401 without a token.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PIN, TestApp, merchant_body, spawn_app, spot_body, zone_body};

struct Ids {
    zone: i64,
    spot: i64,
    attendant: i64,
    merchant: i64,
}

async fn tokens(app: &TestApp) -> Vec<(&'static str, Option<String>)> {
    app.insert_attendant("1571010505850077", "081274000077", "KTA-77");
    vec![
        ("admin", Some(app.staff_token("admin").await)),
        ("supervisor", Some(app.staff_token("supervisor").await)),
        ("auditor", Some(app.staff_token("auditor").await)),
        ("operator", Some(app.operator_token().await)),
        ("attendant", Some(app.attendant_token("081274000077").await)),
        ("anonymous", None),
    ]
}

fn calls(ids: &Ids) -> Vec<(Method, String, Option<Value>, &'static [&'static str])> {
    const ADMIN: &[&str] = &["admin"];
    const STAFF: &[&str] = &["admin", "supervisor", "auditor"];
    const DUTY: &[&str] = &["admin", "supervisor"];
    const ATTENDANT: &[&str] = &["attendant"];
    let Ids {
        zone,
        spot,
        attendant,
        merchant,
    } = ids;
    let mut other_merchant = merchant_body();
    other_merchant["nmid"] = json!("ID1026100000999");
    vec![
        (
            Method::POST,
            "/api/v1/merchant-accounts".into(),
            Some(other_merchant),
            ADMIN,
        ),
        (Method::GET, "/api/v1/merchant-accounts".into(), None, STAFF),
        (
            Method::POST,
            "/api/v1/zones".into(),
            Some(zone_body("NEW", *merchant)),
            ADMIN,
        ),
        (Method::GET, "/api/v1/zones".into(), None, STAFF),
        (Method::GET, format!("/api/v1/zones/{zone}"), None, STAFF),
        (
            Method::PATCH,
            format!("/api/v1/zones/{zone}"),
            Some(json!({"name": "Zona"})),
            ADMIN,
        ),
        (
            Method::POST,
            format!("/api/v1/zones/{zone}/spots"),
            Some(spot_body("NEW-1")),
            ADMIN,
        ),
        (Method::GET, "/api/v1/spots".into(), None, ADMIN),
        (Method::GET, format!("/api/v1/spots/{spot}"), None, ADMIN),
        (
            Method::PATCH,
            format!("/api/v1/spots/{spot}"),
            Some(json!({"name": "Titik"})),
            ADMIN,
        ),
        (
            Method::POST,
            "/api/v1/attendants".into(),
            Some(
                json!({"nik": "1571010505850055", "name": "Baru", "phone": "081274000055", "kta_number": "KTA-55", "pin": PIN}),
            ),
            ADMIN,
        ),
        (Method::GET, "/api/v1/attendants".into(), None, STAFF),
        (
            Method::GET,
            format!("/api/v1/attendants/{attendant}"),
            None,
            STAFF,
        ),
        (
            Method::PATCH,
            format!("/api/v1/attendants/{attendant}"),
            Some(json!({"name": "Nama"})),
            ADMIN,
        ),
        (
            Method::POST,
            format!("/api/v1/attendants/{attendant}/assignments"),
            Some(
                json!({"spot_id": spot, "starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-01T01:00:00Z"}),
            ),
            DUTY,
        ),
        (
            Method::GET,
            format!("/api/v1/attendants/{attendant}/assignments"),
            None,
            DUTY,
        ),
        (Method::GET, format!("/api/v1/spots/{spot}/qr"), None, STAFF),
        (
            Method::GET,
            format!("/api/v1/spots/{spot}/qr.png"),
            None,
            STAFF,
        ),
        (
            Method::GET,
            format!("/api/v1/spots/{spot}/qr.svg"),
            None,
            STAFF,
        ),
        (
            Method::GET,
            format!("/api/v1/spots/{spot}/poster.svg"),
            None,
            STAFF,
        ),
        (Method::GET, "/api/v1/me".into(), None, ATTENDANT),
        (Method::GET, "/api/v1/me/qr.png".into(), None, ATTENDANT),
        (
            Method::POST,
            "/api/v1/me/charges".into(),
            Some(json!({"vehicle_class": "car"})),
            ATTENDANT,
        ),
        (Method::GET, "/api/v1/me/charges/1".into(), None, ATTENDANT),
        (
            Method::POST,
            "/api/v1/me/cash".into(),
            Some(json!({"vehicle_class": "car"})),
            ATTENDANT,
        ),
        (Method::GET, "/api/v1/payments".into(), None, STAFF),
        (Method::GET, "/api/v1/payments/1".into(), None, STAFF),
        (Method::GET, "/api/v1/me/summary".into(), None, ATTENDANT),
        (
            Method::GET,
            "/api/v1/reconciliation/daily?date=2026-11-10".into(),
            None,
            STAFF,
        ),
        (
            Method::GET,
            "/api/v1/reconciliation/daily.csv?date=2026-11-10".into(),
            None,
            STAFF,
        ),
        (
            Method::POST,
            "/api/v1/reconciliation/daily/2026-11-10/close".into(),
            Some(json!({})),
            ADMIN,
        ),
        (Method::GET, "/api/v1/settlements/1".into(), None, ADMIN),
    ]
}

#[actix_web::test]
async fn every_role_reaches_exactly_what_it_may() {
    let app = spawn_app().await;
    let tokens = tokens(&app).await;
    let admin = tokens[0].1.clone().unwrap();
    let (merchant, zone, spot) = app.seed_zone_and_spot(&admin).await;
    let attendant = app.insert_attendant("1571010505850066", "081274000066", "KTA-66");
    let ids = Ids {
        zone,
        spot,
        attendant,
        merchant,
    };
    let mut failures = Vec::new();
    // Refusals first (they must change nothing), then the allowed calls.
    for (method, path, body, allowed) in calls(&ids) {
        for (role, token) in &tokens {
            if allowed.contains(role) {
                continue;
            }
            let r = app
                .send(method.clone(), &path, token.as_deref(), body.as_ref())
                .await;
            let expected = if token.is_some() { 403 } else { 401 };
            if r.status != expected {
                failures.push(format!(
                    "{role} {method} {path}: {} (want {expected})",
                    r.status
                ));
            }
        }
    }
    assert_eq!(app.count("zones"), 1);
    assert_eq!(app.count("attendants"), 2);
    for (method, path, body, allowed) in calls(&ids) {
        for (role, token) in &tokens {
            if !allowed.contains(role) {
                continue;
            }
            let r = app
                .send(method.clone(), &path, token.as_deref(), body.as_ref())
                .await;
            if r.status == 401 || r.status == 403 || r.status >= 500 {
                failures.push(format!("{role} {method} {path}: {} {}", r.status, r.body));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix broken:\n{}",
        failures.join("\n")
    );
}

/// A concrete path for a table route: its `{params}` filled with plausible values.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{assignment_id}", "1")
        .replace("{date}", "2026-11-10")
        .replace("{code}", "JMB-PSR-001")
}

/// Generated from the route table, so a new route cannot be forgotten: every role an
/// operation does not admit is refused (403, or 401 without a token) before anything of the
/// request is read, and every role it admits gets past authorisation.
#[actix_web::test]
async fn every_route_of_the_table_admits_exactly_its_roles() {
    use parkir::routes::table::ROUTES;
    let app = spawn_app().await;
    let tokens = tokens(&app).await;
    let mut failures = Vec::new();
    let guarded = ROUTES.iter().filter(|r| !r.roles.is_empty());
    for route in guarded.clone() {
        let method = Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        let body = (method != Method::GET).then(|| json!({}));
        for (role, token) in &tokens {
            let admitted = route.roles.contains(role);
            // Logging out ends the token: tried last, below.
            if admitted && route.path == "/api/v1/auth/logout" {
                continue;
            }
            let r = app
                .send(
                    method.clone(),
                    &concrete(route.path),
                    token.as_deref(),
                    body.as_ref(),
                )
                .await;
            let refused = r.status == 401 || r.status == 403;
            let expected = if token.is_some() { 403 } else { 401 };
            if admitted && (refused || r.status >= 500) {
                failures.push(format!(
                    "{role} {} {}: {} {}",
                    route.method, route.path, r.status, r.body
                ));
            }
            if !admitted && r.status != expected {
                failures.push(format!(
                    "{role} {} {}: {} (want {expected})",
                    route.method, route.path, r.status
                ));
            }
        }
    }
    for (role, token) in tokens.iter().filter(|(_, t)| t.is_some()) {
        let r = app
            .send(Method::POST, "/api/v1/auth/logout", token.as_deref(), None)
            .await;
        if r.status != 204 {
            failures.push(format!(
                "{role} post /api/v1/auth/logout: {} {}",
                r.status, r.body
            ));
        }
    }
    assert!(guarded.count() > 50, "the table lists the guarded routes");
    assert!(
        failures.is_empty(),
        "the route table and the handlers disagree:\n{}",
        failures.join("\n")
    );
}
