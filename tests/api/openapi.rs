//! `/openapi.json` states what the server does (issue 15): the roles each operation names are
//! the roles the server admits, the methods each path lists are the ones it answers (any other
//! is a 405 naming them in `Allow`), and the document's shape keeps generators honest.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

/// `/openapi.json` as a client fetches it.
pub async fn document(app: &TestApp) -> Value {
    app.client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every operation as (method, path template, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                all.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    all
}

/// The template with every `{param}` filled in: ids that name nothing, a real-looking date.
fn concrete(path: &str) -> String {
    path.replace("{date}", "2026-10-01")
        .replace("{code}", "NO-SUCH-SPOT")
        .split('/')
        .map(|part| {
            if part.starts_with('{') {
                "999999"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[actix_web::test]
async fn the_document_is_one_a_generator_can_trust() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
        assert!(
            id.len() > 4 && !id.contains('_'),
            "{method} {path}: operationId {id:?}"
        );
        assert!(ids.insert(id.clone()), "operationId {id} repeats");
        for param in op["parameters"].as_array().into_iter().flatten() {
            let name = param["name"].as_str().unwrap();
            let placed = param["in"].as_str().unwrap();
            let in_template = path.contains(&format!("{{{name}}}"));
            assert_eq!(
                placed == "path",
                in_template,
                "{method} {path}: parameter {name} declared in {placed}"
            );
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            assert!(
                !response["description"].as_str().unwrap_or("").is_empty(),
                "{method} {path} {status}: no description"
            );
            let content = response["content"].as_object();
            if status.as_str() >= "400" && !path.starts_with("/snap/") {
                assert!(
                    content.is_some_and(|c| c.contains_key("application/problem+json")),
                    "{method} {path} {status}: not a problem document"
                );
            } else if status.starts_with('2') && status != "204" {
                assert!(
                    content.is_some_and(|c| c
                        .values()
                        .all(|m| m.get("schema").is_some() || !m.to_string().contains("json"))),
                    "{method} {path} {status}: no schema"
                );
            }
        }
        if op["security"].to_string().contains("bearer") {
            for status in ["401", "403"] {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path}: {status} undocumented"
                );
            }
        }
    }
    // Query parameters say what they accept.
    let daily = &doc["paths"]["/api/v1/reconciliation/daily"]["get"];
    let param = |name: &str| {
        daily["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(param("date")["schema"]["format"], "date");
    assert_eq!(
        param("lang")["schema"]["enum"],
        serde_json::json!(["id", "en"])
    );
    assert!(daily["responses"]["404"].is_object(), "unknown zone");
    let limit = &doc["paths"]["/api/v1/zones"]["get"]["parameters"][0];
    assert_eq!(limit["in"], "query");
    assert_eq!(limit["schema"]["type"], "integer");
    assert_eq!(limit["schema"]["maximum"], 500);
    let nik = &doc["components"]["schemas"]["CreateAttendant"]["properties"]["nik"];
    assert_eq!(nik["pattern"], "^[0-9]{16}$");
    let patch = &doc["components"]["schemas"]["PatchAssignment"];
    assert!(
        patch["required"].to_string().contains("ends_at"),
        "the server requires ends_at: {patch}"
    );
}

/// The roles in each operation's `bearer` requirement are exactly the ones the server lets past
/// authorisation: a role outside the list gets 403, a role inside never does.
#[actix_web::test]
async fn the_roles_the_document_names_are_the_roles_the_server_admits() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    app.insert_attendant("1571010505850077", "081274000077", "KTA-77");
    let mut tokens = Vec::new();
    for role in ["admin", "supervisor", "auditor"] {
        tokens.push((role, app.staff_token(role).await));
    }
    tokens.push(("attendant", app.attendant_token("081274000077").await));
    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, path, op) in operations(&doc) {
        let Some(roles) = op["security"]
            .as_array()
            .and_then(|s| s.iter().find_map(|r| r["bearer"].as_array()))
        else {
            continue;
        };
        let roles: Vec<&str> = roles.iter().filter_map(Value::as_str).collect();
        assert!(!roles.is_empty(), "{method} {path}: bearer without roles");
        // Logging out ends the token the loop goes on with; every role's logout is in auth.rs.
        if path == "/api/v1/auth/logout" {
            continue;
        }
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body = (method != Method::GET).then(|| serde_json::json!({}));
        for (role, token) in &tokens {
            let r = app
                .send(method.clone(), &concrete(&path), Some(token), body.as_ref())
                .await;
            let refused = r.status == 403;
            if refused == roles.contains(role) || r.status == 401 || r.status >= 500 {
                failures.push(format!(
                    "{role} {method} {path}: {} (document: {roles:?})",
                    r.status
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} calls");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every path answers the methods the document lists; any other is a 405 whose `Allow` names
/// exactly those.
#[actix_web::test]
async fn a_wrong_method_is_a_405_naming_the_right_ones() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let admin = app.admin_token().await;
    let mut failures = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let listed: Vec<String> = METHODS
            .iter()
            .filter(|m| item.get(**m).is_some())
            .map(|m| m.to_uppercase())
            .collect();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if listed.iter().any(|m| m == method) {
                continue;
            }
            let r = app
                .send(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    &concrete(path),
                    Some(&admin),
                    None,
                )
                .await;
            let allow = r
                .headers
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let mut allowed: Vec<String> = allow.split(", ").map(str::to_owned).collect();
            allowed.sort();
            let mut want = listed.clone();
            want.sort();
            if r.status != 405 || allowed != want || r.content_type() != "application/problem+json"
            {
                failures.push(format!(
                    "{method} {path}: {} Allow {allow:?} (document: {listed:?})",
                    r.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One rule for query parameters: given empty is a 400 naming it, everywhere; `lang` is checked
/// on every format of a report.
#[actix_web::test]
async fn query_parameters_follow_one_rule() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.insert_attendant("1571010505850077", "081274000077", "KTA-77");
    let jukir = app.attendant_token("081274000077").await;
    for (path, token) in [
        ("/api/v1/payments?date=", &admin),
        ("/api/v1/reconciliation/daily?date=", &admin),
        ("/api/v1/reports/monthly?month=%20", &admin),
        ("/api/v1/zones?limit=", &admin),
        ("/api/v1/me/summary?date=", &jukir),
    ] {
        let r = app.get(path, token).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        let name = path.split('?').nth(1).unwrap().split('=').next().unwrap();
        assert_eq!(r.error_field(), name, "{path}");
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("is empty")
        );
    }
    for path in [
        "/api/v1/reconciliation/daily?date=2026-10-01&lang=xx",
        "/api/v1/reconciliation/daily.csv?date=2026-10-01&lang=xx",
        "/api/v1/reconciliation/daily.xlsx?date=2026-10-01&lang=xx",
        "/api/v1/reports/monthly?month=2026-10&lang=xx",
        "/api/v1/reports/monthly.csv?month=2026-10&lang=xx",
    ] {
        let r = app.get(path, &admin).await;
        assert_eq!(r.status, 400, "{path}");
        assert_eq!(r.error_field(), "lang", "{path}");
    }
    let csv = app
        .client
        .get(app.url("/api/v1/reconciliation/daily.csv?date=2026-10-01&lang=id"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("Juru Parkir"));
}
