//! The citizen check (SPEC §13): the public JSON, anonymous reports and their limits, the
//! staff's triage, and reports raising alerts.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::alerts::{city, history_with};
use crate::helpers::{TestApp, spawn_app};

async fn report(app: &TestApp, body: Value) -> crate::helpers::Reply {
    app.send(
        reqwest::Method::POST,
        "/api/v1/public/reports",
        None,
        Some(&body),
    )
    .await
}

#[actix_web::test]
async fn the_public_spot_shows_what_a_payer_can_compare_and_nothing_private() {
    let app = spawn_app().await;
    let (admin, spot, _) = app.city_on_duty_since("2026-01-01T00:00:00+07:00").await;
    let r = app
        .send(
            reqwest::Method::GET,
            "/api/v1/public/spots/JMB-PSR-001",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let keys: Vec<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "active",
            "attendant",
            "code",
            "merchant_name",
            "name",
            "nmid",
            "tariffs",
            "terminal_id",
            "zone"
        ]
    );
    assert_eq!(r.body["merchant_name"], "DISHUB KOTA JAMBI");
    assert_eq!(r.body["nmid"], "ID1026100000123");
    assert_eq!(
        r.body["attendant"],
        json!({"name": "Jukir Uji", "kta_number": "KTA-1", "photo_url": null})
    );
    let text = r.body.to_string();
    for private in ["1571010505850001", "081274000001", "\"id\""] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    // Off duty: no attendant is shown.
    let duty = app.get("/api/v1/attendants", &admin).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let assignment = app
        .get(&format!("/api/v1/attendants/{duty}/assignments"), &admin)
        .await
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let ended = app
        .patch(
            &format!("/api/v1/attendants/{duty}/assignments/{assignment}"),
            &admin,
            json!({"ends_at": "2026-01-02T00:00:00+07:00"}),
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    let r = app
        .send(
            reqwest::Method::GET,
            "/api/v1/public/spots/JMB-PSR-001",
            None,
            None,
        )
        .await;
    assert!(r.body["attendant"].is_null(), "{}", r.body);
    let _ = spot;
    let r = app
        .send(
            reqwest::Method::GET,
            "/api/v1/public/spots/JMB-NOPE-001",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let page = app
        .client
        .get(app.url("/cek/JMB-NOPE-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("tidak terdaftar"));
    let page = app
        .client
        .get(app.url("/cek/JMB-PSR-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("DISHUB KOTA JAMBI") && html.contains("Tidak ada juru parkir resmi"));
    // Light for a weak signal: the page and its one stylesheet, no script.
    assert!(!html.contains("<script"));
    assert!(
        html.len() + parkir::web::cek::weight() < 30 * 1024,
        "{} bytes",
        html.len() + parkir::web::cek::weight()
    );
}

/// Spots JMB-PSR-001 to 006 in one zone.
async fn six_spots(app: &TestApp, admin: &str) {
    let (_, zone, _) = app.seed_zone_and_spot(admin).await;
    for n in 2..=6 {
        let r = app
            .post(
                &format!("/api/v1/zones/{zone}/spots"),
                admin,
                crate::helpers::spot_body(&format!("JMB-PSR-00{n}")),
            )
            .await;
        assert_eq!(r.status, 201);
    }
}

#[actix_web::test]
async fn reports_are_checked_limited_and_stored_without_identity() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    six_spots(&app, &admin).await;
    for (body, field) in [
        (
            json!({"spot_code": "JMB-PSR-001", "kind": "mencuri"}),
            "kind",
        ),
        (
            json!({"spot_code": "JMB-PSR-001", "kind": "pungli", "note": "x".repeat(501)}),
            "note",
        ),
        (
            json!({"spot_code": "JMB-PSR-001", "kind": "pungli", "amount_asked": 2000.5}),
            "amount_asked",
        ),
        (
            json!({"spot_code": "JMB-PSR-001", "kind": "pungli", "amount_asked": -1}),
            "amount_asked",
        ),
    ] {
        let r = report(&app, body.clone()).await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, field),
            "{body}: {}",
            r.body
        );
    }
    let unknown = report(&app, json!({"spot_code": "JMB-XXX-001", "kind": "pungli"})).await;
    assert_eq!(
        unknown.status, 404,
        "a code no spot has, like an id no row has"
    );
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("spot_code:")
    );
    assert_eq!(app.count("citizen_reports"), 0);

    let r = report(&app, json!({"spot_code": "JMB-PSR-001", "kind": "pungli", "note": "Diminta Rp5.000", "amount_asked": 5000})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["reference"].as_str().unwrap().starts_with("LW-"));
    // The same spot and kind again today: 429, nothing stored.
    let again = report(&app, json!({"spot_code": "JMB-PSR-001", "kind": "pungli"})).await;
    assert_eq!(again.status, 429);
    assert_eq!(app.count("citizen_reports"), 1);
    // Five an hour from one address.
    for n in 2..=5 {
        let r = report(
            &app,
            json!({"spot_code": format!("JMB-PSR-00{n}"), "kind": "lainnya"}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let sixth = report(&app, json!({"spot_code": "JMB-PSR-006", "kind": "lainnya"})).await;
    assert_eq!(sixth.status, 429);
    assert!(sixth.headers.get("retry-after").is_some());
    assert_eq!(app.count("citizen_reports"), 5);
    // No address anywhere: only a keyed hash, under a key that exists for today only.
    let mut conn = app.db.conn();
    #[derive(diesel::QueryableByName)]
    struct Leak {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let leak: Leak = diesel::RunQueryDsl::get_result(
        diesel::sql_query(
            "SELECT count(*) AS n FROM citizen_reports r WHERE r::text LIKE '%127.0.0.1%'",
        ),
        &mut conn,
    )
    .unwrap();
    assert_eq!(leak.n, 0);
    assert_eq!(app.count("report_keys"), 1);

    // Triage: supervisors and admins; auditors read nothing here.
    let supervisor = app.staff_token("supervisor").await;
    let auditor = app.staff_token("auditor").await;
    let list = app
        .get("/api/v1/citizen-reports?status=new", &supervisor)
        .await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 5);
    assert_eq!(list.body["items"][4]["amount_asked"], 5000);
    assert_eq!(list.body["items"][4]["spot_code"], "JMB-PSR-001");
    assert_eq!(
        app.get("/api/v1/citizen-reports", &auditor).await.status,
        403
    );
    let id = list.body["items"][4]["id"].as_i64().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/citizen-reports/{id}"),
            &supervisor,
            json!({"status": "valid", "note": "Dicek di lokasi."}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "valid");
    assert_eq!(r.body["notes"][0]["text"], "Dicek di lokasi.");
    let r = app
        .patch(
            &format!("/api/v1/citizen-reports/{id}"),
            &supervisor,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!((r.status, r.error_field()), (400, "status"));
    let r = app
        .patch(
            &format!("/api/v1/citizen-reports/{id}"),
            &supervisor,
            json!({"note": "   "}),
        )
        .await;
    assert_eq!(
        (r.status, r.error_field()),
        (400, "status"),
        "a triage that changes nothing"
    );
    let r = app
        .get("/api/v1/citizen-reports?status=closed", &supervisor)
        .await;
    assert_eq!((r.status, r.error_field()), (400, "status"));
}

fn at(wib: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(wib)
        .unwrap()
        .with_timezone(&Utc)
}

#[actix_web::test]
async fn a_report_raises_the_leak_alert_of_its_spot_and_a_qr_report_is_an_alert() {
    let app = spawn_app().await;
    let (admin, spots) = city(&app).await;
    // 12 Oct: JMB-PSR-003 loses four in six non-cash payers from 09:00 (a partial leak).
    history_with(
        &app,
        "2026-10-01",
        "2026-10-12",
        "s.code = 'JMB-PSR-003' AND d = '2026-10-12' AND h >= 9 AND m IN (5, 15, 25, 35)",
        "false",
    );
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(r.body, json!({"opened": 1}), "{}", r.body);
    let drop = &app
        .get("/api/v1/alerts?kind=noncash_drop", &admin)
        .await
        .body["items"][0];
    assert_eq!(drop["spot_id"], spots[2]);
    assert_eq!(drop["severity"], "medium");

    // A motorist reports a different QR at that spot the same afternoon.
    let tz = chrono_tz::Asia::Jakarta;
    let mut conn = app.db.conn();
    let input = parkir::services::citizen::ReportInput {
        spot_code: Some("JMB-PSR-003".into()),
        kind: "qr_berbeda".into(),
        ..Default::default()
    };
    let ip = Some("203.0.113.7".parse().unwrap());
    parkir::services::citizen::report(&mut conn, &input, ip, at("2026-10-12T15:00:00+07:00"), tz)
        .unwrap();
    let drop = &app
        .get("/api/v1/alerts?kind=noncash_drop", &admin)
        .await
        .body["items"][0];
    assert_eq!(drop["severity"], "high", "the report raised it");
    let citizen = app.get("/api/v1/alerts?kind=citizen_reports", &admin).await;
    let items = citizen.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["spot_id"], spots[2]);
    assert_eq!(items[0]["severity"], "high");
    assert_eq!(items[0]["evidence"]["qr_berbeda"], 1);
    assert_eq!(items[0]["evidence"]["coincides_with_leak_alert"], true);

    // One ordinary report at another spot is not an alert; a second one is.
    let other = parkir::services::citizen::ReportInput {
        spot_code: Some("JMB-PSR-005".into()),
        kind: "pungli".into(),
        ..Default::default()
    };
    parkir::services::citizen::report(&mut conn, &other, ip, at("2026-10-12T15:05:00+07:00"), tz)
        .unwrap();
    assert_eq!(
        app.get("/api/v1/alerts?kind=citizen_reports", &admin)
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let second = parkir::services::citizen::ReportInput {
        kind: "tarif_berlebih".into(),
        ..other
    };
    parkir::services::citizen::report(&mut conn, &second, ip, at("2026-10-12T15:10:00+07:00"), tz)
        .unwrap();
    let citizen = app.get("/api/v1/alerts?kind=citizen_reports", &admin).await;
    let fifth = citizen.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["spot_id"] == spots[4])
        .cloned();
    assert_eq!(fifth.unwrap()["severity"], "medium");
}

/// A POST to a public endpoint, with raw headers.
async fn raw_post(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let mut req = app.client.post(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.body(body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

/// SPEC §10: only this site's own pages may file reports (403 otherwise, nothing stored), a
/// JSON body must say it is JSON (415), and a filled honeypot is answered exactly like a real
/// report while nothing is stored or counted.
#[actix_web::test]
async fn public_writes_come_from_this_site_and_bots_learn_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.seed_zone_and_spot(&admin).await;
    let json_ct = ("content-type", "application/json");
    let body = json!({"spot_code": "JMB-PSR-001", "kind": "pungli"}).to_string();
    let own = app.address.clone();
    for headers in [
        vec![json_ct, ("sec-fetch-site", "cross-site")],
        vec![
            json_ct,
            ("sec-fetch-site", "same-site"),
            ("origin", "https://evil.example"),
        ],
        vec![json_ct, ("origin", "https://evil.example")],
        vec![json_ct, ("origin", "null")],
    ] {
        let (status, text) = raw_post(&app, "/api/v1/public/reports", &headers, body.clone()).await;
        assert_eq!(status, 403, "{headers:?}: {text}");
    }
    // The same from a page elsewhere, as a form to the page's own address.
    let (status, page) = raw_post(
        &app,
        "/cek/JMB-PSR-001",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "https://evil.example"),
        ],
        "kind=pungli",
    )
    .await;
    assert_eq!(status, 403);
    assert!(page.contains("Laporan ditolak"), "{page}");
    // JSON that does not say so: no type, or text/plain (what a foreign form can send).
    for headers in [vec![], vec![("content-type", "text/plain")]] {
        let (status, _) = raw_post(&app, "/api/v1/public/reports", &headers, body.clone()).await;
        assert_eq!(status, 415, "{headers:?}");
    }
    assert_eq!(app.count("citizen_reports"), 0);

    // A filled honeypot: 201 with a reference, like any report; nothing stored or counted.
    let bot = json!({"spot_code": "JMB-PSR-001", "kind": "pungli", "website": "http://spam"});
    let (status, text) =
        raw_post(&app, "/api/v1/public/reports", &[json_ct], bot.to_string()).await;
    assert_eq!(status, 201, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert!(answer["reference"].as_str().unwrap().starts_with("LW-"));
    assert!(answer["id"].as_i64().is_some());
    let (status, page) = raw_post(
        &app,
        "/cek/JMB-PSR-001",
        &[("content-type", "application/x-www-form-urlencoded")],
        "kind=pungli&website=spam",
    )
    .await;
    assert_eq!(status, 201);
    assert!(page.contains("Nomor laporan"));
    assert_eq!(app.count("citizen_reports"), 0);
    assert_eq!(app.count("report_keys"), 0, "nothing counted either");

    // The site's own page (same origin, as Chromium sends it) and a plain client are taken.
    let own_origin = [json_ct, ("origin", own.as_str())];
    let (status, text) = raw_post(&app, "/api/v1/public/reports", &own_origin, body).await;
    assert_eq!(status, 201, "{text}");
    let (status, _) = raw_post(
        &app,
        "/cek/JMB-PSR-001",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", own.as_str()),
            ("sec-fetch-site", "same-origin"),
        ],
        "kind=tarif_berlebih",
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(app.count("citizen_reports"), 2);
    // The pages post with their origin: same-origin referrers, never `no-referrer`.
    let page = app
        .client
        .get(app.url("/cek/JMB-PSR-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
}

/// SPEC §13: people type codes in any case.
#[actix_web::test]
async fn spot_codes_are_not_case_sensitive() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, zone, _) = app.seed_zone_and_spot(&admin).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = no_redirects
        .get(app.url("/cek/jmb-psr-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 301);
    assert_eq!(page.headers()["location"], "/cek/JMB-PSR-001");
    // The landing page asks for the code; its form lands on the spot's page.
    let landing = app.client.get(app.url("/cek")).send().await.unwrap();
    assert_eq!(landing.status(), 200);
    assert!(landing.text().await.unwrap().contains("name=\"code\""));
    let found = no_redirects
        .get(app.url("/cek?code=+jmb-psr-001+"))
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 303);
    assert_eq!(found.headers()["location"], "/cek/JMB-PSR-001");
    let page = app
        .client
        .get(app.url("/cek/Jmb-Psr-001"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(!page.text().await.unwrap().contains("tidak terdaftar"));
    let json: Value = app
        .client
        .get(app.url("/api/v1/public/spots/jmb-psr-001"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["code"], "JMB-PSR-001");
    let r = report(&app, json!({"spot_code": "jmb-psr-001", "kind": "pungli"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let listed = app.get("/api/v1/citizen-reports", &admin).await;
    assert_eq!(listed.body["items"][0]["spot_code"], "JMB-PSR-001");
    // No second spot may differ only in case.
    let mut body = crate::helpers::spot_body("jmb-psr-001");
    body["terminal_id"] = json!("JMBPSR001B");
    let twin = app
        .post(&format!("/api/v1/zones/{zone}/spots"), &admin, body)
        .await;
    assert_eq!(
        (twin.status, twin.error_field()),
        (409, "code"),
        "{}",
        twin.body
    );
}

/// SPEC §10: behind a trusted proxy, every `X-Forwarded-For` line is read (a client's own line
/// comes first, the proxy's last) and an IPv6 client counts per /64.
#[actix_web::test]
async fn limits_count_the_real_client_behind_a_proxy() {
    let app = crate::helpers::spawn_behind_proxy().await;
    let admin = app.admin_token().await;
    six_spots(&app, &admin).await;
    let send = |spot: u32, lines: Vec<String>| {
        let app = &app;
        async move {
            let mut req = app
                .client
                .post(app.url("/api/v1/public/reports"))
                .json(&json!({"spot_code": format!("JMB-PSR-00{spot}"), "kind": "lainnya"}));
            for line in lines {
                req = req.header("x-forwarded-for", line);
            }
            req.send().await.unwrap().status().as_u16()
        }
    };
    // Five from one client, then a sixth with an invented first line: still that client.
    for spot in 1..=5 {
        assert_eq!(send(spot, vec!["198.51.100.7".into()]).await, 201);
    }
    let sixth = send(6, vec!["203.0.113.99".into(), "198.51.100.7:40222".into()]).await;
    assert_eq!(sixth, 429, "a second X-Forwarded-For line is read");
    // Five from five addresses of one IPv6 /64: one client.
    for spot in 1..=5 {
        let ip = format!("2001:db8:77:1::{spot:x}");
        let kind_free = send(spot, vec![ip]).await;
        assert_eq!(kind_free, 201);
    }
    assert_eq!(send(6, vec!["2001:db8:77:1:ffff::1".into()]).await, 429);
    // Another /64 is another client; an IPv4-mapped address is its IPv4 address.
    assert_eq!(send(6, vec!["2001:db8:77:2::1".into()]).await, 201);
    assert_eq!(send(6, vec!["::ffff:198.51.100.7".into()]).await, 429);
}

/// SPEC §13: the illegal attendant at a kerb no spot names can be reported too — with a
/// location instead of a spot, and only for what an attendant can do anywhere.
#[actix_web::test]
async fn a_report_may_name_no_spot_and_staff_see_where_it_was() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.seed_zone_and_spot(&admin).await;
    let street = "Jl. Sultan Thaha depan Pasar Angso Duo";
    for (body, field) in [
        (
            json!({"spot_code": null, "location": street, "kind": "qr_berbeda"}),
            "spot_code",
        ),
        (
            json!({"spot_code": null, "location": street, "kind": "tarif_berlebih"}),
            "spot_code",
        ),
        (json!({"spot_code": null, "kind": "pungli"}), "location"),
        (json!({"location": street, "kind": "pungli"}), "spot_code"),
        (
            json!({"spot_code": null, "location": "   ", "kind": "pungli"}),
            "location",
        ),
        (
            json!({"spot_code": null, "location": "x".repeat(201), "kind": "pungli"}),
            "location",
        ),
        (
            json!({"spot_code": null, "location": "Jl. Sudirman\u{7}", "kind": "pungli"}),
            "location",
        ),
        (
            json!({"spot_code": null, "location": "Jl. Sudirman\u{0}", "kind": "pungli"}),
            "location",
        ),
        (
            json!({"spot_code": "JMB-PSR-001", "location": street, "kind": "pungli"}),
            "location",
        ),
        (json!({"spot_code": "", "kind": "pungli"}), "spot_code"),
        (
            json!({"spot_code": null, "location": street, "kind": "lainnya", "note": "x".repeat(501)}),
            "note",
        ),
    ] {
        let r = report(&app, body.clone()).await;
        assert_eq!(
            (r.status, r.error_field()),
            (400, field),
            "{body}: {}",
            r.body
        );
    }
    let unknown = report(
        &app,
        json!({"spot_code": "JMB-XXX-001", "location": null, "kind": "pungli"}),
    )
    .await;
    assert_eq!(unknown.status, 404, "a non-null code still names a spot");
    // A filled honeypot is answered like a report, without a spot too.
    let bot = report(
        &app,
        json!({"spot_code": null, "location": street, "kind": "pungli", "website": "spam"}),
    )
    .await;
    assert_eq!(bot.status, 201, "{}", bot.body);
    assert_eq!(app.count("citizen_reports"), 0);

    let r = report(
        &app,
        json!({"spot_code": null, "location": format!("  {street}  "), "kind": "jukir_tidak_resmi",
               "note": "Rompi oranye tanpa KTA", "amount_asked": 5000}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["reference"].as_str().unwrap().starts_with("LW-"));
    let longest = "é".repeat(200);
    let r = report(
        &app,
        json!({"spot_code": null, "location": longest, "kind": "lainnya"}),
    )
    .await;
    assert_eq!(r.status, 201, "200 characters is the limit: {}", r.body);
    let r = report(&app, json!({"spot_code": "JMB-PSR-001", "kind": "pungli"})).await;
    assert_eq!(r.status, 201, "{}", r.body);

    let supervisor = app.staff_token("supervisor").await;
    let list = app.get("/api/v1/citizen-reports", &supervisor).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let (spot, long, kerb) = (&items[0], &items[1], &items[2]);
    assert_eq!(spot["spot_code"], "JMB-PSR-001");
    assert!(spot["spot_id"].is_i64());
    assert!(spot["location"].is_null());
    assert_eq!(long["location"], longest);
    assert_eq!(kerb["location"], street, "trimmed");
    assert!(kerb["spot_id"].is_null() && kerb["spot_code"].is_null());
    assert_eq!(kerb["kind"], "jukir_tidak_resmi");
    assert_eq!(kerb["amount_asked"], 5000);
    assert_eq!(kerb["note"], "Rompi oranye tanpa KTA");
    // A triage answers with the report as listed: its place, by name.
    let id = kerb["id"].as_i64().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/citizen-reports/{id}"),
            &supervisor,
            json!({"status": "in_review"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["location"], street);
    assert!(r.body["spot_code"].is_null());
    let id = spot["id"].as_i64().unwrap();
    let r = app
        .patch(
            &format!("/api/v1/citizen-reports/{id}"),
            &supervisor,
            json!({"status": "in_review"}),
        )
        .await;
    assert_eq!(r.body["spot_code"], "JMB-PSR-001", "{}", r.body);
    // Alerts count per spot: reports that name none raise nothing.
    let alerts = app.get("/api/v1/alerts?kind=citizen_reports", &admin).await;
    assert_eq!(alerts.body["items"], json!([]), "{}", alerts.body);
    let r = app
        .post("/api/v1/alerts/evaluate?date=2026-10-12", &admin, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// SPEC §13: without a spot, one report per client and kind a day; five an hour still holds.
#[actix_web::test]
async fn without_a_spot_the_daily_limit_keys_on_client_and_kind() {
    use parkir::error::ApiError;
    use parkir::services::citizen::{ReportInput, report};
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.seed_zone_and_spot(&admin).await;
    let tz = chrono_tz::Asia::Jakarta;
    let mut conn = app.db.conn();
    let one = Some("203.0.113.7".parse().unwrap());
    let other = Some("198.51.100.9".parse().unwrap());
    let kerb = |kind: &str, location: &str| ReportInput {
        spot_code: None,
        location: Some(location.into()),
        kind: kind.into(),
        ..Default::default()
    };
    let spot = |kind: &str| ReportInput {
        spot_code: Some("JMB-PSR-001".into()),
        kind: kind.into(),
        ..Default::default()
    };
    let limited = |r: Result<_, ApiError>| matches!(r, Err(ApiError::TooManyRequests { .. }));

    let day = "2026-10-12T";
    let t = |hm: &str| at(&format!("{day}{hm}:00+07:00"));
    report(&mut conn, &kerb("pungli", "Jl. A"), one, t("09:00"), tz).unwrap();
    let again = report(&mut conn, &kerb("pungli", "Jl. B"), one, t("09:01"), tz);
    assert!(
        limited(again),
        "same client and kind, another place: still one a day"
    );
    report(&mut conn, &kerb("lainnya", "Jl. B"), one, t("09:02"), tz).unwrap();
    report(&mut conn, &kerb("pungli", "Jl. A"), other, t("09:03"), tz).unwrap();
    // A spot's reports keep their own key (client, spot, kind).
    report(&mut conn, &spot("pungli"), one, t("09:04"), tz).unwrap();
    // Late in the evening the day is the same; after midnight it is the next.
    let late = report(&mut conn, &kerb("pungli", "Jl. C"), one, t("23:59"), tz);
    assert!(limited(late));
    report(
        &mut conn,
        &kerb("pungli", "Jl. C"),
        one,
        at("2026-10-13T00:01:00+07:00"),
        tz,
    )
    .unwrap();
    assert_eq!(app.count("citizen_reports"), 5);

    // Five an hour from one client, reports without a spot counted with the others.
    let t = |hm: &str| at(&format!("2026-10-14T{hm}:00+07:00"));
    report(&mut conn, &kerb("pungli", "Jl. D"), one, t("10:00"), tz).unwrap();
    report(
        &mut conn,
        &kerb("jukir_tidak_resmi", "Jl. D"),
        one,
        t("10:01"),
        tz,
    )
    .unwrap();
    report(&mut conn, &kerb("lainnya", "Jl. D"), one, t("10:02"), tz).unwrap();
    report(&mut conn, &spot("pungli"), one, t("10:03"), tz).unwrap();
    report(&mut conn, &spot("lainnya"), one, t("10:04"), tz).unwrap();
    let sixth = report(&mut conn, &spot("qr_berbeda"), one, t("10:05"), tz);
    assert!(limited(sixth));
    assert_eq!(app.count("citizen_reports"), 10);
}

/// A form post from this site's own page (no Origin, as a plain client sends it).
async fn form_post(app: &TestApp, path: &str, body: &str) -> (u16, String) {
    raw_post(
        app,
        path,
        &[("content-type", "application/x-www-form-urlencoded")],
        body.to_owned(),
    )
    .await
}

/// SPEC §13: an unknown code's page says so, gives the hotline, and still takes a report —
/// without a spot, the code as typed for its location — server-rendered, no script.
#[actix_web::test]
async fn an_unregistered_codes_page_gives_the_hotline_and_takes_a_report() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.hotline = Some(parkir::domain::Hotline::parse("0811-7400-100").unwrap());
    })
    .await;
    let page = app
        .client
        .get(app.url("/cek/JMB-ZZZ-404"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    for expected in [
        "tidak terdaftar",
        "0811-7400-100",
        "href=\"tel:08117400100\"",
        "href=\"https://wa.me/628117400100\"",
        "action=\"/cek/JMB-ZZZ-404#lapor\"",
        "id=\"lapor\"",
        "value=\"pungli\"",
        "value=\"jukir_tidak_resmi\"",
        "value=\"lainnya\"",
        "name=\"website\"",
    ] {
        assert!(html.contains(expected), "{expected} missing: {html}");
    }
    // What is about a spot's own QR or tariff is not offered where there is no spot.
    assert!(!html.contains("value=\"qr_berbeda\"") && !html.contains("value=\"tarif_berlebih\""));
    assert!(!html.contains("<script"));

    // Nothing chosen: the page again, still 404's page, the reason first.
    let (status, html) = form_post(&app, "/cek/JMB-ZZZ-404", "kind=&note=").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("tidak terdaftar") && html.contains("Pilih jenis laporan"),
        "{html}"
    );
    // A kind that needs a spot, posted by hand.
    let (status, html) = form_post(&app, "/cek/JMB-ZZZ-404", "kind=qr_berbeda").await;
    assert_eq!(status, 400);
    assert!(html.contains("Pilih salah satu jenis laporan"), "{html}");
    // From another site: refused.
    let (status, _) = raw_post(
        &app,
        "/cek/JMB-ZZZ-404",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "https://evil.example"),
        ],
        "kind=pungli",
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("citizen_reports"), 0);

    let (status, html) = form_post(
        &app,
        "/cek/JMB-ZZZ-404",
        "kind=jukir_tidak_resmi&amount_asked=10000&note=Depan+toko+emas%2C+rompi+oranye",
    )
    .await;
    assert_eq!(status, 201, "{html}");
    assert!(
        html.contains("Nomor laporan") && html.contains("JMB-ZZZ-404"),
        "{html}"
    );
    let admin = app.admin_token().await;
    let list = app.get("/api/v1/citizen-reports", &admin).await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", list.body);
    assert_eq!(items[0]["location"], "JMB-ZZZ-404");
    assert!(items[0]["spot_id"].is_null() && items[0]["spot_code"].is_null());
    assert_eq!(items[0]["kind"], "jukir_tidak_resmi");
    assert_eq!(items[0]["amount_asked"], 10000);
    assert_eq!(items[0]["note"], "Depan toko emas, rompi oranye");

    // Without PARKIR_HOTLINE the page has no number, and still the form.
    let plain = spawn_app().await;
    let page = plain
        .client
        .get(plain.url("/cek/JMB-ZZZ-404"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(html.contains("tidak terdaftar") && html.contains("Kirim laporan"));
    assert!(!html.contains("tel:") && !html.contains("wa.me"));
}

/// A refused form on a 360×640 phone: the page comes back at the form (`#lapor`), with what
/// was wrong at its top, each message linked to its field.
#[actix_web::test]
async fn a_refused_form_says_why_where_the_phone_lands() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.seed_zone_and_spot(&admin).await;
    let page = app.text("/cek/JMB-PSR-001", None).await;
    assert!(page.contains("action=\"/cek/JMB-PSR-001#lapor\""), "{page}");
    assert!(!page.contains("error-summary"));
    let (status, html) = form_post(&app, "/cek/JMB-PSR-001", "").await;
    assert_eq!(status, 400);
    let lapor = html.find("id=\"lapor\"").expect("the form's section");
    let summary = html.find("class=\"error-summary\"").expect("a summary");
    let form = html.find("<form").unwrap();
    assert!(lapor < summary && summary < form, "{html}");
    assert!(
        html[summary..form].contains("<a href=\"#kind\">Pilih jenis laporan.</a>"),
        "{html}"
    );
    assert!(html.contains("id=\"kind\""));
    let (status, html) = form_post(&app, "/cek/JMB-PSR-001", "kind=pungli&amount_asked=12.5").await;
    assert_eq!(status, 400);
    assert!(html.contains("<a href=\"#amount\">"), "{html}");
    assert!(html.contains("value=\"12.5\""), "what was typed is kept");
    assert_eq!(app.count("citizen_reports"), 0);
}
