//! Staff users and the failed-login ledger that throttles brute force.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{login_failures, staff_users};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

pub fn insert_staff_user(
    conn: &mut PgConnection,
    username: &str,
    password_hash: &str,
    role: &str,
) -> QueryResult<StaffUser> {
    diesel::insert_into(staff_users::table)
        .values((
            staff_users::username.eq(username),
            staff_users::password_hash.eq(password_hash),
            staff_users::role.eq(role),
        ))
        .returning(StaffUser::as_returning())
        .get_result(conn)
}

pub fn find_staff_by_username(
    conn: &mut PgConnection,
    username: &str,
) -> QueryResult<Option<StaffUser>> {
    staff_users::table
        .filter(staff_users::username.eq(username))
        .select(StaffUser::as_select())
        .first(conn)
        .optional()
}

/// Failed attempts for any of `keys` since `since`, oldest first.
pub fn recent_failures(
    conn: &mut PgConnection,
    key: &str,
    since: DateTime<Utc>,
) -> QueryResult<Vec<DateTime<Utc>>> {
    login_failures::table
        .filter(login_failures::key.eq(key))
        .filter(login_failures::failed_at.ge(since))
        .order(login_failures::failed_at)
        .select(login_failures::failed_at)
        .load(conn)
}

pub fn record_failures(conn: &mut PgConnection, keys: &[String]) -> QueryResult<()> {
    let rows: Vec<_> = keys.iter().map(|k| login_failures::key.eq(k)).collect();
    diesel::insert_into(login_failures::table)
        .values(&rows)
        .execute(conn)
        .map(|_| ())
}

/// A successful login clears the account's counter (not the client's).
pub fn clear_failures(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::key.eq(key)))
        .execute(conn)
        .map(|_| ())
}
