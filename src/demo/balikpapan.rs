//! The demo's second city (SPEC §17): Kota Balikpapan, in WITA, on the same deployment as
//! Kota Jambi and held apart from it by row-level security. Small on purpose: one zone, three
//! spots with their attendants on duty, a week of QRIS payments, and its own admin.

use chrono::{Duration, Utc};
use diesel::{Connection, PgConnection};

use crate::db::{attendants, cities, spots, users, zones};
use crate::domain::business_date;
use crate::domain::time::day_bounds;
use crate::domain::{MerchantAccountSpec, Rupiah};
use crate::error::ApiError;
use crate::gateways::{GatewayName, Notification, PaymentStatus};

pub const CODE: &str = "BPN";
pub const NAME: &str = "Kota Balikpapan";
pub const TIMEZONE: chrono_tz::Tz = chrono_tz::Asia::Makassar;
pub const ADMIN_USERNAME: &str = "admin-bpn";

const SPOTS: &[(&str, &str, f64, f64)] = &[
    (
        "BPN-KLD-001",
        "Jl. Jend. Sudirman (Klandasan)",
        -1.2747,
        116.8312,
    ),
    ("BPN-KLD-002", "Pasar Klandasan", -1.2765, 116.8290),
    ("BPN-KLD-003", "Lapangan Merdeka", -1.2712, 116.8355),
];

const ATTENDANTS: &[(&str, &str, &str)] = &[
    ("Rahmat Hidayat", "6471010505850001", "081350000001"),
    ("Yusuf Maulana", "6471010505850002", "081350000002"),
    ("Andi Saputra", "6471010505850003", "081350000003"),
];

/// How many days of payments the city has behind it.
const HISTORY_DAYS: i64 = 7;

/// Seeds Balikpapan acting for it (on a serving connection, every row it reads and writes is
/// its own), in one transaction; the connection acts for the default city again afterwards.
pub fn seed(conn: &mut PgConnection, admin_password: &str) -> Result<(), ApiError> {
    let seeded = conn.transaction(|conn| {
        let city = match cities::all(conn)?.into_iter().find(|c| c.code == CODE) {
            Some(c) => c.id,
            None => cities::insert(conn, CODE, NAME, TIMEZONE.name())?.id,
        };
        crate::db::act_for(conn, Some(city))?;
        // Its own letterhead and complaint line, as its operator would set them.
        if cities::letterhead(conn, city)?.is_some_and(|l| l.hotline.is_none()) {
            let office = serde_json::json!({"name": "Dinas Perhubungan Kota Balikpapan",
                "address": "Jl. Jend. Sudirman No. 1, Balikpapan", "signatory_name": null,
                "signatory_nip": null, "signatory_title": "Kepala Dinas Perhubungan"});
            cities::set_letterhead(
                conn,
                city,
                None,
                Some(Some(office)),
                Some(Some("0811-5400-100".into())),
            )?;
        }
        if users::find_staff_by_username(conn, ADMIN_USERNAME)?.is_none() {
            crate::services::staff::add_user(
                conn,
                ADMIN_USERNAME,
                admin_password,
                crate::auth::Role::Admin,
                Some(city),
            )?;
        }
        let spec = MerchantAccountSpec {
            gui: "ID.CO.BANKKALTIMTARA.WWW".into(),
            pan: "9360012400000004567".into(),
            nmid: "ID1026400000456".into(),
            merchant_id: "DSHBPN000000001".into(),
            name: "DISHUB KOTA BALIKPAPAN".into(),
            city: "BALIKPAPAN".into(),
            postal_code: "76111".into(),
            ..super::merchant_spec()
        };
        let merchant = match zones::find_merchant_account_by_nmid(conn, &spec.nmid)? {
            Some(m) => m,
            None => zones::insert_merchant_account(conn, &spec)?,
        };
        if zones::find_zone_by_code(conn, "KLD")?.is_none() {
            zones::insert_zone(
                conn,
                &zones::NewZone {
                    code: "KLD",
                    name: "Zona Klandasan",
                    district: "Balikpapan Kota",
                    merchant_account_id: merchant.id,
                },
                &zones::NewZoneVersion {
                    effective_from: crate::services::zones::beginning(),
                    tariffs: serde_json::json!({"motorcycle": 2000, "car": 4000}),
                    attendant_share_bps: 6000,
                    daily_target: Some(100_000),
                },
            )?;
        }
        let zone = zones::find_zone_by_code(conn, "KLD")?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("demo zone missing")))?;
        let today = business_date(Utc::now(), TIMEZONE);
        let (duty_start, _) = day_bounds(today - Duration::days(HISTORY_DAYS), TIMEZONE);
        let pin_hash = crate::auth::hash_secret(super::ATTENDANT_PIN)?;
        let mut terminals = Vec::new();
        for (i, ((code, name, lat, lon), (att_name, nik, phone))) in
            SPOTS.iter().zip(ATTENDANTS).enumerate()
        {
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
            let phone = crate::domain::Phone::parse(phone)
                .map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
            let phone = phone.as_str();
            let attendant = match attendants::find_attendant_by_phone(conn, phone)? {
                Some(a) => a,
                None => attendants::insert_attendant(
                    conn,
                    &attendants::NewAttendant {
                        nik,
                        name: att_name,
                        phone,
                        kta_number: &format!("KTA-BPN-2026-{:03}", i + 1),
                        pin_hash: &pin_hash,
                    },
                )?,
            };
            if attendants::assignment_of_spot_at(conn, spot.id, Utc::now())?.is_none()
                && attendants::assignment_of_attendant_at(conn, attendant.id, Utc::now())?.is_none()
            {
                crate::services::duty::assign(conn, attendant.id, spot.id, duty_start, None)?;
            }
            terminals.push(spot.terminal_id);
        }
        for days_back in (1..=HISTORY_DAYS).rev() {
            let date = today - Duration::days(days_back);
            let tag = date.format("%Y%m%d").to_string();
            if super::payments_exist(conn, "snap", &format!("DEMO-BPN-{tag}-0-000"))? {
                continue;
            }
            let (day_start, _) = day_bounds(date, TIMEZONE);
            let mut notifications = Vec::new();
            for (i, terminal) in terminals.iter().enumerate() {
                for k in 0..(18 + 4 * i as i64 + days_back % 3) {
                    notifications.push(Notification {
                        gateway: GatewayName::Snap,
                        txn_id: format!("DEMO-BPN-{tag}-{i}-{k:03}"),
                        reference: None,
                        terminal_id: Some(terminal.clone()),
                        amount: Rupiah(if k % 4 == 0 { 4000 } else { 2000 }),
                        paid_at: day_start + Duration::hours(7) + Duration::minutes(k * 31),
                        status: PaymentStatus::Paid,
                        reported_status: "00".into(),
                        rrn: None,
                    });
                }
            }
            super::record_demo_day(conn, &notifications, TIMEZONE)?;
        }
        Ok(())
    });
    crate::db::act_for(conn, Some(crate::state::DEFAULT_CITY))?;
    seeded
}
