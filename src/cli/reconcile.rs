//! `parkir reconcile --date D [--close]`: the daily report (JSON or CSV), through the same
//! service the API uses.

use clap::ValueEnum;
use secrecy::ExposeSecret;

use parkir::config::Settings;
use parkir::db;
use parkir::services::reconciliation;

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Json,
    Csv,
}

pub fn run(
    settings: &Settings,
    date: chrono::NaiveDate,
    close: bool,
    format: OutputFormat,
    lang: &str,
    zone_id: Option<i64>,
) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret();
    db::prepare_with_city(url, &settings.city_code, settings.timezone.name())?;
    // The default city's, as the server serves it.
    let mut conn = db::establish_serving(url)?;
    let tz = settings.timezone;
    if close {
        reconciliation::close_day(&mut conn, date, "cli", tz)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let report = reconciliation::daily_report(&mut conn, date, zone_id, tz)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Csv => {
            let bytes =
                parkir::reconcile::daily::to_csv(&report.rows, &report.totals, lang == "id")?;
            print!("{}", String::from_utf8_lossy(&bytes));
        }
    }
    Ok(())
}
