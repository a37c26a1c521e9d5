//! The `parkir` command line: one module per command, each a thin caller of `services` (or of
//! the pure `qris` engine); `main.rs` only parses and dispatches here.

pub mod alerts;
pub mod bench;
pub mod demo;
pub mod qris;
pub mod reconcile;
pub mod serve;
pub mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use parkir::config::{KEYS, Settings};
use parkir::telemetry;

fn settings_help() -> String {
    let mut out = String::from("Settings (environment, or the same keys in parkir.toml):\n");
    for (key, what) in KEYS {
        out.push_str(&format!("  {key:<30} {what}\n"));
    }
    out
}

#[derive(Parser)]
#[command(
    name = "parkir",
    version,
    about = "QRIS street-parking payments for Dishub: attendants, gateway callbacks, reconciliation",
    after_help = settings_help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the HTTP API (creates and migrates the database first).
    Serve,
    /// Create the database if missing, apply pending migrations, exit.
    Migrate,
    /// Seed a demo Kota Jambi idempotently, print the logins and URLs, then serve.
    Demo,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Decode, validate and build QRIS / EMVCo MPM payloads (no database needed).
    Qris {
        #[command(subcommand)]
        command: qris::QrisCommand,
    },
    /// Print the daily reconciliation (and optionally close the day).
    Reconcile {
        /// Business date YYYY-MM-DD in PARKIR_TIMEZONE.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Freeze the day's rows first (what POST /reconciliation/daily/{date}/close does).
        #[arg(long)]
        close: bool,
        #[arg(long, value_enum, default_value = "json")]
        format: reconcile::OutputFormat,
        /// CSV headers in Bahasa Indonesia (`id`) or English (`en`).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Only this zone.
        #[arg(long)]
        zone_id: Option<i64>,
    },
    /// Leakage alerts (SPEC §12).
    Alerts {
        #[command(subcommand)]
        command: alerts::AlertsCommand,
    },
    /// Benchmarks; each prints one `key=value …` line.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

/// Commands that print for a pipe end quietly when the pipe closes (`parkir qris decode … |
/// head -3`), as Unix tools do: SIGPIPE ends the process instead of a write error that
/// `println!` would turn into a panic. The server keeps ignoring SIGPIPE (its sockets report
/// closed peers as errors).
fn quiet_on_closed_pipe() {
    // SAFETY: restoring the default disposition of one signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Runs a parsed command line. QRIS and the QR bench are pure: no settings, no database.
pub fn dispatch(cli: Cli) -> ExitCode {
    if !matches!(cli.command, Command::Serve | Command::Demo) {
        quiet_on_closed_pipe();
    }
    match cli.command {
        Command::Qris { command } => return qris::run(command),
        Command::Bench {
            command: bench::BenchCommand::Qr { count },
        } => return bench::qr(count),
        Command::Bench {
            command: bench::BenchCommand::Alerts(args),
        } => return bench::alerts(args),
        _ => {}
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("parkir: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_json);
    let outcome = match cli.command {
        Command::Migrate => serve::migrate(&settings),
        Command::Serve => serve::run(&settings),
        Command::Demo => demo::run(settings),
        Command::User { command } => user::run(command, &settings),
        Command::Reconcile {
            date,
            close,
            format,
            lang,
            zone_id,
        } => reconcile::run(&settings, date, close, format, &lang, zone_id),
        Command::Bench { command } => bench::run(command, settings),
        Command::Alerts { command } => alerts::run(command, &settings),
        Command::Qris { .. } => unreachable!("handled above"),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parkir: {e:#}");
            ExitCode::FAILURE
        }
    }
}
