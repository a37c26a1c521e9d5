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

/// The application on a database it cannot reach: its address and a client.
fn without_database(url: &str) -> (String, reqwest::Client) {
    let mut s = settings(url);
    s.db_timeout = std::time::Duration::from_millis(300);
    let app = Application::build(&s, &SecretString::from(JWT_SECRET)).unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    (base, reqwest::Client::new())
}

/// With PostgreSQL unreachable the service still answers: 503 problem documents, no hang.
#[actix_web::test]
async fn a_database_that_is_down_gives_503_not_a_panic() {
    let (base, client) = without_database("postgres://parkir@127.0.0.1:1/nowhere");

    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.headers()["content-type"], "application/problem+json");

    let token = TokenKeys::new(&SecretString::from(JWT_SECRET))
        .issue("staff:1".into(), Role::Admin, 60, 0, Some(1))
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

/// `/readyz` names the server it writes to (to staff); `/metrics` counts the pool's connections and shows
/// the primary's replication state (none here: one server, no standbys).
#[actix_web::test]
async fn readiness_names_the_node_and_metrics_show_the_pool_and_replication() {
    let app = spawn_app().await;
    let staff = app.staff_token("auditor").await;
    let ready: Value = app
        .client
        .get(app.url("/readyz"))
        .bearer_auth(&staff)
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

/// SPEC §10: answers carry no internals — a 503 says what is unavailable in words, `/readyz`
/// names the node only to staff; every answer says `nosniff`; `/docs` has a CSP and cannot be
/// framed; the document's examples hold no working credential.
#[actix_web::test]
async fn answers_carry_no_internals() {
    let (base, client) =
        without_database("postgres://parkir@10.11.12.13:6543/kas_daerah?connect_timeout=1");
    let token = TokenKeys::new(&SecretString::from(JWT_SECRET))
        .issue("staff:1".into(), Role::Admin, 60, 0, Some(1))
        .unwrap();
    for path in ["/readyz", "/api/v1/zones"] {
        let res = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 503, "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let text = res.text().await.unwrap();
        for secret in [
            "10.11.12.13",
            "6543",
            "kas_daerah",
            "connect",
            "timeout",
            "parkir@",
        ] {
            assert!(!text.contains(secret), "{path} shows {secret}: {text}");
        }
        assert!(text.contains("database unavailable"), "{text}");
    }

    let app = spawn_app().await;
    let anonymous: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous["status"], "ready");
    assert!(anonymous.get("node").is_none(), "{anonymous}");
    for path in [
        "/healthz",
        "/api/v1/nothing",
        "/cek/JMB-XXX-001",
        "/metrics",
        "/openapi.json",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    let csp = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    // No example in the document logs anybody in.
    let doc = crate::openapi::document(&app).await.to_string();
    for credential in [
        parkir::demo::DEFAULT_ADMIN_PASSWORD,
        parkir::demo::ATTENDANT_PIN,
    ] {
        assert!(
            !doc.contains(credential),
            "the document carries {credential}"
        );
    }
}

/// SPEC §10: text with a NUL byte or broken UTF-8, in a query, a path or a body, is a 400
/// naming the field, never a 500.
#[actix_web::test]
async fn nul_bytes_and_broken_utf8_are_400s_naming_the_field() {
    let app = crate::helpers::spawn_app_with(crate::helpers::with_gateways).await;
    let admin = app.admin_token().await;
    let (_, zone, _) = app.seed_zone_and_spot(&admin).await;
    for (path, field) in [
        ("/api/v1/payments?reference=%00abc", "reference"),
        ("/api/v1/payments?reference=%FF%FE", "reference"),
        ("/api/v1/public/spots/JMB%00", "path"),
        ("/cek/JMB-PSR-001%00", "path"),
        ("/api/v1/spots?zone_id=1%00", "zone_id"),
    ] {
        let r = app.get(path, &admin).await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, field),
            "{path}: {}",
            r.body
        );
    }
    let r = app
        .post(
            &format!("/api/v1/zones/{zone}/spots"),
            &admin,
            serde_json::json!({"code": "JMB-PSR-009", "name": "Pasar\u{0}Angso", "latitude": -1.6, "longitude": 103.6}),
        )
        .await;
    assert_eq!((r.status, r.error_field()), (400, "name"), "{}", r.body);
    let csv = "reference,paid_at,amount\nREF\u{0}1,2026-11-10 09:00:00,2000\n";
    let r = app.post_csv(&admin, csv).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.to_string().contains("reference"), "{}", r.body);
    assert_eq!(app.count("settlements"), 0);
}

/// Everything the service logs in this test process, from the first call on.
fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    static LOGS: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> =
        std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Sink {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = logs.clone();
        // Each request's span is written when it closes, with every field it carries.
        let subscriber = tracing_subscriber::fmt()
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_env_filter("info")
            .with_writer(move || Sink(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
        logs
    })
    .clone()
}

/// SPEC §10: the citizen's endpoints log no client address ("alamat Anda tidak disimpan");
/// the staff's requests still do.
#[actix_web::test]
async fn public_endpoints_log_no_client_address() {
    let logs = captured_logs();
    let app = crate::helpers::spawn_behind_proxy().await;
    let admin = app.admin_token().await;
    app.seed_zone_and_spot(&admin).await;
    let citizen = "203.0.113.201";
    let staff = "198.51.100.202";
    let r = app
        .client
        .post(app.url("/api/v1/public/reports"))
        .header("x-forwarded-for", citizen)
        .json(&serde_json::json!({"spot_code": "JMB-PSR-001", "kind": "pungli"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    for path in [
        "/cek/JMB-PSR-001",
        "/api/v1/public/spots/JMB-PSR-001",
        "/cek/NOPE",
    ] {
        app.client
            .get(app.url(path))
            .header("x-forwarded-for", citizen)
            .send()
            .await
            .unwrap();
    }
    app.client
        .get(app.url("/api/v1/zones"))
        .bearer_auth(&admin)
        .header("x-forwarded-for", staff)
        .send()
        .await
        .unwrap();
    // The staff request's span is written when it closes: wait for it, then look.
    let text = || String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    for _ in 0..100 {
        if text().contains(staff) {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let text = text();
    assert!(
        text.contains(staff),
        "the capture works: the staff address is logged"
    );
    assert!(text.contains("/cek/"), "the citizen's requests are logged");
    assert!(!text.contains(citizen), "a citizen's address is logged");
}
