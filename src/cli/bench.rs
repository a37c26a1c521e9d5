//! `parkir bench …`: each prints one `key=value …` line (docs/benchmarks.md).

use std::process::ExitCode;

use clap::Subcommand;
use secrecy::ExposeSecret;

use parkir::config::Settings;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Signed SNAP notifications against the in-process server, with the INSERT baseline.
    Callbacks {
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// The daily reconciliation of N payments over 1 000 attendants, with its SQL baseline.
    Reconcile {
        #[arg(long, default_value_t = 1_000_000)]
        payments: i64,
    },
    /// The monthly recap of N payments over 1 000 attendants and 30 days, with its SQL
    /// baseline, and the dashboard's 30-day series.
    Monthly {
        #[arg(long, default_value_t = 3_000_000)]
        payments: i64,
    },
    /// Render N static spot QR PNGs (4 px/module, ECC M) without the cache.
    Qr {
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
}

/// `parkir bench qr`: pure, no settings.
pub fn qr(count: usize) -> ExitCode {
    match parkir::bench::qr::run(count) {
        Ok(r) => {
            println!(
                "renders_per_s={:.0} png_bytes={} payload_chars={} png_bytes_250={}",
                r.renders_per_s, r.png_bytes, r.payload_chars, r.png_bytes_250
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parkir: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(command: BenchCommand, settings: Settings) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret().to_owned();
    match command {
        BenchCommand::Callbacks {
            requests,
            concurrency,
        } => {
            let r = parkir::bench::callbacks::run(settings, requests, concurrency)?;
            println!(
                "callbacks_per_s={:.0} p50_ms={:.2} p99_ms={:.2} baseline_inserts_per_s={:.0} ratio={:.2} stored={} expected={} rss_peak_mb={:.1} failures={}",
                r.callbacks_per_s,
                r.p50_ms,
                r.p99_ms,
                r.baseline_inserts_per_s,
                r.callbacks_per_s / r.baseline_inserts_per_s,
                r.stored,
                r.expected,
                r.rss_peak_mb,
                r.failures
            );
            Ok(())
        }
        BenchCommand::Reconcile { payments } => {
            let r = parkir::bench::reconcile::run(&url, payments, settings.timezone)?;
            println!(
                "payments={} reconcile_ms={:.1} baseline_ms={:.1} ratio={:.2} rows={}",
                r.payments,
                r.reconcile_ms,
                r.baseline_ms,
                r.reconcile_ms / r.baseline_ms,
                r.rows
            );
            Ok(())
        }
        BenchCommand::Monthly { payments } => {
            let r = parkir::bench::monthly::run(&url, payments, settings.timezone)?;
            println!(
                "payments={} monthly_ms={:.1} baseline_ms={:.1} ratio={:.2} series_ms={:.1} cold_ms={:.1} rows={}",
                r.payments,
                r.monthly_ms,
                r.baseline_ms,
                r.monthly_ms / r.baseline_ms,
                r.series_ms,
                r.cold_ms,
                r.rows
            );
            Ok(())
        }
        BenchCommand::Qr { .. } => unreachable!("pure: handled by cli::dispatch"),
    }
}
