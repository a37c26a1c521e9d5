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
