//! SPEC §16: who is this attendant — the photo (every bad upload refused, nothing stored), the
//! consent and status rules of what the public sees, the public JSON's exact fields, and the
//! KTA card whose QR leads to the public check.

use std::io::Cursor;

use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, spawn_app, spawn_app_with};

const SINCE: &str = "2026-01-01T00:00:00+07:00";

async fn put_photo(app: &TestApp, token: &str, id: i64, bytes: Vec<u8>, ct: &str) -> Reply {
    let res = app
        .client
        .put(app.url(&format!("/api/v1/attendants/{id}/photo")))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(bytes)
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.json().await.unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

/// Bytes of a GET, with its status and content type.
async fn fetch(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, res.bytes().await.unwrap().to_vec())
}

/// A photo-like JPEG: colour that changes across the frame, so it compresses as a photo does.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x / 4 % 256) as u8,
            (y / 4 % 256) as u8,
            ((x + y) / 8 % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&image)
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::GrayImage::from_fn(width, height, |x, _| image::Luma([(x % 256) as u8]));
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid small PNG whose header (with a correct CRC) claims `width`×`height`: a tiny file
/// that would need gigabytes once decoded.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(16, 16);
    // Signature (8), then IHDR: length (4), type (4), width, height at 16..24, CRC at 29..33.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// A valid JPEG whose frame header claims `width`×`height`.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(64, 64);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    // FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// `jpeg` with an EXIF segment saying "rotate 90° clockwise to show" (orientation 6) and a
/// private note a phone might leave in its metadata.
fn with_exif_orientation_6(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x06, 0x00, 0x00]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff.extend_from_slice(b"GPS -1.6101 103.6131 RUMAH-JUKIR");
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

async fn attendant_view(app: &TestApp, admin: &str, id: i64) -> Value {
    let r = app.get(&format!("/api/v1/attendants/{id}"), admin).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[actix_web::test]
async fn every_bad_upload_is_refused_naming_photo_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850011", "081274000011", "KTA-11");
    let whole_jpeg = jpeg(640, 480);
    let whole_png = png(200, 300);
    let mut corrupt_png = whole_png.clone();
    let last = corrupt_png.len() - 20;
    corrupt_png[last - 10..last].fill(0x5A); // inside IDAT: its CRC no longer matches
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text", b"Nama: Budi, bukan foto".to_vec(), "image/jpeg"),
        ("empty", Vec::new(), "image/png"),
        (
            "gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "image/png",
        ),
        (
            "truncated jpeg",
            whole_jpeg[..whole_jpeg.len() / 2].to_vec(),
            "image/jpeg",
        ),
        (
            "truncated png",
            whole_png[..whole_png.len() * 2 / 3].to_vec(),
            "image/png",
        ),
        ("corrupt png", corrupt_png, "image/png"),
        ("6001 px wide", png(6001, 1), "image/png"),
        ("6001 px high", png(1, 6001), "image/png"),
        ("png bomb", png_claiming(100_000, 100_000), "image/png"),
        ("jpeg bomb", jpeg_claiming(65_000, 65_000), "image/jpeg"),
    ];
    for (what, bytes, ct) in cases {
        let r = put_photo(&app, &admin, id, bytes, ct).await;
        assert_eq!(r.status, 400, "{what}: {}", r.body);
        assert_eq!(r.error_field(), "photo", "{what}: {}", r.body);
    }
    // Over 5 MiB: 413 before a byte is decoded.
    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    let r = put_photo(&app, &admin, id, big, "image/jpeg").await;
    assert_eq!(r.status, 413, "{}", r.body);
    let (status, _, _) = fetch(
        &app,
        &format!("/api/v1/attendants/{id}/photo"),
        Some(&admin),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(attendant_view(&app, &admin, id).await["has_photo"], false);
    // And a good one after all that is taken.
    let r = put_photo(&app, &admin, id, whole_jpeg, "image/jpeg").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(attendant_view(&app, &admin, id).await["has_photo"], true);
}

#[actix_web::test]
async fn a_phone_photo_is_stored_upright_as_300_by_400_without_its_metadata() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.insert_attendant("1571010505850011", "081274000011", "KTA-11");
    // As the sensor stored it: landscape, top half red, bottom half blue; shown rotated 90°
    // clockwise, the red is on the right.
    let sensor = image::RgbImage::from_fn(800, 600, |_, y| {
        if y < 300 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&sensor)
        .unwrap();
    let upload = with_exif_orientation_6(&plain);
    let r = put_photo(&app, &admin, id, upload, "image/jpeg").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["width"].clone(), r.body["height"].clone()),
        (json!(300), json!(400))
    );

    let (status, ct, stored) = fetch(
        &app,
        &format!("/api/v1/attendants/{id}/photo"),
        Some(&admin),
    )
    .await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    let shown = image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg)
        .unwrap()
        .to_rgb8();
    assert_eq!(shown.dimensions(), (300, 400));
    let (left, right) = (shown.get_pixel(40, 200), shown.get_pixel(260, 200));
    assert!(left[2] > 150 && left[0] < 100, "left is blue: {left:?}");
    assert!(right[0] > 150 && right[2] < 100, "right is red: {right:?}");
    // No EXIF, no note, nothing but the picture.
    let has = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"Exif") && !has(b"RUMAH-JUKIR") && !has(b"GPS"));
}

/// A city with one attendant on duty at JMB-PSR-001; (app, admin, attendant id).
async fn on_duty(kta: &str) -> (TestApp, String, i64) {
    let app = spawn_app_with(|s| {
        s.hotline = Some(parkir::domain::Hotline::parse("0811-7400-100").unwrap());
    })
    .await;
    let city = app.city().on_duty_since(SINCE).build().await;
    let id = city.attendants[0];
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &city.admin,
            json!({"kta_number": kta, "name": "Budi Santoso"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    (app, city.admin, id)
}

fn segment(kta: &str) -> String {
    kta.replace('/', "%2F")
}

async fn public(app: &TestApp, kta: &str) -> Reply {
    app.send(
        reqwest::Method::GET,
        &format!("/api/v1/public/attendants/{}", segment(kta)),
        None,
        None,
    )
    .await
}

#[actix_web::test]
async fn the_public_json_has_exactly_its_fields_and_nothing_of_the_person() {
    let (app, admin, id) = on_duty("001/KTA/2026").await;
    let r = put_photo(&app, &admin, id, jpeg(1200, 1600), "image/jpeg").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"photo_public": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["photo_public"], true);

    let r = public(&app, "001/KTA/2026").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut keys: Vec<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "kta_number",
            "name",
            "photo_url",
            "spot_on_duty",
            "status",
            "zone"
        ]
    );
    assert_eq!(r.body["kta_number"], "001/KTA/2026");
    assert_eq!(r.body["name"], "Budi Santoso");
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["zone"], "Zona Pasar");
    assert_eq!(
        r.body["spot_on_duty"],
        json!({"code": "JMB-PSR-001", "name": "Jl. Dr. Sutomo"})
    );
    let photo_url = r.body["photo_url"].as_str().unwrap();
    assert_eq!(
        photo_url,
        app.url("/api/v1/public/attendants/001%2FKTA%2F2026/photo")
    );
    let text = r.body.to_string();
    for private in ["1571010505850001", "+6281274000001", "081274000001"] {
        assert!(!text.contains(private), "{private} in {text}");
    }
    assert!(r.body.get("id").is_none());

    let (status, ct, bytes) = fetch(
        &app,
        "/api/v1/public/attendants/001%2FKTA%2F2026/photo",
        None,
    )
    .await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 300);

    let unknown = public(&app, "999/KTA/2026").await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // A forwarded host from the client is not believed: the photo stays on this service.
    let res = app
        .client
        .get(app.url("/api/v1/public/attendants/001%2FKTA%2F2026"))
        .header("x-forwarded-host", "evil.example")
        .header("forwarded", "host=evil.example;proto=https")
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["photo_url"].as_str(), Some(photo_url));
    // Typed as a person would: another case, spaces, the slashes as they are printed.
    assert_eq!(
        public(&app, "001/kta/2026").await.body["kta_number"],
        "001/KTA/2026"
    );
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirect
        .get(app.url("/cek/kta/001%2Fkta%2F2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/cek/kta/001%2FKTA%2F2026");
    let page = app.text("/cek/kta/001/KTA/2026", None).await;
    assert!(
        page.contains("Budi Santoso") && page.contains("JURU PARKIR RESMI"),
        "{page}"
    );
}

#[actix_web::test]
async fn the_face_is_public_only_while_active_and_consented() {
    let (app, admin, id) = on_duty("KTA-JMB-0001").await;
    let photo_path = "/api/v1/public/attendants/KTA-JMB-0001/photo";
    let shown = |r: &Reply| r.body["photo_url"].is_string();
    let cek_has_face = |html: &str| html.contains(photo_path);

    // No photo yet.
    assert!(!shown(&public(&app, "KTA-JMB-0001").await));
    // A photo, no consent.
    let r = put_photo(&app, &admin, id, jpeg(900, 1200), "image/jpeg").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!shown(&public(&app, "KTA-JMB-0001").await));
    assert_eq!(fetch(&app, photo_path, None).await.0, 404);
    assert!(!cek_has_face(&app.text("/cek/JMB-PSR-001", None).await));
    // Consent: on the JSON, the photo route, the spot's page and the card's page.
    let path = format!("/api/v1/attendants/{id}");
    let consent = |on: bool| app.patch(&path, &admin, json!({"photo_public": on}));
    assert_eq!(consent(true).await.status, 200);
    assert!(shown(&public(&app, "KTA-JMB-0001").await));
    assert_eq!(fetch(&app, photo_path, None).await.0, 200);
    assert!(cek_has_face(&app.text("/cek/JMB-PSR-001", None).await));
    assert!(cek_has_face(&app.text("/cek/kta/KTA-JMB-0001", None).await));
    // Suspended: no face, no spot on duty, the status says so.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = public(&app, "KTA-JMB-0001").await;
    assert_eq!(r.body["status"], "suspended");
    assert!(r.body["photo_url"].is_null() && r.body["spot_on_duty"].is_null());
    assert_eq!(
        r.body["zone"], "Zona Pasar",
        "the zone of their latest duty"
    );
    assert_eq!(fetch(&app, photo_path, None).await.0, 404);
    let page = app.text("/cek/kta/KTA-JMB-0001", None).await;
    assert!(page.contains("DISKORS") && !cek_has_face(&page), "{page}");
    assert!(!cek_has_face(&app.text("/cek/JMB-PSR-001", None).await));
    // Active again, consent withdrawn: no face.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(shown(&public(&app, "KTA-JMB-0001").await));
    assert_eq!(consent(false).await.status, 200);
    assert!(!shown(&public(&app, "KTA-JMB-0001").await));
    assert_eq!(fetch(&app, photo_path, None).await.0, 404);
    // Retired: the card no longer holds.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "retired"}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(public(&app, "KTA-JMB-0001").await.body["status"], "retired");
}

#[actix_web::test]
async fn an_unknown_card_is_a_404_page_with_the_hotline_and_a_report_form() {
    let (app, _, _) = on_duty("KTA-JMB-0001").await;
    let res = app
        .client
        .get(app.url("/cek/kta/PALSU%2F123"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("PALSU/123") && page.contains("tidak terdaftar"),
        "{page}"
    );
    assert!(page.contains("0811-7400-100"), "the hotline: {page}");
    assert!(
        page.contains("action=\"/cek/kta/PALSU%2F123#lapor\""),
        "{page}"
    );
    // The report is taken, located by the card's number.
    let before = app.count("citizen_reports");
    let res = app
        .client
        .post(app.url("/cek/kta/PALSU%2F123"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("kind=jukir_tidak_resmi&note=Rompi+oranye+depan+toko+emas")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(app.count("citizen_reports"), before + 1);
    let mut conn = app.db.conn();
    use diesel::prelude::*;
    let location: Option<String> = parkir::db::schema::citizen_reports::table
        .select(parkir::db::schema::citizen_reports::location)
        .order(parkir::db::schema::citizen_reports::id.desc())
        .first(&mut conn)
        .unwrap();
    assert_eq!(location.as_deref(), Some("KTA PALSU/123"));
}

/// The QR codes of a card page, read back as a phone would: the page's SVG symbols rendered
/// and decoded.
fn qr_texts(html: &str) -> Vec<String> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
            let svg = &html[start..end];
            let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
            let mut pixmap = resvg::tiny_skia::Pixmap::new(400, 400).unwrap();
            pixmap.fill(resvg::tiny_skia::Color::WHITE);
            let scale = 400.0 / tree.size().width();
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
            let gray = image::GrayImage::from_fn(400, 400, |x, y| {
                image::Luma([pixmap.pixel(x, y).unwrap().red()])
            });
            let mut prepared = rqrr::PreparedImage::prepare(gray);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "one QR per symbol");
            grids[0].decode().unwrap().1
        })
        .collect()
}

#[actix_web::test]
async fn a_card_names_the_office_and_its_qr_leads_to_the_public_check() {
    let (app, admin, id) = on_duty("001/KTA/2026").await;
    let r = put_photo(&app, &admin, id, jpeg(900, 1200), "image/jpeg").await;
    assert_eq!(r.status, 200);
    let (status, ct, body) =
        fetch(&app, &format!("/api/v1/attendants/{id}/card"), Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = String::from_utf8(body).unwrap();
    for shown in [
        "Dinas Perhubungan",
        "Budi Santoso",
        "001/KTA/2026",
        "Zona Pasar",
        "data:image/jpeg;base64,",
        "85.6mm 54mm",
    ] {
        assert!(html.contains(shown), "{shown} on the card");
    }
    assert!(
        html.contains("Berlaku s.d.</dt><dd>31 Desember 20"),
        "valid until 31 December"
    );
    assert_eq!(qr_texts(&html), [app.url("/cek/kta/001%2FKTA%2F2026")]);
    // Where the QR leads: the holder's public check, with their name.
    let page = app.text("/cek/kta/001%2FKTA%2F2026", None).await;
    assert!(
        page.contains("Budi Santoso") && page.contains("JMB-PSR-001"),
        "{page}"
    );

    // A suspended attendant gets no card.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{id}"),
            &admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = app
        .get(&format!("/api/v1/attendants/{id}/card"), &admin)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

#[actix_web::test]
async fn a_zones_cards_print_eight_to_a_sheet_for_its_active_attendants() {
    let app = spawn_app().await;
    let codes: Vec<String> = (1..=9).map(|i| format!("JMB-PSR-{i:03}")).collect();
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let city = app
        .city()
        .spots(&code_refs)
        .on_duty_since(SINCE)
        .build()
        .await;
    // One of the nine is suspended: eight cards, one sheet.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{}", city.attendants[8]),
            &city.admin,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let (status, _, body) = fetch(
        &app,
        &format!("/api/v1/zones/{}/cards", city.zone_id),
        Some(&city.admin),
    )
    .await;
    assert_eq!(status, 200);
    let html = String::from_utf8(body).unwrap();
    assert_eq!(html.matches("<section class=\"sheet\">").count(), 1);
    assert_eq!(html.matches("<article class=\"card\"").count(), 8);
    assert!(!html.contains("data-kta=\"KTA-9\""));
    let mut urls = qr_texts(&html);
    urls.sort();
    let mut expected: Vec<String> = (1..=8)
        .map(|n| app.url(&format!("/cek/kta/KTA-{n}")))
        .collect();
    expected.sort();
    assert_eq!(urls, expected);
    // Back on duty: nine cards, two sheets.
    let r = app
        .patch(
            &format!("/api/v1/attendants/{}", city.attendants[8]),
            &city.admin,
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let (_, _, body) = fetch(
        &app,
        &format!("/api/v1/zones/{}/cards", city.zone_id),
        Some(&city.admin),
    )
    .await;
    let html = String::from_utf8(body).unwrap();
    assert_eq!(html.matches("<section class=\"sheet\">").count(), 2);
    assert_eq!(
        app.get("/api/v1/zones/999999/cards", &city.admin)
            .await
            .status,
        404
    );
}
