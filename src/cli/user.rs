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
        /// The city's code (default: the default city, PARKIR_CITY_CODE); an operator has none.
        #[arg(long)]
        city: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StaffRole {
    Admin,
    Auditor,
    Supervisor,
    /// Platform staff: manages cities, reads their totals, belongs to none (SPEC §17).
    Operator,
}

impl StaffRole {
    fn role(self) -> Role {
        match self {
            Self::Admin => Role::Admin,
            Self::Auditor => Role::Auditor,
            Self::Supervisor => Role::Supervisor,
            Self::Operator => Role::Operator,
        }
    }
}

pub fn run(command: UserCommand, settings: &Settings) -> anyhow::Result<()> {
    let UserCommand::Add {
        username,
        role,
        city,
    } = command;
    let password = read_password()?;
    let url = settings.database_url.expose_secret();
    db::prepare_with_city(url, &settings.city_code, settings.timezone.name())?;
    let mut conn = PgConnection::establish(url)?;
    let city = match (role, city) {
        (StaffRole::Operator, Some(_)) => anyhow::bail!("--city: an operator belongs to no city"),
        (StaffRole::Operator, None) => None,
        (_, code) => {
            let code = code.unwrap_or_else(|| settings.city_code.clone());
            let cities = db::cities::all(&mut conn)?;
            let city = cities.iter().find(|c| c.code == code).ok_or_else(|| {
                let known: Vec<_> = cities.iter().map(|c| c.code.as_str()).collect();
                anyhow::anyhow!("--city: no city {code:?} (there are {})", known.join(", "))
            })?;
            Some(city.id)
        }
    };
    let user = staff::add_user(&mut conn, &username, &password, role.role(), city).map_err(
        |e| match e {
            ApiError::Conflict { .. } => {
                anyhow::anyhow!("a user named {username:?} already exists")
            }
            other => anyhow::anyhow!("{other}"),
        },
    )?;
    println!(
        "created {} user {:?} (id {}){}",
        user.role,
        user.username,
        user.id,
        city.map(|c| format!(" of city {c}")).unwrap_or_default()
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
