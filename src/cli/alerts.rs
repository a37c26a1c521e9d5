//! `parkir alerts evaluate --date D`: what `POST /alerts/evaluate?date=D` does, from a shell
//! (the same service, the same lock).

use chrono::Utc;
use clap::Subcommand;
use secrecy::ExposeSecret;

use parkir::config::Settings;
use parkir::db;
use parkir::services::alerts;

#[derive(Subcommand)]
pub enum AlertsCommand {
    /// Evaluate every alert kind for one business date now (a past date as if it had just
    /// ended; today up to now). Prints `opened=N` and one line per new alert.
    Evaluate {
        /// Business date YYYY-MM-DD in PARKIR_TIMEZONE.
        #[arg(long)]
        date: chrono::NaiveDate,
    },
}

pub fn run(command: AlertsCommand, settings: &Settings) -> anyhow::Result<()> {
    let AlertsCommand::Evaluate { date } = command;
    let url = settings.database_url.expose_secret();
    db::prepare_with_city(url, &settings.city_code, settings.timezone.name())?;
    // The default city's, as the server serves it.
    let mut conn = db::establish_serving(url)?;
    let opened = alerts::evaluate_date(
        &mut conn,
        date,
        Utc::now(),
        settings.timezone,
        alerts::Mode::AsIfOver,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?
    .unwrap_or_default();
    println!("opened={}", opened.len());
    for a in &opened {
        println!(
            "{} {} {} spot={} attendant={} {}",
            a.id,
            a.kind.as_str(),
            a.severity.as_str(),
            a.spot_id.map_or("-".into(), |s| s.to_string()),
            a.attendant_id.map_or("-".into(), |s| s.to_string()),
            a.evidence["summary"].as_str().unwrap_or("")
        );
    }
    Ok(())
}
