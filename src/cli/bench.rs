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
        /// Spread the callbacks over this many cities, after the same load at the demo city
        /// alone (the cost of tenancy on the write path, SPEC §17).
        #[arg(long, default_value_t = 1)]
        cities: usize,
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
    /// The leakage signals on a simulated city with injected leaks (docs/alerts.md).
    Alerts(AlertsArgs),
    /// Signed callbacks through a multi-host DATABASE_URL while the primary is killed
    /// (SPEC §14; needs `scripts/ha up`, DATABASE_URL=$(scripts/ha url)).
    Failover {
        #[arg(long, default_value_t = 5_000)]
        requests: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Failovers in the run (the first kills the primary, the second the one promoted).
        #[arg(long, default_value_t = 2)]
        failovers: usize,
        /// Callbacks per second the gateways send (at most; retries wait their turn).
        #[arg(long, default_value_t = 100.0)]
        rate: f64,
        /// Shell command that kills the primary and prints its name.
        #[arg(long, default_value = "scripts/ha kill-primary")]
        kill: String,
        /// Shell command that brings the lost node back as a standby.
        #[arg(long, default_value = "scripts/ha up")]
        revive: String,
    },
    /// A 20-megapixel phone JPEG uploaded as an attendant's photo through the in-process
    /// server, against a bare decode of the same file; and the upload's peak memory.
    Photo {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// A year of a big city (SPEC §18): N payments over D days in its own database, then what
    /// `callbacks`, `reconcile` and `monthly` measure at that size, and the bytes on disk.
    Scale {
        #[arg(long, default_value_t = 50_000_000)]
        payments: i64,
        #[arg(long, default_value_t = 365)]
        days: usize,
        /// Signed callbacks fired at the loaded city (and as many baseline INSERTs).
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// Render N static spot QR PNGs (4 px/module, ECC M) without the cache.
    Qr {
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
}

/// `parkir bench alerts`: the simulated city and the thresholds to try.
#[derive(clap::Args)]
pub struct AlertsArgs {
    #[arg(long, default_value_t = 500)]
    spots: usize,
    #[arg(long, default_value_t = 60)]
    days: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Override the model's tail probability (default 0.005).
    #[arg(long)]
    alpha: Option<f64>,
    /// Override the model's slack (default 0.1).
    #[arg(long)]
    slack: Option<f64>,
    /// Override the chance per spot-day of a silence by luck (default 0.002).
    #[arg(long)]
    silence_rate: Option<f64>,
    /// Override the city's expected payments that make a silence an outage (default 20;
    /// a huge value turns `gateway_silence` off, to see what the outage would cost).
    #[arg(long)]
    outage_expected: Option<f64>,
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

/// `parkir bench alerts`: pure, no settings.
pub fn alerts(a: AlertsArgs) -> ExitCode {
    let mut th = parkir::reconcile::alerts::Thresholds::default();
    th.alpha = a.alpha.unwrap_or(th.alpha);
    th.slack = a.slack.unwrap_or(th.slack);
    th.silence_rate = a.silence_rate.unwrap_or(th.silence_rate);
    th.outage_expected = a.outage_expected.unwrap_or(th.outage_expected);
    let r = parkir::bench::alerts::run(a.spots, a.days, a.seed, &th);
    println!(
        "spot_days={} incidents={} detected={} recall={:.3} recall_swap_4h={:.3} recall_half_2d={:.3} recall_steering_2d={:.3} false_alarms_per_100_spot_days={:.3} median_delay_hours={:.1} median_swap_delay_hours={:.1} outage_days={} gateway_alerts={} gateway_false_alarms={} outage_spot_alerts={} chronic={} chronic_alerted_by_day_3={} other_streaks_per_100_days={:.2} seconds={:.1}",
        r.spot_days,
        r.incidents,
        r.detected,
        r.recall,
        r.recall_swap_4h,
        r.recall_half_2d,
        r.recall_steering_2d,
        r.false_alarms_per_100_spot_days,
        r.median_delay_hours,
        r.median_swap_delay_hours,
        r.outage_days,
        r.gateway_alerts,
        r.gateway_false_alarms,
        r.outage_spot_alerts,
        r.chronic,
        r.chronic_alerted_by_day_3,
        r.other_streaks_per_100_days,
        r.seconds
    );
    ExitCode::SUCCESS
}

pub fn run(command: BenchCommand, settings: Settings) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret().to_owned();
    match command {
        BenchCommand::Callbacks {
            requests,
            concurrency,
            cities,
        } if cities > 1 => {
            let r = parkir::bench::cities::run(settings, cities, requests, concurrency)?;
            let (one, many) = (&r.one_city, &r.many_cities);
            println!(
                "cities={} one_city_per_s={:.0} many_cities_per_s={:.0} tenancy_ratio={:.2} one_p99_ms={:.2} many_p99_ms={:.2} baseline_inserts_per_s={:.0} stored={}+{} expected={}+{} failures={}+{}",
                r.cities,
                one.callbacks_per_s,
                many.callbacks_per_s,
                many.callbacks_per_s / one.callbacks_per_s,
                one.p99_ms,
                many.p99_ms,
                one.baseline_inserts_per_s,
                one.stored,
                many.stored,
                one.expected,
                many.expected,
                one.failures,
                many.failures
            );
            Ok(())
        }
        BenchCommand::Callbacks {
            requests,
            concurrency,
            ..
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
                "payments={} reconcile_ms={:.1} baseline_ms={:.1} ratio={:.2} cold_ms={:.1} cold_ratio={:.2} rows={}",
                r.payments,
                r.reconcile_ms,
                r.baseline_ms,
                r.reconcile_ms / r.baseline_ms,
                r.cold_ms,
                r.cold_ms / r.baseline_ms,
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
        BenchCommand::Scale {
            payments,
            days,
            requests,
            concurrency,
        } => {
            scale(parkir::bench::scale::run(
                settings,
                payments,
                days,
                requests,
                concurrency,
            )?);
            Ok(())
        }
        BenchCommand::Failover {
            requests,
            concurrency,
            failovers,
            rate,
            kill,
            revive,
        } => {
            let runs = parkir::bench::failover::run(
                settings,
                requests,
                concurrency,
                failovers,
                rate,
                &kill,
                &revive,
            )?;
            let mut clean = true;
            for (k, r) in runs.iter().enumerate() {
                println!(
                    "failover={} killed={} acked={} stored={} lost={} duplicated={} unacked={} retries={} unavailable_s={:.1} db_unavailable_s={:.1} ratio={:.2}",
                    k + 1,
                    r.killed,
                    r.acked,
                    r.stored,
                    r.lost,
                    r.duplicated,
                    r.unacked,
                    r.retries,
                    r.unavailable_s,
                    r.db_unavailable_s,
                    r.unavailable_s / r.db_unavailable_s.max(0.001)
                );
                clean &= r.lost == 0 && r.duplicated == 0 && r.unacked == 0;
            }
            anyhow::ensure!(
                clean,
                "an acknowledged callback was lost or doubled, or a callback was never acknowledged"
            );
            Ok(())
        }
        BenchCommand::Photo { runs } => {
            let r = parkir::bench::photo::run(settings, runs)?;
            println!(
                "megapixels={:.1} upload_bytes={} stored_bytes={} upload_ms={:.1} decode_ms={:.1} ratio={:.2} peak_growth_mb={:.0} peak_rss_mb={:.0}",
                r.megapixels,
                r.upload_bytes,
                r.stored_bytes,
                r.upload_ms,
                r.decode_ms,
                r.upload_ms / r.decode_ms,
                r.peak_growth_mb,
                r.peak_rss_mb
            );
            Ok(())
        }
        BenchCommand::Qr { .. } | BenchCommand::Alerts(_) => {
            unreachable!("pure: handled by cli::dispatch")
        }
    }
}

/// `parkir bench scale`'s lines: the load, each measurement, the sizes.
fn scale(r: parkir::bench::scale::ScaleBench) {
    use parkir::bench::scale::Sizes;
    println!(
        "payments={} days={} load_s={:.0} payments_per_s={:.0} vacuum_analyze_s={:.0}",
        r.payments,
        r.days,
        r.load_s,
        r.payments as f64 / r.load_s,
        r.vacuum_s
    );
    let c = &r.callbacks;
    println!(
        "measure=callbacks callbacks_per_s={:.0} p50_ms={:.2} p99_ms={:.2} baseline_inserts_per_s={:.0} ratio={:.2} scratch_inserts_per_s={:.0} scratch_ratio={:.2} stored={} expected={} failures={}",
        c.callbacks_per_s,
        c.p50_ms,
        c.p99_ms,
        c.baseline_inserts_per_s,
        c.callbacks_per_s / c.baseline_inserts_per_s,
        r.scratch_inserts_per_s,
        c.callbacks_per_s / r.scratch_inserts_per_s,
        c.stored,
        c.expected,
        c.failures
    );
    let d = &r.daily;
    println!(
        "measure=daily date={} payments={} cold_ms={:.1} warm_ms={:.1} baseline_ms={:.1} cold_ratio={:.2} warm_ratio={:.2}",
        r.day,
        r.day_payments,
        d.cold_ms,
        d.warm_ms,
        d.baseline_ms,
        d.cold_ms / d.baseline_ms,
        d.warm_ms / d.baseline_ms
    );
    println!(
        "measure=monthly month={} payments={} cold_ms={:.1} monthly_ms={:.1} baseline_ms={:.1} cold_ratio={:.2} ratio={:.2}",
        r.month.from.format("%Y-%m"),
        r.month_payments,
        r.monthly_cold_ms,
        r.monthly_ms,
        r.monthly_baseline_ms,
        r.monthly_cold_ms / r.monthly_baseline_ms,
        r.monthly_ms / r.monthly_baseline_ms
    );
    let s = &r.sizes;
    let pm = |bytes| Sizes::per_million(bytes, r.payments) / 1e6;
    println!(
        "measure=disk table_bytes={} index_bytes={} total_bytes={} table_mb_per_million={:.1} index_mb_per_million={:.1} total_mb_per_million={:.1} database_bytes={}",
        s.table,
        s.indexes,
        s.total,
        pm(s.table),
        pm(s.indexes),
        pm(s.total),
        s.database
    );
    for (name, bytes) in &s.each_index {
        println!(
            "measure=index name={name} bytes={bytes} mb_per_million={:.1}",
            pm(*bytes)
        );
    }
    println!(
        "measure=callbacks_disk rows={} total_bytes={} bytes_per_row={:.0} mb_per_million={:.1}",
        s.callbacks_rows,
        s.callbacks_total,
        s.callbacks_total as f64 / s.callbacks_rows.max(1) as f64,
        Sizes::per_million(s.callbacks_total, s.callbacks_rows) / 1e6
    );
}
