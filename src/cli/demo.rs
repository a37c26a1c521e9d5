//! `parkir demo`: a seeded Kota Jambi (`parkir::demo`), its logins and addresses, then serve.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use secrecy::{ExposeSecret, SecretString};

use parkir::config::Settings;
use parkir::{db, demo};

/// Seeds the demo city, prints how to reach it, then serves (demo gateway credentials where
/// none are configured; a random JWT secret when none is set).
pub fn run(mut settings: Settings) -> anyhow::Result<()> {
    demo::default_gateways(&mut settings.gateways);
    demo::default_office(&mut settings);
    // The demo's own key for the cities' sealed gateway credentials (never a real deployment's).
    if settings.secret_key.is_none() {
        settings.secret_key = Some(SecretString::from(demo::DEMO_SECRET_KEY));
    }
    let secret = settings
        .jwt_secret
        .clone()
        .unwrap_or_else(|| SecretString::from(random_secret()));
    let url = settings.database_url.expose_secret().to_owned();
    println!(
        "Parkir demo: preparing Kota Jambi in {} (migrations, then four weeks of history)…",
        db::redact(&url)
    );
    let started = std::time::Instant::now();
    db::prepare_with_city(&url, &settings.city_code, settings.timezone.name())?;
    let password = std::env::var("PARKIR_PASSWORD")
        .unwrap_or_else(|_| demo::DEFAULT_ADMIN_PASSWORD.to_owned());
    // Seeded as the server serves: the serving role, held to one city at a time.
    let mut conn = PgConnection::establish(&url)?;
    conn.batch_execute(&format!("SET ROLE {}", db::SERVING_ROLE))?;
    db::act_for(&mut conn, Some(parkir::state::DEFAULT_CITY))?;
    let progress = parkir::progress::bar(demo::SEED_STEPS, "seeding Kota Jambi");
    let seeded = demo::seed(&mut conn, settings.timezone, &password, &progress)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    demo::balikpapan::seed(&mut conn, &password).map_err(|e| anyhow::anyhow!("{e}"))?;
    drop(conn);
    println!(
        "  seeded in {:.1} s; starting the server…",
        started.elapsed().as_secs_f64()
    );
    super::serve::serve_then(&settings, &secret, || print_demo(&settings, &seeded))
}

fn random_secret() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(48)
        .map(char::from)
        .collect()
}

fn print_demo(settings: &Settings, seeded: &demo::Seeded) {
    let base = format!("http://{}", settings.bind);
    println!("Parkir demo is listening: Kota Jambi (2 zones, 10 spots, 10 attendants on duty)");
    match &seeded.admin_password {
        Some(p) => println!("  admin login:     username admin, password {p}"),
        None => println!(
            "  admin login:     username admin (password as first seeded; default {})",
            demo::DEFAULT_ADMIN_PASSWORD
        ),
    }
    println!(
        "  attendant login: phone {}, PIN {} ({})",
        seeded.attendant_phone,
        demo::ATTENDANT_PIN,
        seeded.attendant_name
    );
    let g = &settings.gateways;
    println!(
        "  SNAP gateway:    X-CLIENT-KEY {}, client secret {}, public key {}",
        g.snap_client_key.as_deref().unwrap_or("-"),
        g.snap_client_secret
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or("-"),
        if g.snap_public_key_pem.is_some() {
            "demo/snap-gateway-DEMO-ONLY.pub.pem (sign with demo/snap-gateway-DEMO-ONLY.key)"
        } else {
            "from PARKIR_SNAP_PUBLIC_KEY"
        }
    );
    println!(
        "  Midtrans key:    {}   Xendit token: {}",
        g.midtrans_server_key
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or("-"),
        g.xendit_callback_token
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or("-")
    );
    println!("  gateway how-to:  docs/gateways.md (signed curl examples)");
    println!("  Dishub console:  {base}/dishub  (log in as admin)");
    println!(
        "  second city:     {} ({}, WITA): log in as {} with the same password; the two never see each other",
        demo::balikpapan::NAME,
        demo::balikpapan::CODE,
        demo::balikpapan::ADMIN_USERNAME
    );
    println!(
        "  operator:        parkir user add --role operator --username operator  (then /dishub: every city's totals)"
    );
    println!("  attendant page:  {base}/jukir  (phone and PIN above)");
    println!(
        "  alerts:          {base}/dishub#/peringatan  (seeded: yesterday {} took only cash; {} leaked 4–2 days ago; a live QR swap: scripts/demo-swap)",
        demo::INCIDENT_SPOT,
        demo::LEAK_SPOT
    );
    println!("  API:             {base}/api/v1");
    println!("  API docs:        {base}/docs/  (OpenAPI: {base}/openapi.json)");
    println!("  health:          {base}/healthz  {base}/readyz  {base}/metrics");
    println!(
        "  try:             curl -s {base}/api/v1/auth/login -H 'Content-Type: application/json' \
         -d '{{\"username\":\"admin\",\"password\":\"{}\"}}'",
        seeded
            .admin_password
            .as_deref()
            .unwrap_or(demo::DEFAULT_ADMIN_PASSWORD)
    );
}
