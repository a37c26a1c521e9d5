//! `parkir user add`: a staff user, through the same service the API uses.

use std::io::Read;

use clap::{Subcommand, ValueEnum};
use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;

use parkir::auth::Role;
use parkir::config::Settings;
use parkir::db;
use parkir::error::ApiError;
use parkir::services::staff;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a staff user; the password comes from PARKIR_PASSWORD or standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: StaffRole,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StaffRole {
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

pub fn run(command: UserCommand, settings: &Settings) -> anyhow::Result<()> {
    let UserCommand::Add { username, role } = command;
    let password = read_password()?;
    let url = settings.database_url.expose_secret();
    db::prepare_with_city(url, &settings.city_code, settings.timezone.name())?;
    let mut conn = PgConnection::establish(url)?;
    let user =
        staff::add_user(&mut conn, &username, &password, role.role()).map_err(|e| match e {
            ApiError::Conflict { .. } => {
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

/// A staff password: from PARKIR_PASSWORD, else the first line of standard input (its rules
/// are checked where every password is, in `staff::add_user`).
fn read_password() -> anyhow::Result<String> {
    let password = match std::env::var("PARKIR_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input)?;
            input.lines().next().unwrap_or_default().to_owned()
        }
    };
    Ok(password)
}
