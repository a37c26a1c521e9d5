//! `parkir serve` and `parkir migrate`.

use secrecy::{ExposeSecret, SecretString};

use parkir::config::Settings;
use parkir::db;
use parkir::startup::Application;

/// Creates the database if missing and applies pending migrations.
pub fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret();
    let applied = db::prepare_with_city(url, &settings.city_code, settings.timezone.name())?;
    println!(
        "database {} is up to date ({} migration(s) applied now)",
        db::redact(url),
        applied.len()
    );
    Ok(())
}

/// Migrates, then serves until stopped.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let secret = settings.require_jwt_secret()?;
    db::prepare_with_city(
        settings.database_url.expose_secret(),
        &settings.city_code,
        settings.timezone.name(),
    )?;
    serve(settings, &secret)
}

pub fn serve(settings: &Settings, secret: &SecretString) -> anyhow::Result<()> {
    serve_then(settings, secret, || {})
}

/// Serves, calling `listening` once the socket is bound (so what it prints can be followed).
pub fn serve_then(
    settings: &Settings,
    secret: &SecretString,
    listening: impl FnOnce(),
) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings, secret)?;
        tracing::info!(port = app.port(), bind = %settings.bind, "parkir listening");
        listening();
        app.run_until_stopped().await?;
        Ok(())
    })
}
