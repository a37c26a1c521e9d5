//! B2B access tokens we issue to the SNAP gateway: only their SHA-256 is kept.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::snap_tokens;

/// The most B2B tokens one SNAP client may hold alive at once (SPEC §10): a gateway asks for
/// one per 15 minutes; a flood of valid token requests cannot fill the table.
pub const MAX_LIVE_SNAP_TOKENS: i64 = 16;

/// Stores the hash of a token we issue to the SNAP gateway, unless the client already holds
/// [`MAX_LIVE_SNAP_TOKENS`] live ones (then `false`). Tokens of the client expired at `now`
/// (the clock that set their expiry, as [`snap_token_expiry`] reads it) are swept.
pub fn insert_snap_token(
    conn: &mut PgConnection,
    token_hash: &str,
    client_key: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("snap-tokens:{client_key}"))
            .execute(conn)?;
        diesel::delete(
            snap_tokens::table
                .filter(snap_tokens::client_key.eq(client_key))
                .filter(snap_tokens::expires_at.le(now)),
        )
        .execute(conn)?;
        let live: i64 = snap_tokens::table
            .filter(snap_tokens::client_key.eq(client_key))
            .count()
            .get_result(conn)?;
        if live >= MAX_LIVE_SNAP_TOKENS {
            return Ok(false);
        }
        diesel::insert_into(snap_tokens::table)
            .values((
                snap_tokens::token_hash.eq(token_hash),
                snap_tokens::client_key.eq(client_key),
                snap_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// When a token we issued expires, if it is one of ours and has not expired at `now`.
pub fn snap_token_expiry(
    conn: &mut PgConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<DateTime<Utc>>> {
    snap_tokens::table
        .filter(snap_tokens::token_hash.eq(token_hash))
        .filter(snap_tokens::expires_at.gt(now))
        .select(snap_tokens::expires_at)
        .first(conn)
        .optional()
}
