//! The `parkir` command line: serve | migrate | demo | user.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use diesel::{Connection, PgConnection};
use secrecy::{ExposeSecret, SecretString};

use parkir::auth::{Role, hash_secret};
use parkir::config::{KEYS, Settings};
use parkir::startup::Application;
use parkir::{db, demo, telemetry};

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
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API (creates and migrates the database first).
    Serve,
    /// Create the database if missing, apply pending migrations, exit.
    Migrate,
    /// Seed a demo Kota Jambi idempotently, print the logins and URLs, then serve.
    Demo,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Decode, validate and build QRIS / EMVCo MPM payloads (no database needed).
    Qris {
        #[command(subcommand)]
        command: QrisCommand,
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
        format: OutputFormat,
        /// CSV headers in Bahasa Indonesia (`id`) or English (`en`).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Only this zone.
        #[arg(long)]
        zone_id: Option<i64>,
    },
    /// Benchmarks; each prints one `key=value …` line.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum QrisCommand {
    /// Print the parsed payload as JSON (exit 0), or the first broken rule as
    /// {"error","code","tag"} (exit 1).
    Decode {
        /// The payload; `-` or nothing reads it from standard input.
        payload: Option<String>,
    },
    /// Build a payload from flags: static, or dynamic with --amount.
    Encode(Box<EncodeArgs>),
}

#[derive(clap::Args)]
struct EncodeArgs {
    /// Acquirer GUI (26/00), e.g. ID.CO.BANKJAMBI.WWW.
    #[arg(long)]
    gui: String,
    /// Merchant PAN (26/01).
    #[arg(long)]
    pan: String,
    /// Merchant id at the acquirer (26/02).
    #[arg(long)]
    merchant_id: String,
    /// Merchant criteria (26/03 and 51/03): UMI, UKE, UME, UBE or URE.
    #[arg(long)]
    criteria: String,
    /// National Merchant ID (51/02).
    #[arg(long)]
    nmid: String,
    /// Merchant name (59), ≤ 25.
    #[arg(long)]
    name: String,
    /// Merchant city (60), ≤ 15.
    #[arg(long)]
    city: String,
    /// Postal code (61).
    #[arg(long)]
    postal_code: String,
    /// Merchant category code (52).
    #[arg(long, default_value = "7523")]
    mcc: String,
    /// Amount in whole rupiah (54); makes the payload dynamic (01=12).
    #[arg(long)]
    amount: Option<i64>,
    /// Bill number (62/01), with --amount.
    #[arg(long, requires = "amount")]
    bill_number: Option<String>,
    /// Store label (62/03): the spot code.
    #[arg(long)]
    store_label: Option<String>,
    /// Terminal label (62/07): the spot's terminal id.
    #[arg(long)]
    terminal_label: Option<String>,
}

#[derive(Subcommand)]
enum BenchCommand {
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
    /// Render N static spot QR PNGs (4 px/module, ECC M) without the cache.
    Qr {
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff user; the password comes from PARKIR_PASSWORD or standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: StaffRole,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum StaffRole {
    Admin,
    Auditor,
    Supervisor,
}

impl StaffRole {
    fn role(self) -> Role {
        match self {
            Self::Admin => Role::Admin,
            Self::Auditor => Role::Auditor,
            Self::Supervisor => Role::Supervisor,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // QRIS and QR benches are pure: no settings, no database.
    match cli.command {
        Command::Qris { command } => return qris_command(command),
        Command::Bench {
            command: BenchCommand::Qr { count },
        } => {
            return match parkir::bench::qr::run(count) {
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
            };
        }
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
    match run(cli.command, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parkir: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret().to_owned();
    match command {
        Command::Migrate => {
            let applied = db::prepare(&url)?;
            println!(
                "database {} is up to date ({} migration(s) applied now)",
                db::redact(&url),
                applied.len()
            );
            Ok(())
        }
        Command::Serve => {
            let secret = settings.require_jwt_secret()?;
            db::prepare(&url)?;
            serve(&settings, &secret)
        }
        Command::Demo => {
            let mut settings = settings;
            demo::default_gateways(&mut settings.gateways);
            let secret = settings
                .jwt_secret
                .clone()
                .unwrap_or_else(|| SecretString::from(random_secret()));
            db::prepare(&url)?;
            let password = std::env::var("PARKIR_PASSWORD")
                .unwrap_or_else(|_| demo::DEFAULT_ADMIN_PASSWORD.to_owned());
            let mut conn = PgConnection::establish(&url)?;
            let seeded = demo::seed(&mut conn, settings.timezone, &password)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            drop(conn);
            print_demo(&settings, &seeded);
            serve(&settings, &secret)
        }
        Command::User {
            command: UserCommand::Add { username, role },
        } => {
            let password = read_password()?;
            if username.trim().is_empty() || username.len() > 64 {
                anyhow::bail!("--username must be 1 to 64 characters");
            }
            db::prepare(&url)?;
            let hash = hash_secret(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut conn = PgConnection::establish(&url)?;
            let user =
                db::users::insert_staff_user(&mut conn, &username, &hash, role.role().as_str())
                    .map_err(|e| match parkir::error::ApiError::from(e) {
                        parkir::error::ApiError::Conflict { .. } => {
                            anyhow::anyhow!("a user named {username:?} already exists")
                        }
                        other => anyhow::anyhow!("{other}"),
                    })?;
            println!(
                "created {} user {:?} (id {})",
                user.role, user.username, user.id
            );
            Ok(())
        }
        Command::Reconcile {
            date,
            close,
            format,
            lang,
            zone_id,
        } => {
            db::prepare(&url)?;
            let mut conn = PgConnection::establish(&url)?;
            let tz = settings.timezone;
            let report = if close {
                db::reconcile::close_day(&mut conn, date, "cli", tz)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                db::reconcile::daily_report(&mut conn, date, zone_id, tz)?
            } else {
                db::reconcile::daily_report(&mut conn, date, zone_id, tz)?
            };
            match format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                OutputFormat::Csv => {
                    let bytes = parkir::reconcile::daily::to_csv(
                        &report.rows,
                        &report.totals,
                        lang == "id",
                    )?;
                    print!("{}", String::from_utf8_lossy(&bytes));
                }
            }
            Ok(())
        }
        Command::Bench {
            command:
                BenchCommand::Callbacks {
                    requests,
                    concurrency,
                },
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
        Command::Bench {
            command: BenchCommand::Reconcile { payments },
        } => {
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
        Command::Qris { .. } | Command::Bench { .. } => unreachable!("handled in main"),
    }
}

fn qris_command(command: QrisCommand) -> ExitCode {
    use parkir::qris::{MerchantAccountInfo, Payload, StaticSpec, static_payload, to_dynamic};
    let print_error = |e: parkir::qris::QrisError| {
        let out = serde_json::json!({"error": e.message, "code": e.code, "tag": e.tag});
        println!("{out}");
        ExitCode::FAILURE
    };
    match command {
        QrisCommand::Decode { payload } => {
            let raw = match payload.as_deref() {
                Some(p) if p != "-" => p.to_owned(),
                _ => {
                    let mut input = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
                        eprintln!("parkir: cannot read standard input: {e}");
                        return ExitCode::FAILURE;
                    }
                    input.trim_end_matches(['\n', '\r']).to_owned()
                }
            };
            match Payload::parse(&raw) {
                Ok(p) => {
                    let json = serde_json::to_string_pretty(&p.decoded()).unwrap_or_default();
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => print_error(e),
            }
        }
        QrisCommand::Encode(a) => {
            let spec = StaticSpec {
                account: MerchantAccountInfo {
                    gui: a.gui,
                    pan: a.pan,
                    merchant_id: a.merchant_id,
                    criteria: a.criteria,
                },
                nmid: a.nmid,
                mcc: a.mcc,
                merchant_name: a.name,
                city: a.city,
                postal_code: a.postal_code,
                store_label: a.store_label,
                terminal_label: a.terminal_label,
            };
            let built = static_payload(&spec).and_then(|fixed| match a.amount {
                None => Ok(fixed),
                Some(amount) => {
                    let parsed = Payload::parse(&fixed)?;
                    to_dynamic(&parsed, amount, a.bill_number.as_deref())
                }
            });
            match built {
                Ok(payload) => {
                    println!("{payload}");
                    ExitCode::SUCCESS
                }
                Err(e) => print_error(e),
            }
        }
    }
}

/// A staff password: from PARKIR_PASSWORD, else the first line of standard input; ≥ 10 chars.
fn read_password() -> anyhow::Result<String> {
    let password = match std::env::var("PARKIR_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input)?;
            input.lines().next().unwrap_or_default().to_owned()
        }
    };
    if password.chars().count() < 10 {
        anyhow::bail!("the password (PARKIR_PASSWORD or stdin) must be at least 10 characters");
    }
    Ok(password)
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
    println!("Parkir demo: Kota Jambi (2 zones, 10 spots, 10 attendants on duty)");
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

fn serve(settings: &Settings, secret: &SecretString) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings, secret)?;
        tracing::info!(port = app.port(), bind = %settings.bind, "parkir listening");
        app.run_until_stopped().await?;
        Ok(())
    })
}
