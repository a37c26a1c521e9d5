//! Each city's gateways, day, letterhead and card checks (SPEC §17): callbacks land in the
//! city their credentials name, on that city's business day; a city's documents and citizens'
//! pages speak for it alone.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with, with_gateways};

fn midtrans_at(txn: &str, server_key: &str, time: &str) -> String {
    let sig = parkir::gateways::midtrans::signature_key(txn, "200", "2000.00", server_key);
    format!(
        r#"{{"transaction_time":"{time}","settlement_time":"{time}","transaction_status":"settlement","transaction_id":"{txn}","status_code":"200","signature_key":"{sig}","payment_type":"qris","order_id":"{txn}","gross_amount":"2000.00","currency":"IDR"}}"#
    )
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Landed {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    city_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    gateway_txn_id: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    business_date: chrono::NaiveDate,
}

fn landed(app: &TestApp) -> Vec<Landed> {
    let mut conn = app.db.conn();
    diesel::sql_query(
        "SELECT city_id, gateway_txn_id, business_date FROM payments ORDER BY city_id, gateway_txn_id",
    )
    .load(&mut conn)
    .unwrap()
}

/// Callbacks find their city by their credentials, are verified by that city's alone, and
/// land on that city's business day: 23:30 WIB is already the next day in Balikpapan (WITA).
#[actix_web::test]
async fn callbacks_land_in_the_city_their_credentials_name_on_its_own_day() {
    let app = spawn_app_with(with_gateways).await;
    let operator = app.operator_token().await;
    let city = |code: &str| json!({"code": code, "name": format!("Kota {code}"), "timezone": "Asia/Makassar"});
    let bpn = app
        .post("/api/v1/cities", &operator, city("BPN"))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let smd = app
        .post("/api/v1/cities", &operator, city("SMD"))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let put = |token: &str| {
        json!({"midtrans": {"server_key": "SB-Mid-server-balikpapan"},
               "xendit": {"callback_token": token}})
    };
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/cities/{bpn}/gateways"),
            Some(&operator),
            Some(&put("xnd-token-balikpapan-0001")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["xendit"].as_bool(), r.body["midtrans"].as_bool()),
        (Some(true), Some(true))
    );
    assert!(
        !r.body.to_string().contains("balikpapan"),
        "a secret came back: {}",
        r.body
    );
    let mut conn = app.db.conn();
    #[derive(QueryableByName)]
    struct Raw {
        #[diesel(sql_type = diesel::sql_types::Text)]
        raw: String,
    }
    let stored = diesel::sql_query("SELECT city_gateways::text AS raw FROM city_gateways")
        .get_result::<Raw>(&mut conn)
        .unwrap()
        .raw;
    assert!(
        !stored.contains("balikpapan"),
        "stored in the clear: {stored}"
    );
    // A token another city holds is refused, naming it.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/cities/{smd}/gateways"),
            Some(&operator),
            Some(&put("xnd-token-balikpapan-0001")),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.to_string().contains("xendit.callback_token"),
        "{}",
        r.body
    );
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/cities/{smd}/gateways"),
            Some(&operator),
            Some(&json!({})),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);

    // The same instant, 23:30 WIB, to each city: the default city's day is the 10th,
    // Balikpapan's already the 11th.
    let midtrans = "/api/v1/gateways/midtrans/notification";
    let jmb = midtrans_at(
        "mt-jmb",
        parkir::demo::MIDTRANS_SERVER_KEY,
        "2026-11-10 23:30:00",
    );
    assert_eq!(app.post_raw(midtrans, &[], &jmb).await.status, 200);
    let at_bpn = midtrans_at("mt-bpn", "SB-Mid-server-balikpapan", "2026-11-10 23:30:00");
    let r = app
        .post_raw(&format!("{midtrans}?city=BPN"), &[], &at_bpn)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Balikpapan's notification signed with its key, sent to the default city's URL: the
    // default city's key does not verify it, and nothing is stored.
    let r = app
        .post_raw(
            midtrans,
            &[],
            &midtrans_at("mt-x", "SB-Mid-server-balikpapan", "2026-11-10 23:30:00"),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Xendit by its token: Balikpapan's token lands in Balikpapan, never in the default city.
    let created = "2026-11-10T15:00:00Z";
    let xendit = format!(
        r#"{{"event":"qr.payment","api_version":"2022-07-31","data":{{"id":"qrpy_bpn","currency":"IDR","amount":2000,"status":"SUCCEEDED","created":"{created}","reference_id":"JMB-REF-1","type":"DYNAMIC"}}}}"#
    );
    let r = app
        .post_raw(
            "/api/v1/gateways/xendit/qr",
            &[(
                "x-callback-token".into(),
                "xnd-token-balikpapan-0001".into(),
            )],
            &xendit,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    assert_eq!(
        landed(&app),
        vec![
            Landed {
                city_id: 1,
                gateway_txn_id: "mt-jmb".into(),
                business_date: day("2026-11-10")
            },
            Landed {
                city_id: bpn,
                gateway_txn_id: "mt-bpn".into(),
                business_date: day("2026-11-11")
            },
            Landed {
                city_id: bpn,
                gateway_txn_id: "qrpy_bpn".into(),
                business_date: day("2026-11-10")
            },
        ]
    );
    // Each city's admin sees its own payments alone.
    let b_admin = app.staff_token_in(bpn, "admin").await;
    let r = app.get("/api/v1/payments", &b_admin).await;
    let txns: Vec<_> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["gateway_txn_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(txns.len(), 2, "{}", r.body);
    assert!(!txns.contains(&"mt-jmb".to_owned()));
}

/// A city's own letterhead, hotline and cards: `/cek/kta/{city}/{kta}` checks a card in that
/// city, `/cek/kta/{kta}` in the default city, the same number naming two people.
#[actix_web::test]
async fn each_city_has_its_own_letterhead_hotline_and_card_checks() {
    let app = spawn_app_with(with_gateways).await;
    let a = app.city().build().await;
    let operator = app.operator_token().await;
    let bpn = app
        .post(
            "/api/v1/cities",
            &operator,
            json!({"code": "BPN", "name": "Kota Balikpapan", "timezone": "Asia/Makassar"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let r = app
        .patch(
            &format!("/api/v1/cities/{bpn}"),
            &operator,
            json!({"office": {"name": ""}, "hotline": "12"}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let fields: Vec<_> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["office.name", "hotline"]);
    let r = app
        .patch(
            &format!("/api/v1/cities/{bpn}"),
            &operator,
            json!({"office": {"name": "Dinas Perhubungan Kota Balikpapan", "signatory_title": "Kepala Dinas"},
                   "hotline": "0811-5400-100"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let b_admin = app.staff_token_in(bpn, "admin").await;
    let office = app.get("/api/v1/office", &b_admin).await.body;
    assert_eq!(office["name"], "Dinas Perhubungan Kota Balikpapan");
    assert_eq!(office["city"]["timezone"], "Asia/Makassar");
    let office = app.get("/api/v1/office", &a.admin).await.body;
    assert_eq!(office["city"]["code"], "JMB");
    assert_ne!(office["name"], "Dinas Perhubungan Kota Balikpapan");

    let person = |name: &str, phone: &str| {
        json!({"nik": "1571010505850011", "name": name, "phone": phone,
               "kta_number": "KTA-0011", "pin": "583920"})
    };
    let r = app
        .post(
            "/api/v1/attendants",
            &a.admin,
            person("Ahmad Jambi", "081274000011"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .post(
            "/api/v1/attendants",
            &b_admin,
            person("Andi Balikpapan", "081350000011"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let b_attendant = r.body["id"].as_i64().unwrap();

    let page = app.text("/cek/kta/BPN/KTA-0011", None).await;
    assert!(
        page.contains("Andi Balikpapan") && !page.contains("Ahmad Jambi"),
        "{page}"
    );
    assert!(page.contains("0811-5400-100"), "the city's hotline: {page}");
    let page = app.text("/cek/kta/KTA-0011", None).await;
    assert!(
        page.contains("Ahmad Jambi") && !page.contains("Andi Balikpapan"),
        "{page}"
    );
    let r = app
        .send(
            Method::GET,
            "/api/v1/public/attendants/KTA-0011?city=BPN",
            None,
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["name"].as_str()),
        (200, Some("Andi Balikpapan"))
    );
    let r = app
        .send(
            Method::GET,
            "/api/v1/public/attendants/KTA-0011?city=XYZ",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    // The city's card names it in its check's address and prints its own office.
    let card = app
        .text(
            &format!("/api/v1/attendants/{b_attendant}/card"),
            Some(&b_admin),
        )
        .await;
    assert!(card.contains("Dinas Perhubungan Kota Balikpapan"), "{card}");
    assert!(card.contains("0811-5400-100"), "{card}");
}
