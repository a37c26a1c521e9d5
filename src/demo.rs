//! `parkir demo`: a believable Kota Jambi, seeded idempotently (running it again adds nothing
//! that is already there and changes no password). Staff, duty periods, charges and cash go
//! through the same services as the API; callbacks through the recorder's locked path.

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
pub const XENDIT_CALLBACK_TOKEN: &str = "xnd-callback-token-PARKIR-DEMO";

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

/// Seeds the demo city in one transaction. `admin_password` is used only when the admin does
/// not exist yet; the result says whether it was set now.
pub fn seed(
    conn: &mut PgConnection,
    tz: chrono_tz::Tz,
    admin_password: &str,
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
        seed_payments(conn, tz)?;
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
        }
        let (first_name, _, first_phone) = ATTENDANTS[0];
        Ok(Seeded {
            admin_password,
            attendant_phone: first_phone.to_owned(),
            attendant_name: first_name.to_owned(),
        })
    })
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
fn seed_payments(conn: &mut PgConnection, tz: chrono_tz::Tz) -> Result<(), ApiError> {
    use crate::gateways::{GatewayName, Notification, PaymentStatus};
    use crate::services::{cash, charges};

    let now = Utc::now();
    let today = business_date(now, tz);
    for days_back in (1..=HISTORY_DAYS).rev() {
        let date = today - Duration::days(days_back);
        let (day_start, _) = day_bounds(date, tz);
        let tag = date.format("%Y%m%d").to_string();
        for (i, (code, ..)) in SPOTS.iter().enumerate() {
            let Some(spot) = spots::find_spot_by_code(conn, code)? else {
                continue;
            };
            let usual = 60 + (i as i64 * 13 + days_back * 7) % 40;
            let n = ((usual as f64) * day_factor(date, days_back)).round() as i64;
            let only_cash = days_back == 1 && *code == INCIDENT_SPOT;
            let leak = (2..=4).contains(&days_back) && *code == LEAK_SPOT;
            let duty =
                attendants::assignment_of_spot_at(conn, spot.id, day_start + Duration::hours(12))?
                    .map(|a| a.attendant_id);
            for k in 0..n {
                let paid_at = day_start + Duration::hours(7) + Duration::seconds(k * 36_000 / n);
                let (class, amount) = if k % 3 == 2 {
                    ("car", 3000)
                } else {
                    ("motorcycle", 2000)
                };
                let txn = format!("DEMO-{tag}-{}-{k:03}", i + 1);
                let on_duty = duty;
                if only_cash || k % 5 == 0 {
                    if let Some(attendant_id) = on_duty
                        && !payments_exist(conn, "cash", &txn)?
                    {
                        let ticket = cash::CashTicket {
                            attendant_id,
                            vehicle_class: class,
                            paid_at,
                            txn_id: Some(&txn),
                        };
                        cash::record(conn, &ticket, tz)?;
                    }
                    continue;
                }
                if leak && k % 3 != 0 {
                    continue;
                }
                let mut reference = None;
                if k % 5 == 1 {
                    let Some(attendant_id) = on_duty else {
                        continue;
                    };
                    let r = format!("PDEMO{tag}{:02}{k:03}", i + 1);
                    if !charges_by_reference(conn, &r)? {
                        let req = charges::ChargeRequest {
                            attendant_id,
                            vehicle_class: class,
                            at: paid_at - Duration::seconds(40),
                            ttl: Duration::seconds(40) + Duration::minutes(9),
                            reference: Some(&r),
                        };
                        charges::create(conn, &req, tz)?;
                    }
                    reference = Some(r);
                }
                let n = Notification {
                    gateway: GatewayName::Snap,
                    txn_id: txn.clone(),
                    terminal_id: reference.is_none().then(|| spot.terminal_id.clone()),
                    reference,
                    amount: Rupiah(amount),
                    paid_at,
                    status: PaymentStatus::Paid,
                    reported_status: "00".into(),
                    rrn: Some(format!("{tag}{:02}{k:04}", i + 1)),
                };
                record_demo(conn, &n, tz)?;
            }
        }
        let stray = Notification {
            gateway: GatewayName::Snap,
            txn_id: format!("DEMO-{tag}-STRAY"),
            reference: None,
            terminal_id: Some("JMBXXX999".into()),
            amount: Rupiah(2000),
            paid_at: day_start + Duration::hours(12),
            status: PaymentStatus::Paid,
            reported_status: "00".into(),
            rrn: None,
        };
        record_demo(conn, &stray, tz)?;
    }
    Ok(())
}

fn record_demo(
    conn: &mut PgConnection,
    n: &crate::gateways::Notification,
    tz: chrono_tz::Tz,
) -> Result<(), ApiError> {
    if payments_exist(conn, "snap", &n.txn_id)? {
        return Ok(());
    }
    let body = serde_json::to_vec(n).unwrap_or_default();
    let inbox = crate::db::recording::InboxEntry {
        gateway: "snap".into(),
        headers: serde_json::json!({"x-parkir-demo-seed": "true"}),
        body_sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body)),
        body,
    };
    crate::db::recording::record_locked(conn, n, &inbox, tz)?;
    Ok(())
}

fn payments_exist(conn: &mut PgConnection, gateway: &str, txn: &str) -> Result<bool, ApiError> {
    use crate::db::schema::payments;
    use diesel::prelude::*;
    Ok(diesel::select(diesel::dsl::exists(
        payments::table
            .filter(payments::gateway.eq(gateway))
            .filter(payments::gateway_txn_id.eq(txn)),
    ))
    .get_result(conn)?)
}

fn charges_by_reference(conn: &mut PgConnection, reference: &str) -> Result<bool, ApiError> {
    use crate::db::schema::charges;
    use diesel::prelude::*;
    Ok(diesel::select(diesel::dsl::exists(
        charges::table.filter(charges::reference.eq(reference)),
    ))
    .get_result(conn)?)
}
