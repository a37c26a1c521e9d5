//! Staff users (admin, auditor, supervisor): created from the CLI, the demo and the console
//! (`/users`), through these functions. Every change to a user ends their sessions.

use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Role, hash_secret};
use crate::db::users;
use crate::error::ApiError;
use crate::state::AppState;

/// A staff user as the API shows one: never the password hash.
#[derive(Serialize, ToSchema)]
pub struct StaffView {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<users::StaffUser> for StaffView {
    fn from(u: users::StaffUser) -> Self {
        Self {
            id: u.id,
            username: u.username,
            role: u.role,
            active: !u.disabled,
            created_at: u.created_at,
        }
    }
}

fn check_password(username: &str, password: &str) -> Result<(), ApiError> {
    crate::domain::password::check(username, password).map_err(|m| ApiError::invalid("password", m))
}

fn check_username(username: &str) -> Result<String, ApiError> {
    let name = crate::domain::label(username, 64).map_err(|m| ApiError::invalid("username", m))?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(ApiError::invalid(
            "username",
            "may hold only letters, digits, '.', '_' and '-'",
        ));
    }
    Ok(name)
}

/// Creates a staff user of `city` (an operator: of none) on the owner's connection (the CLI);
/// 400 for a bad username or short password, 409 when the name is taken.
pub fn add_user(
    conn: &mut PgConnection,
    username: &str,
    password: &str,
    role: Role,
    city: Option<i64>,
) -> Result<users::StaffUser, ApiError> {
    let username = check_username(username)?;
    check_password(&username, password)?;
    let hash = hash_secret(password)?;
    Ok(users::insert_staff_user_of(
        conn,
        &username,
        &hash,
        role.as_str(),
        city,
    )?)
}

/// A new user's name and password, checked together: both rules at once, the password's
/// against the name as given when the name itself is refused.
pub fn check_new(username: &str, password: &str) -> Result<String, ApiError> {
    let checked = check_username(username);
    let password_rule = check_password(checked.as_deref().unwrap_or(username), password);
    crate::error::all((checked, password_rule)).map(|(name, ())| name)
}

/// `POST /users` with a name checked by [`check_new`]: the hash is computed before a
/// connection is taken.
pub async fn create(
    state: &AppState,
    username: String,
    password: String,
    role: Role,
) -> Result<StaffView, ApiError> {
    let hash = actix_web::web::block(move || hash_secret(&password))
        .await
        .map_err(ApiError::internal)??;
    super::run(&state.pool, move |conn| {
        Ok(users::insert_staff_user(conn, &username, &hash, role.as_str())?.into())
    })
    .await
}

pub async fn list(state: &AppState, after: i64, limit: i64) -> Result<Vec<StaffView>, ApiError> {
    super::run(&state.pool, move |conn| {
        Ok(users::list_staff_users(conn, after, limit)?
            .into_iter()
            .map(StaffView::from)
            .collect())
    })
    .await
}

/// What an admin may change of a staff user.
pub struct StaffChange {
    pub active: Option<bool>,
    pub password: Option<String>,
    pub role: Option<Role>,
}

/// Changes a staff user. An admin cannot disable or demote their own account (there must stay
/// someone who can undo it).
pub async fn change(
    state: &AppState,
    by: i64,
    id: i64,
    change: StaffChange,
) -> Result<StaffView, ApiError> {
    if id == by && (change.active == Some(false) || change.role.is_some_and(|r| r != Role::Admin)) {
        return Err(ApiError::conflict(
            None,
            "you cannot disable or demote your own account; ask another admin",
        ));
    }
    if change.active.is_none() && change.password.is_none() && change.role.is_none() {
        return Err(ApiError::invalid(
            "body",
            "give at least one of active, password, role",
        ));
    }
    let password_hash = match change.password {
        Some(p) => {
            let user = super::run(&state.pool, move |conn| {
                users::find_staff_user(conn, id)?
                    .ok_or_else(|| ApiError::NotFound(format!("user {id} does not exist")))
            })
            .await?;
            check_password(&user.username, &p)?;
            Some(
                actix_web::web::block(move || hash_secret(&p))
                    .await
                    .map_err(ApiError::internal)??,
            )
        }
        None => None,
    };
    let changes = users::StaffChanges {
        password_hash,
        role: change.role.map(|r| r.as_str().to_owned()),
        disabled: change.active.map(|a| !a),
    };
    super::run(&state.pool, move |conn| {
        users::find_staff_user(conn, id)?
            .ok_or_else(|| ApiError::NotFound(format!("user {id} does not exist")))?;
        Ok(users::update_staff_user(conn, id, &changes)?.into())
    })
    .await
}
