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
    /// through [`crate::replica::read`].
    pub replica: Option<std::sync::Arc<crate::replica::ReadReplica>>,
    pub timezone: Tz,
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
    pub gateways: Gateways,
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
pub struct Gateways {
    pub snap: crate::gateways::snap::Snap,
    pub midtrans: crate::gateways::midtrans::Midtrans,
    pub xendit: crate::gateways::xendit::Xendit,
}

/// Runs blocking diesel work on actix's blocking pool, never on the async executor.
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
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(|e| ApiError::database_unavailable(&e))?;
        let result = work(&mut conn);
        if matches!(result, Err(ApiError::Unavailable(_))) {
            conn.discard();
        }
        result
    })
    .await
    .map_err(ApiError::internal)?
}
