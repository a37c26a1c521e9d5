//! Staff users and the failed-login ledger that throttles brute force.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{attendants, login_failures, staff_users};

#[derive(Clone, Debug, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub token_version: i32,
    pub disabled: bool,
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// An operator's token version while the account may act (migration 000020).
    #[sql_name = "parkir_operator_live"]
    fn operator_live(
        id: diesel::sql_types::BigInt,
    ) -> diesel::sql_types::Nullable<diesel::sql_types::Integer>;
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

/// A staff user of `city` (none: an operator), written as the owner (the CLI), whatever city
/// the session acts for.
pub fn insert_staff_user_of(
    conn: &mut PgConnection,
    username: &str,
    password_hash: &str,
    role: &str,
    city: Option<i64>,
) -> QueryResult<StaffUser> {
    diesel::sql_query(
        "INSERT INTO staff_users (username, password_hash, role, city_id) VALUES ($1, $2, $3, $4) \
         RETURNING id, username, password_hash, role, created_at, token_version, disabled",
    )
    .bind::<diesel::sql_types::Text, _>(username)
    .bind::<diesel::sql_types::Text, _>(password_hash)
    .bind::<diesel::sql_types::Text, _>(role)
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, _>(city)
    .get_result(conn)
}

pub fn find_staff_user(conn: &mut PgConnection, id: i64) -> QueryResult<Option<StaffUser>> {
    staff_users::table
        .find(id)
        .select(StaffUser::as_select())
        .first(conn)
        .optional()
}

/// Staff users by id, after the cursor `after`.
pub fn list_staff_users(
    conn: &mut PgConnection,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<StaffUser>> {
    staff_users::table
        .filter(staff_users::id.gt(after))
        .order(staff_users::id)
        .limit(limit)
        .select(StaffUser::as_select())
        .load(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = staff_users)]
pub struct StaffChanges {
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

/// Applies `changes`; any change ends the user's sessions (a new token version), so a
/// disabled user, a new password or a new role takes effect at once (SPEC §10).
pub fn update_staff_user(
    conn: &mut PgConnection,
    id: i64,
    changes: &StaffChanges,
) -> QueryResult<StaffUser> {
    diesel::update(staff_users::table.find(id))
        .set((
            changes,
            staff_users::token_version.eq(staff_users::token_version + 1),
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

/// The throttle's window: failures older than this no longer count.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// Reserves one login attempt for each `(key, limit)`: under a transaction-scoped advisory
/// lock per key, counts the key's failures in the window (by the database's clock) and, when
/// every key is under its limit, writes one provisional failure per key and returns their ids.
/// The attempt then runs without a connection; a success deletes them. Because the count and
/// the provisional row are one locked step, concurrent attempts can never exceed a limit.
/// Over a limit: `Err(seconds until the oldest counted failure leaves the window)`.
pub fn reserve_attempt(
    conn: &mut PgConnection,
    keys: &[(&str, i64)],
) -> QueryResult<Result<Vec<i64>, i64>> {
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        retry_after: i64,
    }
    conn.transaction(|conn| {
        let mut sorted: Vec<&(&str, i64)> = keys.iter().collect();
        sorted.sort_by_key(|(k, _)| *k);
        for (key, _) in &sorted {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind::<Text, _>(format!("login:{key}"))
                .execute(conn)?;
        }
        for (key, limit) in keys {
            // The limit-th newest failure is the one whose leaving the window frees a slot.
            let c: Count = diesel::sql_query(
                "SELECT count(*) AS n,
                        coalesce(ceil(extract(epoch FROM
                            (SELECT failed_at FROM login_failures
                              WHERE key = $1 AND failed_at > now() - make_interval(mins => $3::int)
                              ORDER BY failed_at DESC OFFSET $2 - 1 LIMIT 1)
                            + make_interval(mins => $3::int) - now())), 1)::bigint AS retry_after
                   FROM login_failures
                  WHERE key = $1 AND failed_at > now() - make_interval(mins => $3::int)",
            )
            .bind::<Text, _>(*key)
            .bind::<BigInt, _>(*limit)
            .bind::<BigInt, _>(THROTTLE_WINDOW_MINUTES)
            .get_result(conn)?;
            if c.n >= *limit {
                return Ok(Err(c.retry_after.max(1)));
            }
        }
        let rows: Vec<_> = keys
            .iter()
            .map(|(k, _)| login_failures::key.eq(*k))
            .collect();
        let ids = diesel::insert_into(login_failures::table)
            .values(&rows)
            .returning(login_failures::id)
            .get_results(conn)?;
        Ok(Ok(ids))
    })
}

/// A successful login: its provisional failures go, and the account's counter is cleared
/// (the client's other failures stay).
pub fn succeed_attempt(
    conn: &mut PgConnection,
    provisional: &[i64],
    account_key: &str,
) -> QueryResult<()> {
    diesel::delete(
        login_failures::table.filter(
            login_failures::id
                .eq_any(provisional)
                .or(login_failures::key.eq(account_key)),
        ),
    )
    .execute(conn)
    .map(|_| ())
}

/// Ends one token (logout) until it would have expired anyway; expired entries are pruned.
pub fn revoke_token(
    conn: &mut PgConnection,
    jti: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> QueryResult<()> {
    use super::schema::revoked_tokens;
    // Kept a minute past expiry: token verification allows a few seconds of clock leeway.
    diesel::delete(
        revoked_tokens::table.filter(
            revoked_tokens::expires_at.lt(chrono::Utc::now() - chrono::Duration::minutes(1)),
        ),
    )
    .execute(conn)?;
    diesel::insert_into(revoked_tokens::table)
        .values((
            revoked_tokens::jti.eq(jti),
            revoked_tokens::expires_at.eq(expires_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|_| ())
}

/// The token version of an account that may still act: a staff user not disabled, an
/// attendant whose status is active; `None` ends every token of the account (SPEC §10), and
/// so does a token `jti` ended by a logout.
/// Whose token: a city's staff user, an attendant, or an operator (of no city, found through
/// the owner's function: row-level security hides them from every city).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account {
    Staff,
    Attendant,
    Operator,
}

pub fn live_token_version(
    conn: &mut PgConnection,
    account: Account,
    id: i64,
    jti: &str,
) -> QueryResult<Option<i32>> {
    use super::schema::revoked_tokens;
    let revoked: bool =
        diesel::select(diesel::dsl::exists(revoked_tokens::table.find(jti))).get_result(conn)?;
    if revoked {
        return Ok(None);
    }
    match account {
        Account::Staff => staff_users::table
            .find(id)
            .filter(staff_users::disabled.eq(false))
            .select(staff_users::token_version)
            .first(conn)
            .optional(),
        Account::Attendant => attendants::table
            .find(id)
            .filter(attendants::status.eq("active"))
            .select(attendants::token_version)
            .first(conn)
            .optional(),
        Account::Operator => diesel::select(operator_live(id)).get_result(conn),
    }
}

/// Who acted, as people read it: a `staff:<id>` subject is that user's username; any other
/// subject (the CLI, `attendant:<id>`) stays as it is.
pub fn actor_name(conn: &mut PgConnection, subject: &str) -> QueryResult<String> {
    let Some(id) = subject
        .strip_prefix("staff:")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return Ok(subject.to_owned());
    };
    Ok(staff_users::table
        .find(id)
        .select(staff_users::username)
        .first::<String>(conn)
        .optional()?
        .unwrap_or_else(|| subject.to_owned()))
}
