//! Many cities on one deployment (SPEC §17): each city's staff see only their city, and
//! PostgreSQL itself holds the serving role to one city's rows.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PIN, TestApp, spawn_app_with, spot_body, with_gateways};

const DAY: &str = "2026-11-10T00:00:00+07:00";

/// A second city, Balikpapan (WITA), made as an operator would, and a logged-in admin of it.
async fn second_city(app: &TestApp) -> (i64, String) {
    let mut conn = app.db.conn();
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let city = diesel::sql_query(
        "INSERT INTO cities (code, name, timezone) \
         VALUES ('BPN', 'Kota Balikpapan', 'Asia/Makassar') RETURNING id",
    )
    .get_result::<Id>(&mut conn)
    .unwrap()
    .id;
    let token = app.staff_token_in(city, "admin").await;
    (city, token)
}

/// The default city's rows of every city-owned table, as the owner sees them (each row
/// whole, so that a change shows as well as an insert or a delete).
fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    #[derive(QueryableByName)]
    struct Rows {
        #[diesel(sql_type = diesel::sql_types::Text)]
        rows: String,
    }
    let mut conn = app.db.conn();
    city_tables(app)
        .into_iter()
        .map(|t| {
            let rows = diesel::sql_query(format!(
                "SELECT COALESCE(string_agg(r::text, E'\\n' ORDER BY r::text), '') AS rows \
                 FROM {t} r WHERE city_id = 1"
            ))
            .get_result::<Rows>(&mut conn)
            .unwrap()
            .rows;
            (t, rows)
        })
        .collect()
}

/// The tables with a `city_id` column: the city-owned ones.
fn city_tables(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.db.conn();
    diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'city_id' ORDER BY 1",
    )
    .load::<Table>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|t| t.name)
    .collect()
}

/// The ids of the default city's things, by the resource a path names first.
fn id_for(path: &str, a: &A) -> Option<String> {
    let resource = path.trim_start_matches("/api/v1/").split('/').next()?;
    Some(
        match resource {
            "zones" => a.zone,
            "spots" => a.spot,
            "attendants" => a.attendant,
            "merchant-accounts" => a.merchant,
            "payments" => a.payment,
            "payouts" => a.payout,
            "settlements" => a.settlement,
            "alerts" => a.alert,
            "citizen-reports" => a.report,
            "users" => a.user,
            _ => return None,
        }
        .to_string(),
    )
}

/// What the default city holds, each with something only it says.
struct A {
    zone: i64,
    spot: i64,
    attendant: i64,
    merchant: i64,
    payment: i64,
    payout: i64,
    settlement: i64,
    alert: i64,
    report: i64,
    user: i64,
    assignment: i64,
}

/// Words that only the default city's rows carry: none may reach the other city's staff.
const MARKERS: &[&str] = &[
    "JMB-PSR-001",
    "Rahasia Jambi",
    "1571010505850001",
    "JMB-TXN-0001",
    "Zona Pasar Jambi",
];

async fn default_city(app: &TestApp) -> A {
    let city = app.city().on_duty_since(DAY).build().await;
    let admin = &city.admin;
    let r = app
        .patch(
            &format!("/api/v1/attendants/{}", city.attendants[0]),
            admin,
            json!({"name": "Rahasia Jambi"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .patch(
            &format!("/api/v1/zones/{}", city.zone_id),
            admin,
            json!({"name": "Zona Pasar Jambi"}),
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    app.pay(
        "JMB-TXN-0001",
        "JMBPSR001",
        "2000.00",
        "2026-11-10T09:00:00+07:00",
    )
    .await;
    let mut conn = app.db.conn();
    let one = |conn: &mut PgConnection, sql: &str| -> i64 {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        diesel::sql_query(sql).get_result::<Id>(conn).unwrap().id
    };
    let payment = one(&mut conn, "SELECT id FROM payments ORDER BY id LIMIT 1");
    // The rest written as the owner, where the API would need days to pass.
    let settlement = one(
        &mut conn,
        "INSERT INTO settlements (file_hash, imported_by, row_count, counts) \
         VALUES ('jmb-hash', 'uji', 0, '{}') RETURNING id",
    );
    let alert = one(
        &mut conn,
        &format!(
            "INSERT INTO alerts (kind, severity, spot_id, subject_id, business_date, detected_at, evidence) \
             VALUES ('qr_silence', 'high', {}, {}, '2026-11-10', now(), '{{\"note\": \"JMB-PSR-001\"}}') RETURNING id",
            city.spots[0], city.spots[0]
        ),
    );
    let report = one(
        &mut conn,
        &format!(
            "INSERT INTO citizen_reports (reference, spot_id, kind, note, client_hash, business_date) \
             VALUES ('LW-261110-JMBAAA', {}, 'pungli', 'Rahasia Jambi', 'x', '2026-11-10') RETURNING id",
            city.spots[0]
        ),
    );
    let payout = one(
        &mut conn,
        "INSERT INTO payout_runs (from_date, to_date, created_by, created_by_id) \
         VALUES ('2026-11-01', '2026-11-10', 'uji', 1) RETURNING id",
    );
    let user = one(&mut conn, "SELECT id FROM staff_users ORDER BY id LIMIT 1");
    let assignment = one(&mut conn, "SELECT id FROM assignments ORDER BY id LIMIT 1");
    A {
        zone: city.zone_id,
        spot: city.spots[0],
        attendant: city.attendants[0],
        merchant: city.merchant_id,
        payment,
        payout,
        settlement,
        alert,
        report,
        user,
        assignment,
    }
}

/// Generated from the route table, so a new route cannot be forgotten: the other city's admin
/// gets 404 for every one of the default city's ids, finds none of its rows in any list,
/// report or export, and changes nothing of it.
#[actix_web::test]
async fn another_citys_admin_never_sees_or_touches_this_citys_rows() {
    use parkir::routes::table::ROUTES;
    let app = spawn_app_with(with_gateways).await;
    let a = default_city(&app).await;
    let (_, b_admin) = second_city(&app).await;
    let before = snapshot(&app);
    let mut failures = Vec::new();
    let mut tried = 0;
    for route in ROUTES
        .iter()
        .filter(|r| r.roles.contains(&"admin") && r.path.starts_with("/api/v1/"))
    {
        if route.path == "/api/v1/auth/logout" {
            continue;
        }
        let method = Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        let mut path = route
            .path
            .replace("{date}", "2026-11-10")
            .replace("{assignment_id}", &a.assignment.to_string());
        let by_id = path.contains("{id}");
        if by_id {
            match id_for(route.path, &a) {
                Some(id) => path = path.replace("{id}", &id),
                None => {
                    failures.push(format!(
                        "{} {}: no id of the default city for this resource; add it to id_for",
                        route.method, route.path
                    ));
                    continue;
                }
            }
        }
        let query = match route.path {
            "/api/v1/reports/series" => "?from=2026-11-01&to=2026-11-30",
            "/api/v1/reports/monthly" | "/api/v1/reports/monthly.csv" => "?month=2026-11",
            "/api/v1/reconciliation/daily" | "/api/v1/reconciliation/daily.csv" => {
                "?date=2026-11-10"
            }
            "/api/v1/cash-deposits" => "?from=2026-11-01&to=2026-11-30",
            _ => "",
        };
        let body = (method != Method::GET).then(|| json!({}));
        let r = app
            .send(
                method.clone(),
                &format!("{path}{query}"),
                Some(&b_admin),
                body.as_ref(),
            )
            .await;
        tried += 1;
        let text = r.body.to_string();
        if by_id && method == Method::GET && r.status != 404 {
            failures.push(format!(
                "GET {path}: {} (want 404) {}",
                r.status,
                &text[..text.len().min(200)]
            ));
        }
        if r.status >= 500 {
            failures.push(format!("{} {path}: {}", route.method, r.status));
        }
        // A list, report or export must answer, or finding none of the rows proves nothing.
        if !by_id && method == Method::GET && r.status != 200 {
            failures.push(format!(
                "GET {path}{query}: {} (want 200) {}",
                r.status,
                &text[..text.len().min(200)]
            ));
        }
        // Text answers (JSON, CSV, HTML) are read whole; a workbook is a zip of them.
        let shown = match r.content_type() {
            t if t.contains("spreadsheetml") => String::new(),
            _ => app
                .text(&format!("{path}{query}"), Some(&b_admin))
                .await
                .chars()
                .take(1_000_000)
                .collect(),
        };
        let shown = if method == Method::GET { shown } else { text };
        for marker in MARKERS {
            if shown.contains(marker) {
                failures.push(format!("{} {path}: shows {marker}", route.method));
            }
        }
    }
    assert!(tried > 50, "the table lists the admin's routes");
    assert!(
        failures.is_empty(),
        "city isolation fails:\n{}",
        failures.join("\n")
    );
    let after = snapshot(&app);
    for ((table, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(
            was, is,
            "{table}: the other city's admin changed the default city's rows"
        );
    }
}

/// KTA numbers, NIKs, terminal ids, NMIDs and zone codes are unique per city; spot codes and
/// phones across the deployment.
#[actix_web::test]
async fn the_same_kta_nik_terminal_and_nmid_live_in_two_cities() {
    let app = spawn_app_with(with_gateways).await;
    let a = app.city().build().await;
    let (_, b_admin) = second_city(&app).await;
    let attendant = |phone: &str| {
        json!({"nik": "1571010505850011", "name": "Ahmad Fauzi", "phone": phone,
               "kta_number": "KTA-0011", "pin": "583920"})
    };
    let r = app
        .post("/api/v1/attendants", &a.admin, attendant("081274000011"))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The same NIK and KTA in the other city: another person's card there.
    let r = app
        .post("/api/v1/attendants", &b_admin, attendant("081274000012"))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // …but a phone is a login: one across the deployment.
    let r = app
        .post("/api/v1/attendants", &b_admin, {
            let mut body = attendant("081274000011");
            body["kta_number"] = json!("KTA-0012");
            body["nik"] = json!("1571010505850012");
            body
        })
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Same NMID and zone code; the same terminal label under another spot code.
    let b = app
        .city()
        .by(&b_admin)
        .spots(&["BPN-PSR-001"])
        .build()
        .await;
    let mut spot = spot_body("BPN-PSR-002");
    spot["terminal_id"] = json!("JMBPSR001");
    let r = app
        .post(
            &format!("/api/v1/zones/{}/spots", b.zone_id),
            &b_admin,
            spot,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // A spot code is the deployment's: `/cek/{code}` finds one city from it.
    let r = app
        .post(
            &format!("/api/v1/zones/{}/spots", b.zone_id),
            &b_admin,
            spot_body("JMB-PSR-001"),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Each city's citizens' page finds its own spot.
    let page = app.text("/cek/BPN-PSR-001", None).await;
    assert!(page.contains("BPN-PSR-001"), "{page}");
    let r = app
        .send(Method::GET, "/api/v1/public/spots/JMB-PSR-001", None, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Each city's attendant logs in to their own city.
    let r = app.attendant_login("081274000012", "583920").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let me = app
        .get("/api/v1/me", r.body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.status, 200, "{}", me.body);
    let _ = PIN;
}

/// The serving role, in a raw SQL session that names no city, sees no city's rows and can
/// write none; every city-owned table has row-level security; the role owns nothing and may
/// not bypass it.
#[actix_web::test]
async fn a_session_as_the_serving_role_without_a_city_sees_no_rows() {
    let app = spawn_app_with(with_gateways).await;
    default_city(&app).await;
    let tables = city_tables(&app);
    assert!(tables.len() >= 26, "{tables:?}");
    let mut conn = app.db.conn();
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Guard {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rls: bool,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        policies: i64,
    }
    let guards = diesel::sql_query(
        "SELECT c.relname::text AS name, c.relrowsecurity AS rls, \
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies \
         FROM pg_class c JOIN information_schema.columns k \
           ON k.table_name = c.relname AND k.column_name = 'city_id' AND k.table_schema = 'public' \
         WHERE c.relkind = 'r' ORDER BY 1",
    )
    .load::<Guard>(&mut conn)
    .unwrap();
    for g in &guards {
        assert!(g.rls && g.policies >= 1, "{g:?} has no row-level security");
    }
    #[derive(QueryableByName)]
    struct Role {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolsuper: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolbypassrls: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolcanlogin: bool,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        owns: i64,
    }
    let role = diesel::sql_query(
        "SELECT rolsuper, rolbypassrls, rolcanlogin, \
                (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owns \
         FROM pg_roles r WHERE rolname = 'parkir_app'",
    )
    .get_result::<Role>(&mut conn)
    .unwrap();
    assert!(!role.rolsuper && !role.rolbypassrls && !role.rolcanlogin && role.owns == 0);

    let owner_sees: i64 = tables.iter().map(|t| app.count(t)).sum();
    assert!(owner_sees > 10, "the default city has rows: {owner_sees}");
    conn.batch_execute("SET ROLE parkir_app").unwrap();
    for t in &tables {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n = diesel::sql_query(format!("SELECT count(*) AS n FROM {t}"))
            .get_result::<N>(&mut conn)
            .unwrap()
            .n;
        assert_eq!(n, 0, "{t}: a session without a city sees rows");
    }
    let write = conn.batch_execute(
        "INSERT INTO zones (code, name, district, merchant_account_id) \
         VALUES ('X', 'X', 'X', 1)",
    );
    assert!(write.is_err(), "a session without a city wrote a row");
    // Naming the city shows its rows, and only them.
    conn.batch_execute("SELECT set_config('parkir.city', '1', false)")
        .unwrap();
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n = diesel::sql_query("SELECT count(*) AS n FROM spots")
        .get_result::<N>(&mut conn)
        .unwrap()
        .n;
    assert_eq!(n, 1);
    let _: Option<Value> = None;
}

/// The operator makes a city and its first admin, sees every city's totals of a day, and
/// reads none of any city's people.
#[actix_web::test]
async fn the_operator_runs_cities_and_reads_only_their_totals() {
    let app = spawn_app_with(with_gateways).await;
    default_city(&app).await;
    let operator = app.operator_token().await;
    let r = app
        .post(
            "/api/v1/cities",
            &operator,
            json!({"code": "bpn", "name": " ", "timezone": "Asia/Tokyo"}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let fields: Vec<_> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["code", "name", "timezone"]);
    let r = app
        .post(
            "/api/v1/cities",
            &operator,
            json!({"code": "BPN", "name": "Kota Balikpapan", "timezone": "Asia/Makassar"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let bpn = r.body["id"].as_i64().unwrap();
    let r = app
        .post(
            "/api/v1/cities",
            &operator,
            json!({"code": "BPN", "name": "Lagi", "timezone": "Asia/Makassar"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = app
        .post(
            &format!("/api/v1/cities/{bpn}/users"),
            &operator,
            json!({"username": "admin-bpn", "password": "balikpapan-2026-kuat"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&json!({"username": "admin-bpn", "password": "balikpapan-2026-kuat"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let b_admin = r.body["access_token"].as_str().unwrap().to_owned();
    let list = app.get("/api/v1/attendants", &b_admin).await;
    assert_eq!(list.status, 200);
    assert_eq!(
        list.body["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        list.body
    );

    // Every city's day, in sums.
    let r = app
        .get("/api/v1/operator/summary?date=2026-11-10", &operator)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cities = r.body["cities"].as_array().unwrap();
    assert_eq!(cities.len(), 2, "{}", r.body);
    assert_eq!(cities[0]["code"], "JMB");
    assert_eq!(cities[0]["tx_count"], 1);
    assert_eq!(cities[0]["gross"], 2000);
    assert_eq!(cities[0]["city_share"], 800);
    assert_eq!(cities[1]["code"], "BPN");
    assert_eq!(cities[1]["gross"], 0);
    // No people: the registry, payments and reports are a city's, not the operator's.
    for path in [
        "/api/v1/attendants",
        "/api/v1/payments",
        "/api/v1/reports/monthly?month=2026-11",
    ] {
        let r = app.get(path, &operator).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }
    // A city's admin cannot manage cities.
    let r = app.get("/api/v1/cities", &b_admin).await;
    assert_eq!(r.status, 403);
}
