//! The shared application state every handler receives, built once by `startup`, and the one
//! way a request reaches the database: [`run`], on actix's blocking pool.

use chrono_tz::Tz;
use diesel::PgConnection;

use crate::db::PgPool;
use crate::error::ApiError;

/// What every handler may read.
pub struct AppState {
    pub pool: PgPool,
    /// The standbys that serve reports of past periods (`PARKIR_READ_DATABASE_URL`), reached
    /// through [`read`].
    pub replica: Option<std::sync::Arc<crate::replica::ReadReplica>>,
    /// The default city's zone (`PARKIR_TIMEZONE`); a request's own is [`AppState::timezone`].
    pub default_timezone: Tz,
    /// The other cities' zones, looked up once each (a city's zone never changes).
    pub zones: std::sync::Mutex<std::collections::HashMap<i64, Tz>>,
    pub charge_ttl: std::time::Duration,
    pub complaint_line: String,
    /// `PARKIR_PUBLIC_URL`, for the posters' "Cek resmi" line.
    pub public_url: Option<String>,
    /// `PARKIR_HOTLINE`, for the citizen's page of an unregistered code.
    pub hotline: Option<crate::domain::Hotline>,
    /// The letterhead and signatory of documents.
    pub office: crate::config::Office,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub renders: crate::qris::cache::RenderCache,
    /// The default city's gateways, from the settings.
    pub gateways: Gateways,
    /// Which city a gateway credential names, and each city's opened gateways, remembered.
    pub gateway_routes: crate::gateways::credentials::RouteCache,
    /// Opens the other cities' stored credentials (`PARKIR_SECRET_KEY`).
    pub secret_key: Option<crate::gateways::credentials::SecretKey>,
    /// Committed payments, for the attendants' live lists.
    pub feed: crate::db::listen::Feed,
    /// New callbacks, recorded in batches.
    pub recorder: crate::db::recorder::Recorder,
    /// Where new high-severity alerts are pushed, when configured.
    pub alert_webhook: Option<std::sync::Arc<crate::webhook::AlertWebhook>>,
    /// SNAP tokens already found valid (hash → expiry): the database is asked once per token.
    pub snap_tokens:
        std::sync::Mutex<std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>>,
}

/// The gateways as configured; an absent credential makes its endpoint answer 503.
pub use crate::gateways::credentials::CityGateways as Gateways;

pub use crate::acting::{Acting, DEFAULT_CITY, current_acting, current_city, in_city};

/// How many other cities' zones are remembered (a deployment has dozens).
const ZONES_KEPT: usize = 10_000;

impl AppState {
    /// The zone of the city the current request acts for (outside any request, the default
    /// city's): where its business day begins and ends.
    pub fn timezone(&self) -> Tz {
        current_acting()
            .map(|a| a.timezone)
            .unwrap_or(self.default_timezone)
    }

    /// Whom work for `city` acts as: the city and its zone (the default city's is the
    /// settings'; an operator's, too, for what little it dates).
    pub async fn acting(&self, city: Option<i64>) -> Result<Acting, ApiError> {
        let id = match city {
            None | Some(DEFAULT_CITY) => {
                return Ok(Acting {
                    city,
                    timezone: self.default_timezone,
                });
            }
            Some(id) => id,
        };
        if let Some(timezone) = self.zones.lock().ok().and_then(|z| z.get(&id).copied()) {
            return Ok(Acting { city, timezone });
        }
        let found = run(&self.pool, move |conn| {
            Ok(crate::db::cities::find(conn, id)?)
        })
        .await?;
        let timezone = match found {
            Some(c) => c.timezone.parse::<Tz>().map_err(|_| {
                ApiError::internal(anyhow::anyhow!(
                    "city {id} has an unknown zone {}",
                    c.timezone
                ))
            })?,
            // A city that is gone acts for nothing: row-level security finds none of its rows.
            None => self.default_timezone,
        };
        if let Ok(mut zones) = self.zones.lock()
            && zones.len() < ZONES_KEPT
        {
            zones.insert(id, timezone);
        }
        Ok(Acting { city, timezone })
    }
}

/// Runs blocking diesel work on actix's blocking pool, never on the async executor, acting for
/// the [`current_city`].
///
/// A pool that cannot hand out a connection in time is a 503: the database is down or saturated.
/// A connection whose work failed as unavailable (its server went away, or is a standby now)
/// is discarded.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let city = current_city();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(|e| ApiError::database_unavailable(&e))?;
        let result = conn
            .act_for(city)
            .map_err(ApiError::from)
            .and_then(|()| work(&mut conn));
        if matches!(result, Err(ApiError::Unavailable(_))) {
            conn.discard();
        }
        result
    })
    .await
    .map_err(ApiError::internal)?
}

/// Runs a pure read of a past period (SPEC §18): on the read standby when one is configured and
/// fresh enough, else (and whenever the standby fails) on the primary through [`run`]. `work`
/// must not write: on the standby it runs in a read-only transaction, where a write fails (and
/// the read is then repeated on the primary).
pub async fn read<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Clone + Send + 'static,
    T: Send + 'static,
{
    if let Some(replica) = state.replica.clone() {
        let on_standby = in_city_of_now(work.clone());
        if let Ok(Some(answer)) =
            actix_web::web::block(move || replica.read_counted(on_standby)).await
        {
            return answer;
        }
    }
    run(&state.pool, work).await
}

/// A look-up that must see the primary's latest — whether a token's account may still act —
/// but that a standby within the lag bound answers while the primary is away (a failover under
/// way), so that reports go on being read from the standby then (SPEC §18). The formation's
/// standbys are synchronous: what the primary acknowledged (a logout, a suspension) is on one
/// of them; on an asynchronous standby it may be up to `PARKIR_MAX_READ_LAG_SECS` late.
pub async fn primary_then_standby<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Clone + Send + 'static,
    T: Send + 'static,
{
    match run(&state.pool, work.clone()).await {
        Err(ApiError::Unavailable(why)) => {
            let Some(replica) = state.replica.clone() else {
                return Err(ApiError::Unavailable(why));
            };
            let work = in_city_of_now(work);
            match actix_web::web::block(move || replica.try_read(work)).await {
                Ok(Ok(answer)) => answer,
                _ => Err(ApiError::Unavailable(why)),
            }
        }
        answer => answer,
    }
}

/// `work`, made to act for the [`current_city`] first (on a standby's connection).
fn in_city_of_now<T, F>(work: F) -> impl FnOnce(&mut PgConnection) -> Result<T, ApiError> + Clone
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Clone,
{
    let city = current_city();
    move |conn| {
        crate::db::act_for(conn, city)?;
        work(conn)
    }
}
