//! Spot QR codes, their renderings and posters, and the attendant's charges (issue: QRIS).

use chrono::Utc;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};
use parkir::qris::Payload;

/// Decodes a PNG with a QR decoder, as a payer's camera would.
pub fn decode_png(bytes: &[u8]) -> String {
    let img = image::load_from_memory(bytes).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("the QR decodes").1
}

/// Rasterises the QR path of a poster (`M{x} {y}h{w}v1h-{w}z` runs of dark modules) and
/// decodes it.
fn decode_poster_qr(svg: &str) -> String {
    let d_start = svg.find(" d=\"").expect("a path") + 4;
    let d = &svg[d_start..d_start + svg[d_start..].find('"').unwrap()];
    let mut runs = Vec::new();
    for cmd in d.split('M').filter(|c| !c.is_empty()) {
        let (xy, rest) = cmd.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let w = rest.split('v').next().unwrap();
        runs.push((
            x.parse::<u32>().unwrap(),
            y.parse::<u32>().unwrap(),
            w.parse::<u32>().unwrap(),
        ));
    }
    let side = runs
        .iter()
        .map(|(x, y, w)| (x + w).max(*y + 1))
        .max()
        .unwrap()
        + 4;
    let px = 4;
    let mut img = image::GrayImage::from_pixel(side * px, side * px, image::Luma([255]));
    for (x, y, w) in runs {
        for mx in x..x + w {
            for dy in 0..px {
                for dx in 0..px {
                    img.put_pixel(mx * px + dx, y * px + dy, image::Luma([0]));
                }
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    grids[0].decode().expect("the poster's QR decodes").1
}

async fn bytes(
    app: &TestApp,
    path: &str,
    token: &str,
    etag: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = app.client.get(app.url(path)).bearer_auth(token);
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

#[actix_web::test]
async fn a_spot_qr_is_composed_from_the_zone_merchant_and_scans_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let auditor = app.staff_token("auditor").await;
    let (_, _, spot) = app.seed_zone_and_spot(&admin).await;
    let qr = app.get(&format!("/api/v1/spots/{spot}/qr"), &auditor).await;
    assert_eq!(qr.status, 200, "{}", qr.body);
    assert_eq!(qr.body["point_of_initiation"], "11");
    assert_eq!(qr.body["nmid"], "ID1026100000123");
    assert_eq!(qr.body["terminal_label"], "JMBPSR001");
    assert_eq!(qr.body["store_label"], "JMB-PSR-001");
    assert_eq!(qr.body["merchant_name"], "DISHUB KOTA JAMBI");
    assert_eq!(qr.body["source"], "composed");
    let payload = qr.body["payload"].as_str().unwrap().to_owned();
    let parsed = Payload::parse(&payload).unwrap();
    assert_eq!(parsed.value("52"), Some("7523"));
    assert_eq!(parsed.value("53"), Some("360"));

    let (status, headers, png) = bytes(
        &app,
        &format!("/api/v1/spots/{spot}/qr.png"),
        &auditor,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/png");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    assert_eq!(decode_png(&png), payload, "the PNG scans to the payload");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, headers, body) = bytes(
        &app,
        &format!("/api/v1/spots/{spot}/qr.png"),
        &auditor,
        Some(&etag),
    )
    .await;
    assert_eq!(status, 304);
    assert_eq!(headers["etag"].to_str().unwrap(), etag);
    assert!(body.is_empty());

    let (_, _, small) = bytes(
        &app,
        &format!("/api/v1/spots/{spot}/qr.png?scale=2&ecc=H"),
        &auditor,
        None,
    )
    .await;
    let small_img = image::load_from_memory(&small).unwrap();
    let big_img = image::load_from_memory(&png).unwrap();
    assert!(small_img.width() < big_img.width());
    assert_eq!(decode_png(&small), payload);
    for (query, field) in [
        ("scale=0", "scale"),
        ("scale=33", "scale"),
        ("scale=big", "scale"),
        ("ecc=X", "ecc"),
    ] {
        let r = app
            .get(&format!("/api/v1/spots/{spot}/qr.png?{query}"), &auditor)
            .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.error_field(), field);
    }

    let (status, headers, svg) = bytes(
        &app,
        &format!("/api/v1/spots/{spot}/qr.svg"),
        &auditor,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(headers.contains_key("etag"));
    assert!(String::from_utf8(svg).unwrap().starts_with("<svg"));
}

#[actix_web::test]
async fn the_poster_says_who_to_pay_and_its_qr_scans() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, _, spot) = app.seed_zone_and_spot(&admin).await;
    let payload = app
        .get(&format!("/api/v1/spots/{spot}/qr"), &admin)
        .await
        .body["payload"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, headers, svg) = bytes(
        &app,
        &format!("/api/v1/spots/{spot}/poster.svg"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(headers.contains_key("etag") && headers.contains_key("cache-control"));
    let svg = String::from_utf8(svg).unwrap();
    for text in [
        "DISHUB KOTA JAMBI",
        "NMID: ID1026100000123",
        "JMBPSR001",
        "JMB-PSR-001",
        "Zona Pasar",
        "Motor Rp2.000 · Mobil Rp3.000",
        "Bayar hanya ke QR resmi",
        "Laporkan",
        "105mm",
    ] {
        assert!(svg.contains(text), "poster lacks {text:?}");
    }
    assert_eq!(decode_poster_qr(&svg), payload);
}

const IMPORTED: &str = "00020101021126700020ID.CO.CONTOHBANK.WWW01189360999900000000170213PKR00000001070303UMI51440014ID.CO.QRIS.WWW0215ID10259990001070303UMI5204752353033605802ID5924PARKIR JL BRAGA TITIK 076007BANDUNG61054011162270312SPOT-BRG-0070707JKR01076304C80E";

#[actix_web::test]
async fn an_imported_acquirer_payload_is_validated_and_used_for_matching() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, zone, _) = app.seed_zone_and_spot(&admin).await;
    let spots = format!("/api/v1/zones/{zone}/spots");
    let body = |payload: &str| json!({"code": "BRG-007", "name": "Jl. Braga", "latitude": -6.917, "longitude": 107.609, "qris_payload": payload});

    let bad_crc = IMPORTED.replace("C80E", "C800");
    let r = app.post(&spots, &admin, body(&bad_crc)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_field(), "qris_payload");
    let message = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("crc_mismatch") && message.contains("tag 63"),
        "{message}"
    );

    let dynamic = parkir::qris::to_dynamic(&Payload::parse(IMPORTED).unwrap(), 2000, None).unwrap();
    let r = app.post(&spots, &admin, body(&dynamic)).await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("static")
    );

    let mut mismatch = body(IMPORTED);
    mismatch["terminal_id"] = json!("OTHER1");
    let r = app.post(&spots, &admin, mismatch).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_field(), "terminal_id");
    assert_eq!(app.count("spots"), 1);

    let created = app.post(&spots, &admin, body(IMPORTED)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["terminal_id"], "JKR0107",
        "the payload's 62/07"
    );
    assert_eq!(created.body["nmid"], "ID1025999000107");
    let id = created.body["id"].as_i64().unwrap();
    let qr = app.get(&format!("/api/v1/spots/{id}/qr"), &admin).await;
    assert_eq!(qr.body["payload"], IMPORTED, "served verbatim");
    assert_eq!(qr.body["source"], "imported");
    assert_eq!(qr.body["merchant_name"], "PARKIR JL BRAGA TITIK 07");
}

async fn on_duty_attendant(app: &TestApp, admin: &str) -> (i64, i64, String) {
    let (_, zone, spot) = app.seed_zone_and_spot(admin).await;
    let attendant = app.insert_attendant("1571010505850001", "081274000001", "KTA-1");
    let start = (Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    let r = app
        .post(
            &format!("/api/v1/attendants/{attendant}/assignments"),
            admin,
            json!({"spot_id": spot, "starts_at": start}),
        )
        .await;
    assert_eq!(r.status, 201);
    (zone, spot, app.attendant_token("081274000001").await)
}

#[actix_web::test]
async fn the_attendant_sees_the_static_qr_of_the_spot_on_duty() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, spot, token) = on_duty_attendant(&app, &admin).await;
    let payload = app
        .get(&format!("/api/v1/spots/{spot}/qr"), &admin)
        .await
        .body["payload"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, png) = bytes(&app, "/api/v1/me/qr.png", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(decode_png(&png), payload);

    app.insert_attendant("1571010505850002", "081274000002", "KTA-2");
    let off = app.attendant_token("081274000002").await;
    assert_eq!(app.get("/api/v1/me/qr.png", &off).await.status, 409);
    assert_eq!(
        app.get(&format!("/api/v1/spots/{spot}/qr"), &token)
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn a_charge_is_a_dynamic_qr_for_the_tariff_in_force() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (zone, spot, token) = on_duty_attendant(&app, &admin).await;

    let r = app
        .post(
            "/api/v1/me/charges",
            &token,
            json!({"vehicle_class": "motorcycle"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["amount"], 2000);
    assert_eq!(r.body["status"], "pending");
    assert_eq!(r.body["spot_id"], spot);
    let reference = r.body["reference"].as_str().unwrap().to_owned();
    assert!(reference.len() <= 25);
    let payload = Payload::parse(r.body["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload.point_of_initiation(), Some("12"));
    assert_eq!(payload.amount_rupiah(), Some(2000));
    assert_eq!(payload.bill_number(), Some(reference.as_str()));
    assert_eq!(payload.terminal_label(), Some("JMBPSR001"));
    let expires =
        chrono::DateTime::parse_from_rfc3339(r.body["expires_at"].as_str().unwrap()).unwrap();
    let minutes = (expires.with_timezone(&Utc) - Utc::now()).num_seconds();
    assert!(
        (590..=600).contains(&minutes),
        "10 minutes, got {minutes} s"
    );
    let id = r.body["id"].as_i64().unwrap();

    let got = app.get(&format!("/api/v1/me/charges/{id}"), &token).await;
    assert_eq!(got.body["status"], "pending");
    let (status, _, png) = bytes(
        &app,
        &format!("/api/v1/me/charges/{id}/qr.png"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(decode_png(&png), payload.as_str());

    // A second charge gets another reference.
    let car = app
        .post(
            "/api/v1/me/charges",
            &token,
            json!({"vehicle_class": "car"}),
        )
        .await;
    assert_eq!(car.body["amount"], 3000);
    assert_ne!(car.body["reference"], reference.as_str());

    // A tariff change in force now applies to the next charge, not to the earlier one.
    let patched = app
        .patch(
            &format!("/api/v1/zones/{zone}"),
            &admin,
            json!({"tariffs": {"motorcycle": 2500, "car": 3500}}),
        )
        .await;
    assert_eq!(patched.status, 200);
    let later = app
        .post(
            "/api/v1/me/charges",
            &token,
            json!({"vehicle_class": "motorcycle"}),
        )
        .await;
    assert_eq!(later.body["amount"], 2500);
    assert_eq!(
        app.get(&format!("/api/v1/me/charges/{id}"), &token)
            .await
            .body["amount"],
        2000
    );

    // Expiry is derived from expires_at.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE charges SET created_at = created_at - interval '20 minutes', expires_at = created_at - interval '10 minutes' WHERE id = {id}")),
        &mut app.db.conn(),
    )
    .unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/me/charges/{id}"), &token)
            .await
            .body["status"],
        "expired"
    );
}

#[actix_web::test]
async fn charges_refuse_unknown_classes_off_duty_attendants_and_strangers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, _, token) = on_duty_attendant(&app, &admin).await;
    for class in ["bus", "Motor", ""] {
        let r = app
            .post(
                "/api/v1/me/charges",
                &token,
                json!({"vehicle_class": class}),
            )
            .await;
        assert_eq!(r.status, 400, "{class}");
        assert_eq!(r.error_field(), "vehicle_class");
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("car, motorcycle")
        );
    }
    let missing = app.post("/api/v1/me/charges", &token, json!({})).await;
    assert_eq!(missing.error_field(), "vehicle_class");
    assert_eq!(app.count("charges"), 0);

    let mine = app
        .post(
            "/api/v1/me/charges",
            &token,
            json!({"vehicle_class": "car"}),
        )
        .await;
    let id = mine.body["id"].as_i64().unwrap();
    app.insert_attendant("1571010505850002", "081274000002", "KTA-2");
    let other = app.attendant_token("081274000002").await;
    assert_eq!(
        app.get(&format!("/api/v1/me/charges/{id}"), &other)
            .await
            .status,
        404
    );
    let off_duty = app
        .post(
            "/api/v1/me/charges",
            &other,
            json!({"vehicle_class": "car"}),
        )
        .await;
    assert_eq!(off_duty.status, 409);
    assert_eq!(
        app.get(&format!("/api/v1/me/charges/{id}"), &admin)
            .await
            .status,
        403
    );
    assert_eq!(app.count("charges"), 1);
}
