//! What a read on a standby needs to know (SPEC §18): how far behind its primary the server is,
//! and whether the transaction may write at all.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Nullable};

#[derive(QueryableByName)]
struct Lag {
    #[diesel(sql_type = Nullable<Double>)]
    seconds: Option<f64>,
}

/// The replay lag of the server behind `conn`, in seconds, as the server itself sees it:
/// 0 on a server that is not in recovery (a primary, or a standby just promoted) and on a
/// standby that has replayed all the WAL it received; else the age of the last transaction it
/// replayed. The age alone would grow on a caught-up standby of an idle primary, hence the
/// first test. `None` when the standby has replayed nothing yet (lag unknown).
pub fn replay_lag(conn: &mut PgConnection) -> QueryResult<Option<f64>> {
    diesel::sql_query(
        "SELECT CASE
                  WHEN NOT pg_is_in_recovery() THEN 0
                  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                  ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))
                END::float8 AS seconds",
    )
    .get_result::<Lag>(conn)
    .map(|l| l.seconds)
}

#[derive(QueryableByName)]
struct ReadOnly {
    #[diesel(sql_type = Bool)]
    read_only: bool,
}

/// Whether the current transaction may not write: a read-only transaction, a session whose
/// `default_transaction_read_only` is on, or any transaction on a standby. A reader in one
/// computes what it would otherwise store (the day roll-ups).
pub fn read_only(conn: &mut PgConnection) -> QueryResult<bool> {
    diesel::sql_query("SELECT current_setting('transaction_read_only') = 'on' AS read_only")
        .get_result::<ReadOnly>(conn)
        .map(|r| r.read_only)
}
