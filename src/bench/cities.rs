//! `parkir bench callbacks --cities N`: the cost of tenancy on the write path (SPEC §17). In
//! one run, on one database: the demo city alone takes the signed callbacks, then N cities
//! (the demo city and N − 1 more, each with its own sealed SNAP credentials, spot and attendant
//! on duty) take as many, spread over all of them — every callback routed to its city by its
//! partner id and token, recorded acting for it under row-level security.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};

use super::BenchDb;
use super::callbacks::{Baseline, CallbackBench, Target, demo_targets, measure};
use crate::config::Settings;
use crate::db::{attendants, cities, spots, zones};
use crate::demo;
use crate::gateways::credentials::SecretKey;

pub struct CitiesBench {
    pub cities: usize,
    /// The demo city alone.
    pub one_city: CallbackBench,
    /// The same load spread over every city.
    pub many_cities: CallbackBench,
}

/// The key the bench seals its cities' credentials with (the bench's own database only).
const BENCH_SECRET_KEY: &str = "parkir-bench-secret-key-NOT-FOR-PRODUCTION";

pub fn run(
    mut settings: Settings,
    cities: usize,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<CitiesBench> {
    let db = BenchDb::create(settings.database_url.expose_secret())?;
    {
        let mut conn = PgConnection::establish(&db.url)?;
        crate::db::act_for(&mut conn, Some(crate::state::DEFAULT_CITY))?;
        demo::seed(
            &mut conn,
            settings.timezone,
            "bench-kata-sandi-7421",
            &crate::progress::bar(demo::SEED_STEPS, "seeding the demo city"),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    settings.secret_key = Some(SecretString::from(BENCH_SECRET_KEY));
    settings.alerts.interval = std::time::Duration::ZERO;
    let one_city = measure(
        settings.clone(),
        &db.url,
        n,
        concurrency,
        &demo_targets(),
        Baseline::Scratch,
    )?;
    let mut targets = demo_targets();
    targets.extend(add_cities(
        &db.url,
        cities.saturating_sub(1),
        &SecretKey::new(&SecretString::from(BENCH_SECRET_KEY)),
    )?);
    // Interleaved: consecutive callbacks go to different cities.
    let spread: Vec<Target> = (0..targets.len())
        .map(|i| targets[(i * 7) % targets.len()].clone())
        .collect();
    let many_cities = measure(
        settings,
        &db.url,
        n,
        concurrency,
        &spread,
        Baseline::Scratch,
    )?;
    Ok(CitiesBench {
        cities,
        one_city,
        many_cities,
    })
}

/// A city code for the `i`-th bench city: `CAAA`, `CAAB`, …
fn code(i: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
    format!("C{}{}{}", letter(i / 676), letter(i / 26), letter(i))
}

/// `count` more cities, each a merchant, a zone, a spot with an attendant on duty and its own
/// SNAP credentials (the demo gateway's key pair under a partner id of its own), written acting
/// for it; their targets.
fn add_cities(url: &str, count: usize, key: &SecretKey) -> anyhow::Result<Vec<Target>> {
    let mut conn = PgConnection::establish(url)?;
    let progress = crate::progress::bar(count as u64, "cities");
    let fail = |e: crate::error::ApiError| anyhow::anyhow!("{e}");
    let mut targets = Vec::with_capacity(count);
    let pin = crate::auth::hash_secret(demo::ATTENDANT_PIN).map_err(fail)?;
    for i in 0..count {
        let code = code(i);
        let zone_name = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"][i % 3];
        let city = cities::insert(&mut conn, &code, &format!("Kota Uji {code}"), zone_name)?;
        crate::db::act_for(&mut conn, Some(city.id))?;
        let merchant = zones::insert_merchant_account(
            &mut conn,
            &crate::domain::MerchantAccountSpec {
                nmid: format!("ID10265{i:08}"),
                ..demo::merchant_spec()
            },
        )?;
        let (zone, _) = zones::insert_zone(
            &mut conn,
            &zones::NewZone {
                code: "PSR",
                name: "Zona Pasar",
                district: "Pusat",
                merchant_account_id: merchant.id,
            },
            &zones::NewZoneVersion {
                effective_from: crate::services::zones::beginning(),
                tariffs: serde_json::json!({"motorcycle": 2000, "car": 3000}),
                attendant_share_bps: 6000,
                daily_target: Some(60_000),
            },
        )?;
        let terminal = format!("{code}PSR001");
        let spot = spots::insert_spot(
            &mut conn,
            &spots::NewSpot {
                zone_id: zone.id,
                code: &format!("{code}-PSR-001"),
                name: "Jl. Uji",
                latitude: -1.6,
                longitude: 103.6,
                terminal_id: &terminal,
                qris_payload: None,
                nmid: None,
            },
        )?;
        let attendant = attendants::insert_attendant(
            &mut conn,
            &attendants::NewAttendant {
                nik: "1571010505850001",
                name: "Juru Parkir Uji",
                phone: &format!("+6281399{i:06}"),
                kta_number: "KTA-UJI-001",
                pin_hash: &pin,
            },
        )?;
        crate::services::duty::assign(
            &mut conn,
            attendant.id,
            spot.id,
            Utc::now() - Duration::days(2),
            None,
        )
        .map_err(fail)?;
        let partner = format!("BENCH-PARTNER-{code}");
        cities::put_gateways(
            &mut conn,
            &cities::PutGateways {
                snap: Some((
                    partner.clone(),
                    Some(key.seal(city.id, "snap_client_secret", demo::SNAP_CLIENT_SECRET)),
                    Some(demo::SNAP_PUBLIC_KEY_PEM.to_owned()),
                )),
                midtrans: None,
                xendit: None,
            },
        )?;
        targets.push(Target { partner, terminal });
        progress.inc(1);
    }
    crate::db::act_for(&mut conn, Some(crate::state::DEFAULT_CITY))?;
    progress.finish_and_clear();
    Ok(targets)
}
