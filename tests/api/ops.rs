use serde_json::Value;

use crate::helpers::{JWT_SECRET, TestApp, settings, spawn_app};
use parkir::auth::{Role, TokenKeys};
use parkir::startup::Application;
use secrecy::SecretString;

#[actix_web::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[actix_web::test]
async fn metrics_count_requests_per_route_and_report_the_pool() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.get("/api/v1/zones/41", &admin).await;
    let text = app.text("/metrics", None).await;
    assert!(
        text.contains(
            r#"parkir_http_requests_total{method="GET",route="/api/v1/zones/{id}",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("parkir_http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"parkir_db_pool_connections{state="idle"}"#));
    assert!(text.contains(r#"parkir_db_pool_connections{state="in_use"}"#));
}

#[actix_web::test]
async fn openapi_lists_every_route_and_docs_are_served() {
    let app = spawn_app().await;
    let doc = crate::openapi::document(&app).await;
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/attendant-login",
        "/api/v1/merchant-accounts",
        "/api/v1/zones",
        "/api/v1/zones/{id}",
        "/api/v1/zones/{id}/spots",
        "/api/v1/spots",
        "/api/v1/spots/{id}",
        "/api/v1/attendants",
        "/api/v1/attendants/{id}",
        "/api/v1/attendants/{id}/assignments",
        "/api/v1/me",
        "/api/v1/me/qr.png",
        "/api/v1/me/cash",
        "/api/v1/payments",
        "/api/v1/payments/{id}",
        "/api/v1/me/summary",
        "/api/v1/reconciliation/daily",
        "/api/v1/reconciliation/daily.csv",
        "/api/v1/reconciliation/daily/{date}/close",
        "/api/v1/settlements",
        "/api/v1/settlements/{id}",
        "/api/v1/me/charges",
        "/api/v1/me/charges/{id}",
        "/api/v1/spots/{id}/qr",
        "/api/v1/spots/{id}/qr.png",
        "/api/v1/spots/{id}/qr.svg",
        "/api/v1/spots/{id}/poster.svg",
        "/snap/v1.0/access-token/b2b",
        "/snap/v1.0/qr/qr-mpm-notify",
        "/api/v1/gateways/midtrans/notification",
        "/api/v1/gateways/xendit/qr",
        "/jukir",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "openapi.json lacks {path}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

/// With PostgreSQL unreachable the service still answers: 503 problem documents, no hang.
#[actix_web::test]
async fn a_database_that_is_down_gives_503_not_a_panic() {
    let mut s = settings("postgres://parkir@127.0.0.1:1/nowhere");
    s.db_timeout = std::time::Duration::from_millis(300);
    let app = Application::build(&s, &SecretString::from(JWT_SECRET)).unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();

    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.headers()["content-type"], "application/problem+json");

    let token = TokenKeys::new(&SecretString::from(JWT_SECRET))
        .issue("staff:1".into(), Role::Admin, 60, 0)
        .unwrap();
    let zones = client
        .get(format!("{base}/api/v1/zones"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(zones.status(), 503);
    let body: Value = zones.json().await.unwrap();
    assert_eq!(body["code"], "service_unavailable");

    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(
        health.status(),
        200,
        "liveness does not depend on the database"
    );
}

#[actix_web::test]
async fn unknown_routes_and_methods_are_problem_documents() {
    let app: TestApp = spawn_app().await;
    let admin = app.admin_token().await;
    let missing = app.get("/api/v1/nothing-here", &admin).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type(), "application/problem+json");
    let wrong = app
        .send(reqwest::Method::DELETE, "/api/v1/zones", Some(&admin), None)
        .await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.body["code"], "method_not_allowed");
}

/// `/readyz` names the server it writes to; `/metrics` counts the pool's connections and shows
/// the primary's replication state (none here: one server, no standbys).
#[actix_web::test]
async fn readiness_names_the_node_and_metrics_show_the_pool_and_replication() {
    let app = spawn_app().await;
    let ready: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["role"], "primary");
    let node = ready["node"].as_str().unwrap();
    assert!(node == "local socket" || node.contains(':'), "{node}");
    let text = app.text("/metrics", None).await;
    for name in [
        "parkir_db_connects_total",
        "parkir_db_connect_errors_total",
        "parkir_db_connections_discarded_total",
        "parkir_db_replication_standbys 0",
        "parkir_db_replication_sync_standbys 0",
        "parkir_db_replication_synchronous 0",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
}

/// Every server connection dropped at once (a failover, a restart): the pooled connections to it
/// fail once each and are discarded, and the service writes again without a restart.
#[actix_web::test]
async fn connections_to_a_lost_server_are_discarded_not_reused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Fill the pool with connections to the server as it is now.
    let mut calls = Vec::new();
    for _ in 0..4 {
        calls.push(app.get("/api/v1/zones", &admin));
    }
    for r in futures_util::future::join_all(calls).await {
        assert_eq!(r.status, 200);
    }
    terminate_backends(&app);
    let mut answers = Vec::new();
    for _ in 0..12 {
        answers.push(app.get("/api/v1/zones", &admin).await.status);
    }
    let failed = answers.iter().filter(|s| **s == 503).count();
    assert!(
        answers.iter().all(|s| *s == 200 || *s == 503),
        "only 200 or 503: {answers:?}"
    );
    assert!(
        failed <= 4,
        "each lost connection fails once at most: {answers:?}"
    );
    assert!(
        answers[answers.len() - 6..].iter().all(|s| *s == 200),
        "the service writes again without a restart: {answers:?}"
    );
}

/// A server that only reads (a standby, a primary being demoted) never takes a write's answer:
/// the write is a 503 and nothing is stored.
#[actix_web::test]
async fn a_read_only_server_gets_a_503_for_a_write_never_a_2xx() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let merchant = crate::helpers::merchant_body();
    {
        let mut conn = app.db.conn();
        diesel::RunQueryDsl::execute(
            diesel::sql_query(format!(
                "ALTER DATABASE {} SET default_transaction_read_only = on",
                app.db.name
            )),
            &mut conn,
        )
        .unwrap();
    }
    terminate_backends(&app);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            app.post("/api/v1/merchant-accounts", &admin, merchant.clone())
                .await
                .status,
        );
    }
    assert!(statuses.iter().all(|s| *s == 503), "{statuses:?}");
    assert_eq!(app.count("merchant_accounts"), 0);
    {
        // This session too starts read-only now; it may say otherwise for itself.
        let mut conn = app.db.conn();
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SET default_transaction_read_only = off")
            .unwrap();
        conn.batch_execute(&format!(
            "ALTER DATABASE {} SET default_transaction_read_only = off",
            app.db.name
        ))
        .unwrap();
    }
    terminate_backends(&app);
    let mut last = 0;
    for _ in 0..6 {
        last = app
            .post("/api/v1/merchant-accounts", &admin, merchant.clone())
            .await
            .status;
        if last == 201 {
            break;
        }
        assert_eq!(last, 503);
    }
    assert_eq!(last, 201, "writes again once the server accepts them");
}

/// Ends every session on the test's database but the caller's own.
fn terminate_backends(app: &TestApp) {
    let mut conn = app.db.conn();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{}' AND pid <> pg_backend_pid()",
            app.db.name
        )),
        &mut conn,
    )
    .unwrap();
}
