//! `parkir demo`: a believable Kota Jambi, seeded idempotently (running it again adds nothing
//! that is already there and changes no password). Staff, duty periods, charges and cash go
//! through the same services as the API; callbacks through the recorder's locked path.

pub mod balikpapan;

use chrono::{Duration, Utc};
use diesel::{Connection, PgConnection};

use crate::auth::hash_secret;
use crate::db::{attendants, spots, users, zones};
use crate::domain::{MerchantAccountSpec, Rupiah, business_date, time::day_bounds};
use crate::error::ApiError;
use crate::services::duty;
use crate::services::zones::beginning;

pub const ADMIN_USERNAME: &str = "admin";
pub const DEFAULT_ADMIN_PASSWORD: &str = "jambi-demo-2026";
pub const ATTENDANT_PIN: &str = "240117";

/// Demo gateway credentials, used only by `parkir demo` when none are configured. They are
/// public, so they protect nothing.
pub const SNAP_CLIENT_KEY: &str = "PARKIR-DEMO-GATEWAY";
pub const SNAP_CLIENT_SECRET: &str = "parkir-demo-client-secret-NOT-FOR-PRODUCTION";
pub const SNAP_PUBLIC_KEY_PEM: &str = include_str!("../demo/snap-gateway-DEMO-ONLY.pub.pem");
pub const MIDTRANS_SERVER_KEY: &str = "SB-Mid-server-PARKIR-DEMO";
/// Seals the demo cities' gateway credentials when `PARKIR_SECRET_KEY` is not set.
pub const DEMO_SECRET_KEY: &str = "parkir-demo-secret-key-NOT-FOR-PRODUCTION";
pub const XENDIT_CALLBACK_TOKEN: &str = "xnd-callback-token-PARKIR-DEMO";

/// The demo city's office and hotline, where the environment names none: Kota Jambi's Dishub
/// on the letterhead, and a hotline on `/cek` of an unregistered code (a made-up number).
pub fn default_office(settings: &mut crate::config::Settings) {
    if settings.office == crate::config::Office::default() {
        settings.office = crate::config::Office {
            name: "Dinas Perhubungan Kota Jambi".into(),
            address: Some("Jl. Jenderal Sudirman No. 1, Jambi (alamat contoh)".into()),
            signatory_name: None,
            signatory_nip: None,
            signatory_title: Some("Kepala Dinas Perhubungan Kota Jambi".into()),
        };
    }
    if settings.hotline.is_none() {
        settings.hotline = crate::domain::Hotline::parse("0811-7400-100").ok();
    }
}

/// Fills in the demo gateway credentials where none are configured.
pub fn default_gateways(g: &mut crate::config::GatewaySettings) {
    use secrecy::SecretString;
    if g.snap_client_key.is_none() {
        g.snap_client_key = Some(SNAP_CLIENT_KEY.into());
        g.snap_client_secret = Some(SecretString::from(SNAP_CLIENT_SECRET));
        if g.snap_public_key.is_none() {
            g.snap_public_key_pem = Some(SNAP_PUBLIC_KEY_PEM.into());
        }
    }
    if g.midtrans_server_key.is_none() {
        g.midtrans_server_key = Some(SecretString::from(MIDTRANS_SERVER_KEY));
    }
    if g.xendit_callback_token.is_none() {
        g.xendit_callback_token = Some(SecretString::from(XENDIT_CALLBACK_TOKEN));
    }
}

/// The spots of the demo city: code, name, latitude, longitude, zone code.
const SPOTS: &[(&str, &str, f64, f64, &str)] = &[
    (
        "JMB-PSR-001",
        "Jl. Dr. Sutomo - Pasar Angso Duo",
        -1.5869,
        103.6228,
        "PSR",
    ),
    (
        "JMB-PSR-002",
        "Jl. Sultan Thaha - WTC Batanghari",
        -1.5878,
        103.6138,
        "PSR",
    ),
    ("JMB-PSR-003", "Jl. Hayam Wuruk", -1.5936, 103.6155, "PSR"),
    ("JMB-PSR-004", "Jl. Gatot Subroto", -1.5961, 103.6113, "PSR"),
    (
        "JMB-PSR-005",
        "Jl. Raden Mattaher",
        -1.5905,
        103.6172,
        "PSR",
    ),
    (
        "JMB-TLN-001",
        "Jl. Jenderal Sudirman",
        -1.6160,
        103.6080,
        "TLN",
    ),
    (
        "JMB-TLN-002",
        "Jl. Kolonel Abunjani - Simpang Kawat",
        -1.6120,
        103.5920,
        "TLN",
    ),
    (
        "JMB-TLN-003",
        "Jl. Slamet Riyadi - Broni",
        -1.6020,
        103.5940,
        "TLN",
    ),
    (
        "JMB-TLN-004",
        "Jl. Jenderal Ahmad Yani - Telanaipura",
        -1.6103,
        103.5839,
        "TLN",
    ),
    (
        "JMB-TLN-005",
        "Jl. Arif Rahman Hakim",
        -1.6000,
        103.5870,
        "TLN",
    ),
];

/// The attendants: name, NIK, phone; attendant i is on duty at spot i.
const ATTENDANTS: &[(&str, &str, &str)] = &[
    ("Ahmad Fauzi", "1571010505850001", "081274000001"),
    ("Budi Santoso", "1571011207880002", "081274000002"),
    ("Dedi Kurniawan", "1571022003790003", "081274000003"),
    ("Eko Prasetyo", "1571030111900004", "081274000004"),
    ("Hendra Saputra", "1571041509820005", "081274000005"),
    ("Irwan Syahputra", "1571052806870006", "081274000006"),
    ("Joko Susilo", "1571060702810007", "081274000007"),
    ("M. Rizki Ramadhan", "1571071910930008", "081274000008"),
    ("Rahmat Hidayat", "1571082404840009", "081274000009"),
    ("Siti Aminah", "1571094612890010", "081274000010"),
];

pub fn merchant_spec() -> MerchantAccountSpec {
    MerchantAccountSpec {
        gui: "ID.CO.BANKJAMBI.WWW".into(),
        pan: "9360011300000001234".into(),
        merchant_id: "DSHJMB000000001".into(),
        criteria: "UKE".into(),
        nmid: "ID1026100000123".into(),
        name: "DISHUB KOTA JAMBI".into(),
        city: "JAMBI".into(),
        postal_code: "36124".into(),
        mcc: "7523".into(),
    }
}

/// What the seed printed for the operator.
pub struct Seeded {
    pub admin_password: Option<String>,
    pub attendant_phone: String,
    pub attendant_name: String,
}

/// The steps [`seed`] counts on its progress bar: the days of history, then the days of alerts.
pub const SEED_STEPS: u64 = HISTORY_DAYS as u64 + 7;

/// Seeds the demo city in one transaction. `admin_password` is used only when the admin does
/// not exist yet; the result says whether it was set now. `progress` counts [`SEED_STEPS`].
pub fn seed(
    conn: &mut PgConnection,
    tz: chrono_tz::Tz,
    admin_password: &str,
    progress: &indicatif::ProgressBar,
) -> Result<Seeded, ApiError> {
    conn.transaction(|conn| {
        let admin_password = match users::find_staff_by_username(conn, ADMIN_USERNAME)? {
            Some(_) => None,
            None => {
                crate::services::staff::add_user(
                    conn,
                    ADMIN_USERNAME,
                    admin_password,
                    crate::auth::Role::Admin,
                    Some(crate::state::DEFAULT_CITY),
                )?;
                Some(admin_password.to_owned())
            }
        };
        let spec = merchant_spec();
        let merchant = match zones::find_merchant_account_by_nmid(conn, &spec.nmid)? {
            Some(m) => m,
            None => zones::insert_merchant_account(conn, &spec)?,
        };
        let tariffs = serde_json::json!({"motorcycle": 2000, "car": 3000});
        for (code, name, district, target) in [
            ("PSR", "Zona Pasar Jambi", "Pasar Jambi", 140_000),
            ("TLN", "Zona Telanaipura", "Telanaipura", 120_000),
        ] {
            if zones::find_zone_by_code(conn, code)?.is_none() {
                zones::insert_zone(
                    conn,
                    &zones::NewZone {
                        code,
                        name,
                        district,
                        merchant_account_id: merchant.id,
                    },
                    &zones::NewZoneVersion {
                        effective_from: beginning(),
                        tariffs: tariffs.clone(),
                        attendant_share_bps: 6000,
                        daily_target: Some(target),
                    },
                )?;
            }
        }
        // Duty from the start of the first day of history, open-ended.
        let first_day = business_date(Utc::now() - Duration::days(HISTORY_DAYS), tz);
        let (duty_start, _) = day_bounds(first_day, tz);
        let pin_hash = hash_secret(ATTENDANT_PIN)?;
        for (i, (code, name, lat, lon, zone_code)) in SPOTS.iter().enumerate() {
            let zone = zones::find_zone_by_code(conn, zone_code)?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demo zone missing")))?;
            let spot = match spots::find_spot_by_code(conn, code)? {
                Some(s) => s,
                None => {
                    let terminal = crate::domain::SpotCode::parse(code)
                        .map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?
                        .default_terminal_id();
                    spots::insert_spot(
                        conn,
                        &spots::NewSpot {
                            zone_id: zone.id,
                            code,
                            name,
                            latitude: *lat,
                            longitude: *lon,
                            terminal_id: terminal.as_str(),
                            qris_payload: None,
                            nmid: None,
                        },
                    )?
                }
            };
            let (att_name, nik, phone) = ATTENDANTS[i];
            let phone = crate::domain::Phone::parse(phone)
                .map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
            let attendant = match attendants::find_attendant_by_phone(conn, phone.as_str())? {
                Some(a) => a,
                None => attendants::insert_attendant(
                    conn,
                    &attendants::NewAttendant {
                        nik,
                        name: att_name,
                        phone: phone.as_str(),
                        kta_number: &format!("KTA-JMB-2026-{:03}", i + 1),
                        pin_hash: &pin_hash,
                    },
                )?,
            };
            // Where their share is paid (bagi hasil); the last has none yet, so their share is
            // held until one is recorded.
            if i + 1 < ATTENDANTS.len()
                && crate::db::payouts::account_of(conn, attendant.id)?.is_none()
            {
                crate::db::payouts::upsert_account(
                    conn,
                    attendant.id,
                    "002",
                    &format!("0{:03}01{:06}", i + 1, 123_456 + i),
                    &att_name.to_uppercase(),
                )?;
            }
            // A portrait for all but the last (whose card shows where to glue a photo), shown
            // to the public for all but the last two (who have not agreed).
            if i + 1 < ATTENDANTS.len() && attendant.photo_etag.is_none() {
                let portrait = demo_portrait(i)?;
                attendants::set_photo(conn, attendant.id, portrait.jpeg(), &portrait.etag())?;
                let consent = attendants::AttendantChanges {
                    photo_public: Some(i + 2 < ATTENDANTS.len()),
                    ..Default::default()
                };
                attendants::update_attendant(conn, attendant.id, &consent)?;
            }
            let now = Utc::now();
            let spot_busy = attendants::assignment_of_spot_at(conn, spot.id, now)?.is_some();
            let attendant_busy =
                attendants::assignment_of_attendant_at(conn, attendant.id, now)?.is_some();
            if !spot_busy && !attendant_busy {
                // A savepoint: an older period in the way makes the week-long one fail, and then
                // the duty starts now instead.
                let week =
                    conn.transaction(|c| duty::assign(c, attendant.id, spot.id, duty_start, None));
                if week.is_err() {
                    duty::assign(conn, attendant.id, spot.id, now, None)?;
                }
            }
        }
        seed_payments(conn, tz, progress)?;
        // The alerts of the last week, as the server's job would have raised them.
        let today = business_date(Utc::now(), tz);
        for days_back in (1..=7).rev() {
            crate::services::alerts::evaluate_date(
                conn,
                today - Duration::days(days_back),
                Utc::now(),
                tz,
                crate::services::alerts::Mode::AsIfOver,
            )?;
            progress.inc(1);
        }
        progress.finish_and_clear();
        let (first_name, _, first_phone) = ATTENDANTS[0];
        Ok(Seeded {
            admin_password,
            attendant_phone: first_phone.to_owned(),
            attendant_name: first_name.to_owned(),
        })
    })
}

/// A stand-in portrait for demo attendant `i`: a silhouette (head and shoulders) on a plain
/// background of its own colour, taken in through the same path as an admin's upload.
fn demo_portrait(i: usize) -> Result<crate::domain::Portrait, ApiError> {
    const BACKGROUNDS: [[u8; 3]; 4] = [
        [176, 196, 222],
        [200, 220, 190],
        [230, 210, 180],
        [210, 200, 225],
    ];
    let bg = BACKGROUNDS[i % BACKGROUNDS.len()];
    let (w, h) = (600u32, 800u32);
    let image = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let head = ((fx - 300.0) / 120.0).powi(2) + ((fy - 330.0) / 150.0).powi(2) <= 1.0;
        let shoulders =
            fy > 520.0 && ((fx - 300.0) / 280.0).powi(2) + ((fy - 800.0) / 280.0).powi(2) <= 1.0;
        // The attendant's vest: orange below the collar.
        if shoulders {
            image::Rgb(if (fx - 300.0).abs() < 40.0 && fy < 640.0 {
                [60, 60, 70]
            } else {
                [235, 120, 30]
            })
        } else if head {
            image::Rgb([120, 90, 70])
        } else {
            image::Rgb(bg)
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(ApiError::internal)?;
    crate::domain::Portrait::from_upload(&png).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))
}

/// The spot of the seeded incident (yesterday, every motorist told to pay cash).
pub const INCIDENT_SPOT: &str = "JMB-TLN-005";

/// The spot of the seeded leak: 4 to 2 days ago two in three non-cash payers paid another QR,
/// and its attendant fell short of target three duty days running.
pub const LEAK_SPOT: &str = "JMB-TLN-004";

/// Days of history the demo seeds before today: four weeks, so that the alerts have a
/// baseline (at least 7 duty days) from the first start.
pub const HISTORY_DAYS: i64 = 28;

/// The day, counted back from today, on which it rained: every spot at 60%.
pub const RAINY_DAY: i64 = 9;

/// How busy a day is: Saturdays busier, Fridays (prayers) and Sundays quieter, rain at 60%.
fn day_factor(date: chrono::NaiveDate, days_back: i64) -> f64 {
    use chrono::{Datelike, Weekday};
    let weekday = match date.weekday() {
        Weekday::Fri => 0.85,
        Weekday::Sat => 1.15,
        Weekday::Sun => 0.8,
        _ => 1.0,
    };
    weekday * if days_back == RAINY_DAY { 0.6 } else { 1.0 }
}

/// Four weeks of payments at every demo spot up to yesterday, 07:00–17:00 WIB, so that the
/// reconciliation has real rows and the alerts a baseline: static-QR payments (matched by
/// terminal), charges paid by reference, cash, one payment at an unknown terminal a day, a
/// weekday rhythm and a rainy day. Today is left to live traffic (or `scripts/demo-swap`).
/// The seeded incidents: yesterday [`INCIDENT_SPOT`]'s motorists were all told to pay cash;
/// 4 to 2 days ago [`LEAK_SPOT`] leaked two thirds of its non-cash. Ids are deterministic, so
/// seeding again adds nothing.
fn seed_payments(
    conn: &mut PgConnection,
    tz: chrono_tz::Tz,
    progress: &indicatif::ProgressBar,
) -> Result<(), ApiError> {
    use crate::db::{charges, payments};
    use crate::gateways::{GatewayName, Notification, PaymentStatus};

    let now = Utc::now();
    let today = business_date(now, tz);
    for days_back in (1..=HISTORY_DAYS).rev() {
        progress.inc(1);
        let date = today - Duration::days(days_back);
        let (day_start, _) = day_bounds(date, tz);
        let tag = date.format("%Y%m%d").to_string();
        // A day is seeded whole in the one transaction, its stray payment with it: if the
        // stray is there, so is the day.
        let stray_txn = format!("DEMO-{tag}-STRAY");
        if payments_exist(conn, "snap", &stray_txn)? {
            continue;
        }
        let mut cash = Vec::new();
        let mut new_charges = Vec::new();
        let mut notifications = Vec::new();
        for (i, (code, ..)) in SPOTS.iter().enumerate() {
            let Some(spot) = spots::find_spot_by_code(conn, code)? else {
                continue;
            };
            let noon = day_start + Duration::hours(12);
            let on_duty =
                attendants::assignment_of_spot_at(conn, spot.id, noon)?.map(|a| a.attendant_id);
            // The demo's duty and tariffs hold all day, so a spot's terms are looked up once a
            // day (a live ticket or charge looks them up at its own instant).
            let terms = match on_duty {
                Some(attendant_id) => Some((
                    attendant_id,
                    duty::terms_at(conn, attendant_id, "motorcycle", noon)?,
                    duty::terms_at(conn, attendant_id, "car", noon)?,
                )),
                None => None,
            };
            let usual = 60 + (i as i64 * 13 + days_back * 7) % 40;
            let n = ((usual as f64) * day_factor(date, days_back)).round() as i64;
            let only_cash = days_back == 1 && *code == INCIDENT_SPOT;
            let leak = (2..=4).contains(&days_back) && *code == LEAK_SPOT;
            for k in 0..n {
                let paid_at = day_start + Duration::hours(7) + Duration::seconds(k * 36_000 / n);
                let class = if k % 3 == 2 { "car" } else { "motorcycle" };
                let on_duty = terms
                    .as_ref()
                    .map(|(a, moto, car)| (*a, if k % 3 == 2 { car } else { moto }));
                let txn = format!("DEMO-{tag}-{}-{k:03}", i + 1);
                if only_cash || k % 5 == 0 {
                    if let Some((attendant_id, t)) = on_duty {
                        cash.push((txn, attendant_id, class, Frozen::of(t), paid_at));
                    }
                    continue;
                }
                if leak && k % 3 != 0 {
                    continue;
                }
                let amount = if k % 3 == 2 { 3000 } else { 2000 };
                let mut reference = None;
                if k % 5 == 1 {
                    let Some((attendant_id, t)) = on_duty else {
                        continue;
                    };
                    let r = format!("PDEMO{tag}{:02}{k:03}", i + 1);
                    let payload = crate::services::qr::charge_payload(&t.ctx, t.amount, &r)?;
                    new_charges.push((
                        r.clone(),
                        attendant_id,
                        class,
                        Frozen::of(t),
                        payload,
                        paid_at,
                    ));
                    reference = Some(r);
                }
                notifications.push(Notification {
                    gateway: GatewayName::Snap,
                    txn_id: txn,
                    terminal_id: reference.is_none().then(|| spot.terminal_id.clone()),
                    reference,
                    amount: Rupiah(amount),
                    paid_at,
                    status: PaymentStatus::Paid,
                    reported_status: "00".into(),
                    rrn: Some(format!("{tag}{:02}{k:04}", i + 1)),
                });
            }
        }
        let cash: Vec<_> = cash
            .iter()
            .map(|(txn, attendant_id, class, t, paid_at)| payments::NewCash {
                txn_id: txn,
                amount: t.amount,
                paid_at: *paid_at,
                business_date: date,
                spot_id: t.spot_id,
                attendant_id: *attendant_id,
                zone_version_id: t.zone_version_id,
                attendant_share_bps: t.attendant_share_bps,
                vehicle_class: class,
                client_ref: None,
            })
            .collect();
        // Each charge made 40 s before it was paid, for the usual ten minutes.
        let new_charges: Vec<_> = new_charges
            .iter()
            .map(
                |(reference, attendant_id, class, t, payload, paid_at)| charges::NewCharge {
                    reference,
                    attendant_id: *attendant_id,
                    spot_id: t.spot_id,
                    zone_version_id: t.zone_version_id,
                    vehicle_class: class,
                    amount: t.amount,
                    payload,
                    created_at: *paid_at - Duration::seconds(40),
                    expires_at: *paid_at + Duration::minutes(9),
                },
            )
            .collect();
        charges::insert_charges(conn, &new_charges)?;
        notifications.push(Notification {
            gateway: GatewayName::Snap,
            txn_id: stray_txn,
            reference: None,
            terminal_id: Some("JMBXXX999".into()),
            amount: Rupiah(2000),
            paid_at: day_start + Duration::hours(12),
            status: PaymentStatus::Paid,
            reported_status: "00".into(),
            rrn: None,
        });
        // QRIS first, then cash: a day's list in the console opens on what the gateway sent.
        record_demo_day(conn, &notifications, tz)?;
        payments::insert_cash_batch(conn, &cash)?;
    }
    Ok(())
}

/// What a ticket or charge carries of its terms.
struct Frozen {
    spot_id: i64,
    zone_version_id: i64,
    attendant_share_bps: i32,
    amount: i64,
}

impl Frozen {
    fn of(t: &duty::Terms) -> Self {
        Frozen {
            spot_id: t.ctx.spot.id,
            zone_version_id: t.version.id,
            attendant_share_bps: t.version.attendant_share_bps,
            amount: t.amount,
        }
    }
}

/// The day's gateway payments in one batch statement, the path of new live callbacks.
pub(crate) fn record_demo_day(
    conn: &mut PgConnection,
    notifications: &[crate::gateways::Notification],
    tz: chrono_tz::Tz,
) -> Result<(), ApiError> {
    let inbox: Vec<_> = notifications
        .iter()
        .map(|n| {
            let body = serde_json::to_vec(n).unwrap_or_default();
            crate::db::recording::InboxEntry {
                gateway: "snap".into(),
                headers: serde_json::json!({"x-parkir-demo-seed": "true"}),
                body_sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body)),
                body,
            }
        })
        .collect();
    let batch: Vec<_> = notifications.iter().zip(&inbox).collect();
    crate::db::recording::record_fresh_batch(conn, &batch, tz)?;
    Ok(())
}

pub(crate) fn payments_exist(
    conn: &mut PgConnection,
    gateway: &str,
    txn: &str,
) -> Result<bool, ApiError> {
    use crate::db::schema::payments;
    use diesel::prelude::*;
    Ok(diesel::select(diesel::dsl::exists(
        payments::table
            .filter(payments::gateway.eq(gateway))
            .filter(payments::gateway_txn_id.eq(txn)),
    ))
    .get_result(conn)?)
}
