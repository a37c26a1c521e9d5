//! What the operator watches (SPEC §14): which server a connection writes to, and the primary's
//! view of its standbys.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Nullable, Text};

/// The server behind a connection.
#[derive(Debug, QueryableByName)]
pub struct Node {
    /// `host:port`, or `local socket` for a Unix-socket connection.
    #[diesel(sql_type = Text)]
    pub address: String,
    /// A standby (read-only) rather than the primary.
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
}

pub fn node(conn: &mut PgConnection) -> QueryResult<Node> {
    diesel::sql_query(
        "SELECT coalesce(host(inet_server_addr()) || ':' || inet_server_port(), 'local socket') \
         AS address, pg_is_in_recovery() AS in_recovery",
    )
    .get_result(conn)
}

/// The primary's standbys as `pg_stat_replication` shows them; `readable` is false when this
/// role may not see their state (it needs `pg_read_all_stats` or superuser).
#[derive(Debug, QueryableByName)]
pub struct Replication {
    #[diesel(sql_type = Bool)]
    pub readable: bool,
    #[diesel(sql_type = BigInt)]
    pub standbys: i64,
    /// Standbys a commit waits for (`sync` or `quorum`).
    #[diesel(sql_type = BigInt)]
    pub sync_standbys: i64,
    /// The largest replay lag, in seconds; none when no standby reports one.
    #[diesel(sql_type = Nullable<Double>)]
    pub max_replay_lag_seconds: Option<f64>,
    /// `synchronous_standby_names` is set: commits wait for standbys.
    #[diesel(sql_type = Integer)]
    pub synchronous: i32,
}

pub fn replication(conn: &mut PgConnection) -> QueryResult<Replication> {
    diesel::sql_query(
        "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \
                OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS readable, \
                count(*) AS standbys, \
                count(*) FILTER (WHERE sync_state IN ('sync', 'quorum')) AS sync_standbys, \
                max(extract(epoch FROM replay_lag))::float8 AS max_replay_lag_seconds, \
                (current_setting('synchronous_standby_names') <> '')::int AS synchronous \
         FROM pg_stat_replication",
    )
    .get_result(conn)
}
