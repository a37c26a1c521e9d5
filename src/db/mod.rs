//! The only room that speaks diesel: the pool, the embedded migrations, and one file of
//! repository functions per table group. Storage results only: the use cases (`services`)
//! run this work on the blocking pool and turn what it finds into answers.

pub mod alert_inputs;
pub mod alerts;
pub mod attendants;
pub mod charges;
pub mod cities;
pub mod citizen_reports;
pub mod columns;
pub mod day_inputs;
pub mod day_locks;
pub mod health;
pub mod listen;
pub mod payments;
pub mod payouts;
pub mod reconcile;
pub mod recorder;
pub mod recording;
pub mod replica;
pub mod schema;
pub mod settlements;
pub mod snap_tokens;
pub mod spots;
pub mod users;
pub mod zones;

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, ManageConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type PgPool = Pool<Manager>;

/// A pooled connection that remembers when its server went away or turned read-only, so the
/// pool drops it instead of handing it out again: after a failover every connection to the old
/// primary is discarded on its first failure, and new ones find the new primary through the
/// URL's `target_session_attrs=read-write`. (diesel calls a connection broken only inside a
/// failed transaction.)
pub struct Conn {
    inner: PgConnection,
    lost: bool,
    /// The city this connection was last set to act for, once known: setting it again to the
    /// same is skipped (a round trip per request saved).
    acting_for: Option<Option<i64>>,
}

impl Conn {
    /// Marks the connection for the pool to drop when it comes back.
    pub fn discard(&mut self) {
        self.lost = true;
    }

    /// [`act_for`], unless this connection already acts for `city`.
    pub fn act_for(&mut self, city: Option<i64>) -> QueryResult<()> {
        if self.acting_for == Some(city) {
            return Ok(());
        }
        self.acting_for = None;
        act_for(&mut self.inner, city)?;
        self.acting_for = Some(city);
        Ok(())
    }
}

impl Deref for Conn {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.inner
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.inner
    }
}

/// Counts of the pool's own connection attempts, for `/metrics`.
pub struct PoolCounters {
    /// Connections opened (the first ones, and every reconnect after one was dropped).
    pub connects: AtomicU64,
    /// Attempts that failed: no server, or none that accepts writes.
    pub connect_errors: AtomicU64,
    /// Connections dropped because their server went away or became read-only.
    pub discarded: AtomicU64,
}

pub static POOL_COUNTERS: PoolCounters = PoolCounters {
    connects: AtomicU64::new(0),
    connect_errors: AtomicU64::new(0),
    discarded: AtomicU64::new(0),
};

/// diesel's r2d2 manager, with connections that can be discarded and counted (the primary's
/// pool counts into [`POOL_COUNTERS`]; the standby's read pool does not, so its failures never
/// look like the primary's).
pub struct Manager {
    inner: ConnectionManager<PgConnection>,
    counters: Option<&'static PoolCounters>,
}

impl Manager {
    fn count(&self, counter: impl Fn(&PoolCounters) -> &AtomicU64) {
        if let Some(c) = self.counters {
            counter(c).fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        match self.inner.connect().and_then(|mut inner| {
            // Every serving connection acts as the role that owns nothing and is held to the
            // rows of its city (SPEC §17).
            inner
                .batch_execute(&format!("SET ROLE {SERVING_ROLE}"))
                .map_err(diesel::r2d2::Error::QueryError)?;
            Ok(inner)
        }) {
            Ok(inner) => {
                self.count(|c| &c.connects);
                Ok(Conn {
                    inner,
                    lost: false,
                    acting_for: None,
                })
            }
            Err(e) => {
                self.count(|c| &c.connect_errors);
                Err(e)
            }
        }
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        self.inner.is_valid(&mut conn.inner)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        let broken = conn.lost || self.inner.has_broken(&mut conn.inner);
        if broken {
            self.count(|c| &c.discarded);
        }
        broken
    }
}

/// The role every pooled connection serves as (migration 000020): no login, no BYPASSRLS,
/// owning no table, so row-level security holds it to one city's rows.
pub const SERVING_ROLE: &str = "parkir_app";

/// Makes the connection act for `city` (`None`: no city, which sees no city's rows) until told
/// otherwise: every check-out names its city before any work.
pub fn act_for(conn: &mut PgConnection, city: Option<i64>) -> QueryResult<()> {
    diesel::sql_query("SELECT set_config('parkir.city', $1, false)")
        .bind::<diesel::sql_types::Text, _>(city.map(|c| c.to_string()).unwrap_or_default())
        .execute(conn)
        .map(|_| ())
}

/// A connection of its own as the server serves: the serving role, acting for the default
/// city (the CLI's reports and evaluations: an owner's session would read every city's rows).
pub fn establish_serving(url: &str) -> anyhow::Result<PgConnection> {
    let mut conn = PgConnection::establish(url)?;
    conn.batch_execute(&format!("SET ROLE {SERVING_ROLE}"))?;
    act_for(&mut conn, Some(crate::acting::DEFAULT_CITY))?;
    Ok(conn)
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Arbitrary key of the advisory lock that serialises migrations of one server.
const MIGRATION_LOCK: i64 = 0x5041_524b_4952;

/// A pool that connects lazily: the service starts, and answers 503, while PostgreSQL is down.
/// No ping on check-out (a broken connection fails its query and is discarded), and a bounded
/// wait for a free connection so a request never hangs.
pub fn build_pool(database_url: &str, size: u32, timeout: Duration) -> PgPool {
    pool_of(database_url, size, timeout, Some(&POOL_COUNTERS))
}

/// The pool of reads a standby may serve (`PARKIR_READ_DATABASE_URL`, SPEC §18): built like the
/// primary's, counted apart.
pub fn build_read_pool(database_url: &str, size: u32, timeout: Duration) -> PgPool {
    pool_of(database_url, size, timeout, None)
}

fn pool_of(
    database_url: &str,
    size: u32,
    timeout: Duration,
    counters: Option<&'static PoolCounters>,
) -> PgPool {
    Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .test_on_check_out(false)
        .connection_timeout(timeout)
        .build_unchecked(Manager {
            inner: ConnectionManager::new(database_url),
            counters,
        })
}

/// Blocking diesel work that may be skipped: waits at most `timeout` for a connection and gives
/// `None` when there is none or the work fails (metrics while the database is away).
pub async fn try_run<T, F>(pool: &PgPool, timeout: Duration, work: F) -> Option<T>
where
    F: FnOnce(&mut PgConnection) -> QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get_timeout(timeout).ok()?;
        work(&mut conn).ok()
    })
    .await
    .ok()
    .flatten()
}

/// Creates the database named in `database_url` when it does not exist yet.
pub fn create_database_if_missing(database_url: &str) -> anyhow::Result<()> {
    let (maintenance_url, name) = split_database_url(database_url)?;
    if PgConnection::establish(database_url).is_ok() {
        return Ok(());
    }
    let mut conn = PgConnection::establish(&maintenance_url).with_context(|| {
        format!(
            "cannot connect to PostgreSQL ({})",
            redact(&maintenance_url)
        )
    })?;
    let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}')"
    )))
    .get_result(&mut conn)?;
    if !exists {
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .or_else(|e| match e {
                // Another process created it between our check and our CREATE.
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => Ok(()),
                other => Err(other),
            })
            .with_context(|| format!("cannot create database {name}"))?;
        tracing::info!(database = %name, "created database");
    }
    Ok(())
}

/// The attribution rules (`parkir_attribute`), applied after the migrations at every start.
const ATTRIBUTION_SQL: &str = include_str!("attribute.sql");

#[diesel::declare_sql_function]
extern "SQL" {
    /// Whether an assignment from `starts` to `ends` (open when null) covers `at`
    /// (`db/attribute.sql`, the one home of the rule).
    fn parkir_covers(
        starts: diesel::sql_types::Timestamptz,
        ends: diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        at: diesel::sql_types::Timestamptz,
    ) -> diesel::sql_types::Bool;

    /// The id of the zone version in force at `at` (`db/attribute.sql`).
    fn parkir_version_id_at(
        zone: diesel::sql_types::BigInt,
        at: diesel::sql_types::Timestamptz,
    ) -> diesel::sql_types::Nullable<diesel::sql_types::BigInt>;
}

/// Applies every pending embedded migration, then (re)applies the attribution function, one
/// process at a time.
pub fn migrate(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(|v| v.to_string()).collect())
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
        .and_then(|applied| {
            conn.batch_execute(ATTRIBUTION_SQL)
                .map_err(|e| anyhow::anyhow!("applying src/db/attribute.sql failed: {e}"))?;
            Ok(applied)
        });
    conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    applied
}

/// Creates the database if needed and migrates it: what `parkir migrate` and every start do.
pub fn prepare(database_url: &str) -> anyhow::Result<Vec<String>> {
    create_database_if_missing(database_url)?;
    let mut conn = establish_created(database_url).with_context(|| {
        format!(
            "cannot connect to PostgreSQL at {}; is it running? \
             (pg_ctlcluster --skip-systemctl-redirect 15 main start)",
            redact(database_url)
        )
    })?;
    migrate(&mut conn)
}

/// [`prepare`], then brings the default city in line with the settings that describe it.
pub fn prepare_with_city(
    database_url: &str,
    code: &str,
    timezone: &str,
) -> anyhow::Result<Vec<String>> {
    let applied = prepare(database_url)?;
    let mut conn = establish_created(database_url)?;
    cities::align_default(&mut conn, code, timezone).with_context(|| {
        format!("PARKIR_CITY_CODE: cannot name the default city {code} (another city has it?)")
    })?;
    Ok(applied)
}

/// Connects to a database that was just created. On a formation the CREATE ran on the primary,
/// and a standby listed first in a multi-host URL may not have replayed it yet: libpq stops at
/// its "database does not exist" (an error after connecting, which ends the host list), so this
/// tries again for a few seconds.
pub fn establish_created(url: &str) -> ConnectionResult<PgConnection> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match PgConnection::establish(url) {
            Err(ConnectionError::BadConnection(why))
                if why.contains("does not exist") && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Splits `postgres://…/name?opts` into the URL of the `postgres` maintenance database on the
/// same server and the database name.
pub fn split_database_url(url: &str) -> anyhow::Result<(String, String)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base
        .find("://")
        .context("DATABASE_URL must look like postgres://host/dbname")?
        + 3;
    let path_start = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .context("DATABASE_URL names no database (postgres://host/dbname)")?;
    let name = &base[path_start + 1..];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        anyhow::bail!("DATABASE_URL: database name {name:?} must be letters, digits, _ or -");
    }
    let mut maintenance = format!("{}/postgres", &base[..path_start]);
    if let Some(q) = query {
        maintenance.push('?');
        maintenance.push_str(q);
    }
    Ok((maintenance, name.to_owned()))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Whether the database answers a trivial query (for `/readyz`).
pub fn ping(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_socket_and_tcp_urls() {
        assert_eq!(
            split_database_url("postgres:///parkir").unwrap(),
            ("postgres:///postgres".to_owned(), "parkir".to_owned())
        );
        assert_eq!(
            split_database_url("postgres://u:p@127.0.0.1:5432/x_1?sslmode=disable").unwrap(),
            (
                "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable".to_owned(),
                "x_1".to_owned()
            )
        );
        assert!(split_database_url("postgres://h/").is_err());
        assert!(split_database_url("postgres://h/a;drop").is_err());
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres:///db"), "postgres:///db");
    }

    #[test]
    fn every_flag_the_attribution_sql_writes_is_in_the_vocabulary() {
        use crate::domain::PaymentFlag;
        // Every `'name'::TEXT` literal: the text after the last quote before each `'::TEXT`.
        let chunks: Vec<&str> = ATTRIBUTION_SQL.split("'::TEXT").collect();
        let written: Vec<&str> = chunks[..chunks.len() - 1]
            .iter()
            .filter_map(|chunk| chunk.rsplit_once('\'').map(|(_, name)| name))
            .collect();
        assert!(written.len() >= 8, "{written:?}");
        for name in written {
            assert!(
                PaymentFlag::parse(name).is_some(),
                "{name} is not a PaymentFlag"
            );
        }
        for flag in PaymentFlag::ALL {
            assert_eq!(PaymentFlag::parse(flag.as_str()), Some(flag));
        }
    }
}
