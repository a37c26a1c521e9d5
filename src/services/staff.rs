//! Staff users (admin, auditor, supervisor): created from the CLI, the demo and (later) the
//! console, through this one function.

use diesel::PgConnection;

use crate::auth::{Role, hash_secret};
use crate::db::users;
use crate::error::ApiError;

/// Staff passwords: at least this many characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Creates a staff user; 400 for a bad username or short password, 409 when the name is taken.
pub fn add_user(
    conn: &mut PgConnection,
    username: &str,
    password: &str,
    role: Role,
) -> Result<users::StaffUser, ApiError> {
    let username =
        crate::domain::label(username, 64).map_err(|m| ApiError::invalid("username", m))?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    let hash = hash_secret(password)?;
    Ok(users::insert_staff_user(
        conn,
        &username,
        &hash,
        role.as_str(),
    )?)
}
